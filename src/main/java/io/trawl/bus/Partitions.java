package io.trawl.bus;

import java.util.List;

/**
 * Host partitions, for a frontier telling its node's cluster that those it was told to give up
 * have nothing left in flight (and nothing waiting to be written), so they may be handed over.
 *
 * @param partitions partition numbers, ascending
 */
public record Partitions(List<Integer> partitions) {}
