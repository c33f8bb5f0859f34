package io.trawl.frontier;

import io.trawl.bus.Progress;
import io.trawl.metrics.CrawlMetrics;

/**
 * What the frontier says about itself: the {@link Progress} it publishes, and where it stands for
 * the metrics and the dashboard ({@link io.trawl.metrics.FrontierSnapshot}, with its top hosts
 * once the dashboard asks for them). Not thread-safe: the frontier verticle's event loop owns it.
 */
final class FrontierStatus {
  /** Hosts listed on the dashboard. */
  static final int TOP_HOSTS = 15;

  private final Frontier frontier;
  private final FrontierWindow window;
  private final CrawlEnding ending;
  private final CrawlMetrics metrics;
  private final long startedAtMs;

  FrontierStatus(Frontier frontier, FrontierWindow window, CrawlEnding ending, CrawlMetrics metrics, long startedAtMs) {
    this.frontier = frontier;
    this.window = window;
    this.ending = ending;
    this.metrics = metrics;
    this.startedAtMs = startedAtMs;
  }

  Progress progress() {
    return new Progress(frontier.stored(), frontier.failed(), frontier.inFlight(), window.queued(),
        frontier.retries(), System.currentTimeMillis() - startedAtMs, frontier.hostCount(), ending.reason());
  }

  /** {@link #progress()} with the reason the crawl was asked to stop for, though pages are still in flight. */
  Progress stopping() {
    Progress now = progress();
    return new Progress(now.stored(), now.failed(), now.inFlight(), now.queued(), now.retries(), now.elapsedMs(),
        now.hosts(), ending.requestedReason());
  }

  /** Tells the metrics where the frontier stands; nothing when they are off. */
  void toMetrics() {
    if (metrics.isOn()) {
      metrics.frontier(frontier.snapshot(window.queued(), metrics.hostsWanted() ? TOP_HOSTS : 0));
    }
  }
}
