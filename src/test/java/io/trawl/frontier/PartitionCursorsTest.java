package io.trawl.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.FrontierRow;
import io.trawl.bus.QueuedBatch;
import io.trawl.bus.QueuedRequest;
import io.trawl.core.HostPartitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionCursorsTest {
  /** A URL of a host in {@code partition}. */
  private static String urlIn(int partition, int page) {
    for (int i = 0; ; i++) {
      String host = "h" + i + ".test";
      if (HostPartitions.ofHost(host) == partition) {
        return "http://" + host + "/" + page;
      }
    }
  }

  private static QueuedBatch batch(int partition, long... ids) {
    List<FrontierRow> rows = new ArrayList<>();
    for (long id : ids) {
      rows.add(new FrontierRow(id, urlIn(partition, (int) id), 0, 0, 0));
    }
    return new QueuedBatch(rows, rows.size(), -1);
  }

  @Test
  void readsEachOwnedPartitionAfterItsOwnCursorUntilAShortReadThenAgainAfterARefresh() {
    PartitionCursors cursors = new PartitionCursors();
    cursors.own(Set.of(3, 7));

    QueuedRequest first = cursors.next(4);
    assertThat(first.partitions()).containsExactly(3, 7);
    assertThat(first.afterIds()).containsExactly(0L, 0L);
    assertThat(first.limit()).isEqualTo(2);
    cursors.loaded(first, batch(3, 10, 11), false); // partition 3 full, 7 short

    QueuedRequest second = cursors.next(4);
    assertThat(second.partitions()).containsExactly(3);
    assertThat(second.afterIds()).containsExactly(11L);
    cursors.loaded(second, batch(3), false);
    assertThat(cursors.allRead()).isTrue();
    assertThat(cursors.next(4)).isNull();

    cursors.refresh();
    assertThat(cursors.next(4).afterIds()).containsExactly(11L, 0L);
  }

  @Test
  void aRewindReadsEveryOwnedPartitionFromItsStartForRowsCommittedBehindItsCursor() {
    PartitionCursors cursors = new PartitionCursors();
    cursors.own(Set.of(3, 7));
    QueuedRequest read = cursors.next(10);
    cursors.loaded(read, batch(3, 40, 41), false);
    cursors.refresh();
    cursors.loaded(cursors.next(10), batch(3), false);
    assertThat(cursors.next(10)).as("both read to their end").isNull();

    cursors.rewind(); // row 12 of partition 3, another node's, committed after 40 and 41 were read

    QueuedRequest again = cursors.next(10);
    assertThat(again.partitions()).containsExactly(3, 7);
    assertThat(again.afterIds()).containsExactly(0L, 0L);
    cursors.loaded(again, batch(3, 12), false);
    assertThat(cursors.allRead()).isTrue();
  }

  @Test
  void aPartitionTakenOverIsReadFromItsStartAndOneGivenUpIsForgotten() {
    PartitionCursors cursors = new PartitionCursors();
    cursors.own(Set.of(3));
    QueuedRequest read = cursors.next(10);
    cursors.loaded(read, batch(3, 50), false);

    cursors.own(Set.of(3, 9));

    QueuedRequest next = cursors.next(10);
    assertThat(next.partitions()).containsExactly(9);
    assertThat(next.afterIds()).containsExactly(0L);
    cursors.own(Set.of(9));
    cursors.own(Set.of(3, 9));
    assertThat(cursors.next(10).afterIds()).as("3 read from its start again").containsExactly(0L, 0L);
  }

  @Test
  void aShortReadDoesNotEndAPartitionWhenRowsWereAddedMeanwhile() {
    PartitionCursors cursors = new PartitionCursors();
    cursors.own(Set.of(5));
    QueuedRequest read = cursors.next(10);

    cursors.loaded(read, batch(5, 1), true);

    assertThat(cursors.allRead()).isFalse();
    assertThat(cursors.next(10).afterIds()).containsExactly(1L);
  }
}
