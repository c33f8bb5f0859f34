package io.trawl.frontier;

import io.trawl.bus.FrontierRow;
import java.util.ArrayDeque;

/** One host's waiting URLs and its politeness clock. Frontier event loop only. */
final class HostQueue {
  final String host;
  final ArrayDeque<FrontierRow> rows = new ArrayDeque<>();
  /** Requests to this host handed out and not yet answered. */
  int inFlight;
  /** Earliest System.nanoTime at which the next request to this host may start. */
  long nextAllowedNanos;
  /** Spacing between two request starts to this host. */
  long intervalNanos;
  /** Whether the host sits in the frontier's ready queue, and under which key. */
  boolean scheduled;
  long readyAtNanos;

  HostQueue(String host, long intervalNanos) {
    this.host = host;
    this.intervalNanos = intervalNanos;
  }
}
