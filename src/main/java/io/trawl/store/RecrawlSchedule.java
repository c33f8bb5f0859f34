package io.trawl.store;

import io.trawl.config.TrawlConfig;
import io.trawl.core.PageChange;
import java.time.Clock;
import java.time.Duration;

/**
 * When a page is due to be fetched again: an adaptive schedule as Nutch's {@code
 * AdaptiveFetchSchedule}. A page starts at {@code recrawl.interval} (or its sitemap's {@code
 * <changefreq>}); each fetch that finds it changed multiplies its interval by {@code
 * recrawl.changed_factor}, each that finds it unchanged or gone by {@code
 * recrawl.unchanged_factor}, within {@code recrawl.min_interval} and {@code recrawl.max_interval};
 * a failed fetch leaves it as it was. It is due that long after the fetch. Immutable; any thread
 * (the store's event loop uses it).
 */
public final class RecrawlSchedule {
  /**
   * What a fetch leaves a page's schedule at.
   *
   * @param intervalMs its interval from now on ({@code frontier.interval_ms})
   * @param dueAtMs epoch millis when it is next due ({@code frontier.due_at})
   */
  public record Next(long intervalMs, long dueAtMs) {}

  private final long initialMs;
  private final long minMs;
  private final long maxMs;
  private final double changedFactor;
  private final double unchangedFactor;
  private final Clock clock;

  public RecrawlSchedule(TrawlConfig.Recrawl config, Clock clock) {
    this.initialMs = config.interval().toMillis();
    this.minMs = config.minInterval().toMillis();
    this.maxMs = config.maxInterval().toMillis();
    this.changedFactor = config.changedFactor();
    this.unchangedFactor = config.unchangedFactor();
    this.clock = clock;
  }

  /**
   * The schedule after a fetch that found {@code change}.
   *
   * @param intervalMs the page's interval so far; 0 when it has none yet (its first fetch, without
   *     a sitemap's {@code <changefreq>}): {@code recrawl.interval}
   */
  public Next after(PageChange change, long intervalMs) {
    long current = intervalMs > 0 ? intervalMs : initialMs;
    double next = switch (change) {
      case NEW, FAILED -> current;
      case CHANGED -> current * changedFactor;
      case UNCHANGED, GONE -> current * unchangedFactor;
    };
    long interval = clamp(Math.round(Math.min(next, (double) Long.MAX_VALUE / 2)));
    return new Next(interval, clock.millis() + interval);
  }

  /** A page's interval from a sitemap's {@code <changefreq>}, within the bounds. */
  public long fromChangeFrequency(Duration changeFrequency) {
    return clamp(changeFrequency.toMillis());
  }

  private long clamp(long ms) {
    return Math.max(minMs, Math.min(maxMs, ms));
  }
}
