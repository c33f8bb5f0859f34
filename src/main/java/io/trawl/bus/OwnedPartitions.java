package io.trawl.bus;

import java.util.List;

/**
 * The cluster tells its node's frontier which host partitions it may hand out URLs of, and until
 * when: the node's lease in the database, counted on this JVM's clock from when the node last
 * renewed it, less a margin. Sent again at every renewal; a frontier that gets no new one by
 * {@code dispatchUntilNanos} hands out nothing more until it does. With {@code crawl.max_duration}
 * it also says when the cluster crawl's time is up, the same moment on every node: the frontier
 * then stops as a crawl on one machine does at its {@code max_duration}.
 *
 * @param partitions the partitions this node owns and does not hand over, ascending
 * @param dispatchUntilNanos {@link System#nanoTime()} of this JVM after which nothing may be handed
 *     out (never later than {@code maxDurationEndsNanos})
 * @param maxDurationEndsNanos {@link System#nanoTime()} of this JVM at which the cluster crawl's
 *     {@code crawl.max_duration} runs out; null without one
 */
public record OwnedPartitions(List<Integer> partitions, long dispatchUntilNanos, Long maxDurationEndsNanos) {}
