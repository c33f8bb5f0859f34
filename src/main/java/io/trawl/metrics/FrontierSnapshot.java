package io.trawl.metrics;

import java.util.List;

/**
 * Where the frontier stands, taken on its event loop about once a second and read by the metrics
 * and the dashboard from any thread. Immutable.
 *
 * @param queued URLs queued, in memory and in the database
 * @param inFlight requests on the network
 * @param storing pages fetched and waiting for their commit
 * @param hostsSeen distinct hosts queued this run
 * @param hostsActive hosts with a request on the network
 * @param hostsPausedBreaker hosts waiting out their circuit breaker
 * @param hostsPausedRetryAfter hosts waiting out a Retry-After (or a robots.txt that could not be read)
 * @param topHosts the hosts with the most pages done, most first; empty unless the dashboard asked
 * @param takenAtMs epoch millis when it was taken
 */
public record FrontierSnapshot(
    long queued,
    int inFlight,
    int storing,
    int hostsSeen,
    int hostsActive,
    int hostsPausedBreaker,
    int hostsPausedRetryAfter,
    List<HostStatus> topHosts,
    long takenAtMs) {

  static final FrontierSnapshot EMPTY = new FrontierSnapshot(0, 0, 0, 0, 0, 0, 0, List.of(), 0);

  /**
   * One host as the frontier sees it.
   *
   * @param done its pages finished this run (stored, with or without an error)
   * @param inFlight its requests handed out and not yet finished
   * @param queued its URLs waiting in memory
   * @param intervalMs the spacing between two of its requests: {@code fetch.per_host_rate}, or its
   *     robots.txt Crawl-delay when longer
   * @param state {@code fetching}, {@code waiting} (URLs queued, waiting for their time or a
   *     credit), {@code paused_breaker}, {@code paused_retry_after} or {@code idle}
   * @param pausedForMs how much longer a paused host waits, else 0
   */
  public record HostStatus(String host, long done, int inFlight, int queued, long intervalMs, String state,
      long pausedForMs) {}
}
