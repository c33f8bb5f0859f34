package io.trawl.frontier;

import io.trawl.bus.FrontierRow;
import io.trawl.core.HostPartitions;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * One host's waiting URLs, shallowest first (then oldest), and its politeness clock. Shallow
 * first keeps the crawl close to breadth-first, so a page is mostly reached by its shortest path.
 * Frontier event loop only.
 */
final class HostQueue {
  private static final Comparator<FrontierRow> SHALLOW_FIRST =
      Comparator.comparingInt(FrontierRow::depth).thenComparingLong(FrontierRow::id);

  final String host;
  /** The host's partition ({@link HostPartitions}), which a cluster hands from node to node. */
  final int partition;
  final PriorityQueue<FrontierRow> rows = new PriorityQueue<>(SHALLOW_FIRST);
  /** Requests to this host that may be out at once. */
  final int concurrency;
  /** Requests to this host handed out and not yet answered. */
  int inFlight;
  /** Earliest System.nanoTime at which the next request to this host may start. */
  long nextAllowedNanos;
  /** Spacing between two request starts to this host. */
  long intervalNanos;
  /** The spacing its rate asks for, below which a Crawl-delay or autothrottle's pace never takes it. */
  final long rateIntervalNanos;
  /** Whether the host sits in the frontier's ready queue, and under which key. */
  boolean scheduled;
  long readyAtNanos;
  /** Its rows finished this run (stored, with or without an error). */
  long done;
  /** Until when a breaker or a Retry-After holds it (System.nanoTime), 0 when never held. */
  long pausedUntilNanos;
  /** Whether that hold is its circuit breaker's (else a Retry-After's or robots.txt's). */
  boolean pausedByBreaker;

  HostQueue(String host, Frontier.HostLimits limits) {
    this.host = host;
    this.partition = HostPartitions.ofHost(host);
    this.intervalNanos = limits.intervalNanos();
    this.rateIntervalNanos = limits.intervalNanos();
    this.concurrency = limits.concurrency();
  }
}
