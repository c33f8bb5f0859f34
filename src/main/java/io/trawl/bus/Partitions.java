package io.trawl.bus;

import java.util.List;

/**
 * Host partitions: those a node's frontier has rows of in flight (its answer to an {@link
 * OwnedPartitions}), which the node keeps until they are done, written, before handing them over.
 *
 * @param partitions partition numbers, ascending
 */
public record Partitions(List<Integer> partitions) {}
