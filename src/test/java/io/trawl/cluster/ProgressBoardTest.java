package io.trawl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.ClusterProgress;
import io.trawl.bus.NodeProgress;
import io.trawl.bus.Progress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBoardTest {
  private static final long SECOND = 1_000_000_000L;

  private static Progress progress(long stored, long failed, int inFlight, long queued) {
    return new Progress(stored, failed, inFlight, queued, 0, 10_000, 3, null);
  }

  private static NodeProgress report(String node, Progress progress) {
    return new NodeProgress(node, progress, List.of(), List.of(), List.of());
  }

  @Test
  void sumsTheLiveNodesAndGivesThisNodesShare() {
    ProgressBoard board = new ProgressBoard("a");
    board.record(board.report(progress(30, 1, 4, 100), 0), 0);
    board.record(report("b", progress(50, 2, 6, 200)), 0);
    board.record(report("c", progress(20, 0, 2, 50)), 0);

    ClusterProgress totals = board.totals(SECOND);

    assertThat(totals).isEqualTo(new ClusterProgress(100, 3, 350, 12, 3, 30));
    assertThat(totals.ownPercent()).isEqualTo(30.0);
  }

  @Test
  void aNodeNoLongerHeardFromKeepsItsPagesButNotItsQueueNorItsRequests() {
    ProgressBoard board = new ProgressBoard("a");
    board.record(report("b", progress(50, 2, 6, 200)), 0);
    long later = ProgressBoard.QUIET_NANOS + SECOND;
    board.record(board.report(progress(30, 1, 4, 100), later), later);

    assertThat(board.totals(later)).isEqualTo(new ClusterProgress(80, 3, 100, 4, 1, 30));
    assertThat(board.report(progress(30, 1, 4, 100), later).goneNodes()).containsExactly("b");
  }

  @Test
  void aNodeThatJoinedLateCountsThePagesOfNodesGoneBeforeItFromTheOthersReports() {
    ProgressBoard first = new ProgressBoard("a");
    first.record(report("gone", progress(40, 4, 8, 10)), 0);
    long later = ProgressBoard.QUIET_NANOS + SECOND;
    NodeProgress fromA = first.report(progress(30, 0, 2, 5), later);

    ProgressBoard late = new ProgressBoard("c");
    late.record(fromA, later);
    late.record(late.report(progress(5, 0, 1, 1), later), later);
    assertThat(late.totals(later)).isEqualTo(new ClusterProgress(75, 4, 6, 3, 2, 5));

    // a leaves too: c still counts both, each once.
    long muchLater = later + ProgressBoard.QUIET_NANOS + SECOND;
    late.record(late.report(progress(9, 0, 1, 1), muchLater), muchLater);
    assertThat(late.totals(muchLater)).isEqualTo(new ClusterProgress(79, 4, 1, 1, 1, 9));
  }

  @Test
  void aNodeHeardFromAgainIsLiveAgainAndCountedOnce() {
    ProgressBoard board = new ProgressBoard("a");
    board.record(report("b", progress(50, 0, 6, 200)), 0);
    long later = ProgressBoard.QUIET_NANOS + SECOND;
    // c still says b is gone when b reports again (it was only paused).
    board.record(new NodeProgress("c", progress(10, 0, 1, 1), List.of("b"), List.of(50L), List.of(0L)), later);
    board.record(report("b", progress(60, 0, 6, 150)), later);
    board.record(board.report(progress(30, 0, 4, 100), later), later);

    assertThat(board.totals(later)).isEqualTo(new ClusterProgress(100, 0, 251, 11, 3, 30));
  }
}
