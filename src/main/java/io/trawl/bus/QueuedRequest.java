package io.trawl.bus;

import java.util.List;

/**
 * The frontier asks for queued rows. On one machine: rows with an id above {@code afterId},
 * oldest first. For a node of a cluster crawl ({@code partitions} not empty): up to {@code limit}
 * rows of each of its partitions, each above its own cursor in {@code afterIds}.
 *
 * @param afterId the paging cursor: the highest id already read (one machine)
 * @param limit rows wanted at most (one machine), or per partition (a cluster node)
 * @param partitions the host partitions to read, ascending; empty on one machine
 * @param afterIds per partition, the highest id already read of it
 */
public record QueuedRequest(long afterId, int limit, List<Integer> partitions, List<Long> afterIds) {
  /** A read of the whole table after {@code afterId}. */
  public QueuedRequest(long afterId, int limit) {
    this(afterId, limit, List.of(), List.of());
  }

  /** A cluster node's read of its partitions, each after its own cursor. */
  public static QueuedRequest inPartitions(List<Integer> partitions, List<Long> afterIds, int perPartition) {
    return new QueuedRequest(0, perPartition, List.copyOf(partitions), List.copyOf(afterIds));
  }

  /** Whether this is a cluster node's read by partition. */
  public boolean byPartition() {
    return !partitions.isEmpty();
  }
}
