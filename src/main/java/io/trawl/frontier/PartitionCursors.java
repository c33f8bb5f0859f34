package io.trawl.frontier;

import io.trawl.bus.FrontierRow;
import io.trawl.bus.QueuedBatch;
import io.trawl.bus.QueuedRequest;
import io.trawl.core.HostPartitions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A cluster node's paging of the {@code frontier} table: one cursor per host partition the node
 * owns, each read in id order on its own, so a partition taken over mid-crawl is read from its
 * start while the others go on from where they were. A partition whose last read came back short
 * is read to its end until rows may have come in: ones this node's pages added ({@link
 * #refresh}), ones other nodes added (the frontier refreshes every second), or rows the
 * partition's former owner left. Not thread-safe: the frontier verticle's event loop owns it.
 */
final class PartitionCursors {
  /** Owned partitions and the highest id read of each. */
  private final Map<Integer, Long> cursors = new TreeMap<>();
  private final Set<Integer> exhausted = new HashSet<>();

  /** The node now owns {@code partitions}: new ones are read from their start; the others are forgotten. */
  void own(Set<Integer> partitions) {
    cursors.keySet().retainAll(partitions);
    exhausted.retainAll(partitions);
    for (int p : partitions) {
      cursors.putIfAbsent(p, 0L);
    }
  }

  boolean owns(int partition) {
    return cursors.containsKey(partition);
  }

  Set<Integer> owned() {
    return cursors.keySet();
  }

  /** A read of the partitions not read to their end, {@code rows} in all shared among them; null when every one is. */
  QueuedRequest next(int rows) {
    List<Integer> partitions = new ArrayList<>();
    List<Long> after = new ArrayList<>();
    cursors.forEach((p, cursor) -> {
      if (!exhausted.contains(p)) {
        partitions.add(p);
        after.add(cursor);
      }
    });
    if (partitions.isEmpty()) {
      return null;
    }
    return QueuedRequest.inPartitions(partitions, after, Math.max(1, rows / partitions.size()));
  }

  /**
   * The answer to {@code request}: each partition's cursor moves past its rows; one that gave
   * fewer than asked is read to its end, unless rows were added meanwhile ({@code addedMeanwhile}).
   */
  void loaded(QueuedRequest request, QueuedBatch batch, boolean addedMeanwhile) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (FrontierRow row : batch.rows()) {
      int p = HostPartitions.ofUrl(row.url());
      counts.merge(p, 1, Integer::sum);
      cursors.computeIfPresent(p, (k, cursor) -> Math.max(cursor, row.id()));
    }
    if (addedMeanwhile) {
      return;
    }
    for (int p : request.partitions()) {
      if (cursors.containsKey(p) && counts.getOrDefault(p, 0) < request.limit()) {
        exhausted.add(p);
      }
    }
  }

  /** Rows may have come into any partition: read them all again from their cursors. */
  void refresh() {
    exhausted.clear();
  }

  /**
   * Every owned partition is read again from its start. A cursor can pass a row for good: ids come
   * from one sequence shared by every node's writer, so a row of another node's transaction can
   * have a lower id than rows of this partition already read, and commit after they were (seen in
   * {@code bench --nodes 3}: ten rows left queued, the crawl never ending). Only safe when the
   * frontier holds no row of these partitions in memory, or it would hold one twice.
   */
  void rewind() {
    cursors.replaceAll((p, cursor) -> 0L);
    exhausted.clear();
  }

  /** Every owned partition was read to its end (a node that owns none has nothing to read). */
  boolean allRead() {
    return exhausted.containsAll(cursors.keySet());
  }
}
