package io.trawl.frontier;

import io.trawl.metrics.FrontierSnapshot.HostStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The hosts with the most pages done, for the dashboard: a bounded heap over every host, so a
 * crawl of many hosts costs one pass and {@code n} entries, not a sort. Frontier event loop.
 */
final class HostRanking {
  private static final Comparator<HostQueue> MOST_DONE =
      Comparator.comparingLong((HostQueue h) -> h.done).thenComparing(h -> h.host, Comparator.reverseOrder());

  private HostRanking() {}

  static List<HostStatus> top(Collection<HostQueue> hosts, int n, long nowNanos) {
    PriorityQueue<HostQueue> least = new PriorityQueue<>(n + 1, MOST_DONE);
    for (HostQueue host : hosts) {
      least.add(host);
      if (least.size() > n) {
        least.poll();
      }
    }
    List<HostQueue> ranked = new ArrayList<>(least);
    ranked.sort(MOST_DONE.reversed());
    List<HostStatus> top = new ArrayList<>(ranked.size());
    for (HostQueue host : ranked) {
      long pausedForNanos = Math.max(0, host.pausedUntilNanos - nowNanos);
      String state = host.inFlight > 0 ? "fetching"
          : pausedForNanos > 0 ? (host.pausedByBreaker ? "paused_breaker" : "paused_retry_after")
          : host.rows.isEmpty() ? "idle" : "waiting";
      top.add(new HostStatus(host.host, host.done, host.inFlight, host.rows.size(), host.intervalNanos / 1_000_000,
          state, pausedForNanos / 1_000_000));
    }
    return top;
  }
}
