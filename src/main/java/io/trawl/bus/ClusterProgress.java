package io.trawl.bus;

/**
 * Where a cluster crawl stands, as one node sees it: the sum of the progress of the nodes it has
 * heard from in the last seconds, and its own share.
 *
 * @param nodes the nodes summed, this one included
 * @param cluster their totals ({@code elapsedMs} is the longest, {@code stopReason} this node's)
 * @param node this node's own progress
 */
public record ClusterProgress(int nodes, Progress cluster, Progress node) {}
