package io.trawl.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.QueuedBatch;
import io.trawl.bus.QueuedRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrontierWindowTest {
  private long nextId = 1;
  private final Frontier frontier = new Frontier(10, 10, 0, 0, () -> 1_000_000_000L, () -> 1_700_000_000_000L);
  private final FrontierWindow window = new FrontierWindow(frontier);

  /** The next {@code n} rows of the table, in id order, spread over a few hosts. */
  private List<FrontierRow> rows(int n) {
    List<FrontierRow> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long id = nextId++;
      rows.add(new FrontierRow(id, "http://h" + id % 4 + ".test/" + id, 1, 0, 0));
    }
    return rows;
  }

  private static QueuedBatch batch(List<FrontierRow> rows, long queuedTotal) {
    return new QueuedBatch(rows, queuedTotal, -1);
  }

  @Test
  void readsTheTableAPageAtATimeAfterTheLastRowRead() {
    assertThat(window.nextLoad()).isEqualTo(new QueuedRequest(0, FrontierWindow.PAGE_IN));
    window.loaded(batch(rows(FrontierWindow.PAGE_IN), 12_000));

    assertThat(frontier.inMemory()).isEqualTo(FrontierWindow.PAGE_IN);
    assertThat(window.nextLoad()).isEqualTo(new QueuedRequest(FrontierWindow.PAGE_IN, FrontierWindow.PAGE_IN));
    assertThat(window.isDrained()).isFalse();
  }

  @Test
  void asksForOneReadAtATime() {
    assertThat(window.nextLoad()).isNotNull();
    assertThat(window.nextLoad()).isNull();
    window.loaded(batch(rows(FrontierWindow.PAGE_IN), 5_000));
    assertThat(window.nextLoad()).isNotNull();
  }

  @Test
  void aShortReadIsTheEndOfTheTable() {
    window.nextLoad();
    window.loaded(batch(rows(3), 3));

    assertThat(window.isDrained()).isTrue();
    assertThat(window.nextLoad()).isNull();
  }

  @Test
  void aShortReadIsNotTheEndWhenRowsWereAddedWhileItWasOut() {
    window.nextLoad();
    window.added(2);
    window.loaded(batch(rows(3), 3));

    assertThat(window.isDrained()).isFalse();
    assertThat(window.nextLoad()).isEqualTo(new QueuedRequest(3, FrontierWindow.PAGE_IN));
  }

  @Test
  void rowsAddedAfterTheEndOpenTheTableAgain() {
    window.nextLoad();
    window.loaded(batch(rows(3), 3));
    window.added(0);
    assertThat(window.isDrained()).as("no rows, no change").isTrue();

    window.added(1);

    assertThat(window.isDrained()).isFalse();
    assertThat(window.nextLoad()).isEqualTo(new QueuedRequest(3, FrontierWindow.PAGE_IN));
  }

  @Test
  void readsNoMoreWhileTheFrontierHoldsAFullWindow() {
    int pages = (FrontierWindow.WINDOW - FrontierWindow.PAGE_IN) / FrontierWindow.PAGE_IN + 1;
    for (int i = 0; i < pages; i++) {
      assertThat(window.nextLoad()).as("read %d", i).isNotNull();
      window.loaded(batch(rows(FrontierWindow.PAGE_IN), 100_000));
    }

    assertThat(frontier.inMemory()).isGreaterThan(FrontierWindow.WINDOW - FrontierWindow.PAGE_IN);
    assertThat(window.nextLoad()).isNull();
    assertThat(window.isDrained()).as("the table still holds rows").isFalse();
  }

  @Test
  void aStoppedFrontierReadsNoMore() {
    frontier.stop();
    assertThat(window.nextLoad()).isNull();
  }

  @Test
  void countsQueuedRowsAsTheyAreClaimedPutBackAndAdded() {
    window.nextLoad();
    window.loaded(batch(rows(3), 10));

    List<FrontierRow> claimed = window.claim((handedOut, lane) -> {});
    assertThat(claimed).hasSize(3);
    assertThat(window.queued()).isEqualTo(7);

    FrontierRow back = window.completed(claimed.get(0).id(),
        FetchOutcome.retryAt(claimed.get(0).id(), "http_503", 1_700_000_001_000L, 1));
    assertThat(back.attempts()).isEqualTo(1);
    assertThat(window.queued()).isEqualTo(8);

    assertThat(window.completed(claimed.get(1).id(), FetchOutcome.done(claimed.get(1).id(), null, 1, 5))).isNull();
    assertThat(window.queued()).isEqualTo(13);

    window.counted(4);
    assertThat(window.queued()).isEqualTo(4);
  }

  @Test
  void theQueuedCountIsNeverNegative() {
    window.nextLoad();
    window.loaded(batch(rows(3), 1));
    window.claim((handedOut, lane) -> {});
    assertThat(window.queued()).isZero();
  }

  @Test
  void theFirstReadTellsTheFrontierWhatEarlierRunsStored() {
    Frontier limited = new Frontier(10, 10, 0, 5, () -> 0L, () -> 0L);
    FrontierWindow resumed = new FrontierWindow(limited);
    resumed.nextLoad();
    resumed.loaded(new QueuedBatch(rows(3), 3, 5));

    assertThat(limited.maxPagesReached()).isTrue();
    assertThat(resumed.claim((handedOut, lane) -> {})).isEmpty();
  }

  @Test
  void theCountOnlyReadAsksForNoRows() {
    assertThat(FrontierWindow.countOnly().limit()).isZero();
    assertThat(FrontierWindow.countOnly().afterId()).isEqualTo(Long.MAX_VALUE);
  }
}
