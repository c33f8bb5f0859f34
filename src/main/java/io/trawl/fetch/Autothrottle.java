package io.trawl.fetch;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code fetch.autothrottle}: each host's pace, adapted to how it answers (AIMD, as TCP does). A
 * {@code 429} or {@code 503} doubles the host's interval, and response times (a moving average)
 * that have doubled and grown by {@value #SLOW_MARGIN_MS} ms over the fastest the host has shown
 * stretch it by a third; at most one slow-down per current interval, so a burst of answers to
 * requests already in flight counts once. Quick, clean answers (below 400, or a 404) give back a
 * twentieth of the configured rate per second of them (each answer its share: the current interval
 * in seconds), up to that rate and never past it, so a host is back at full pace within 20 s of
 * clean answers and a slowed one probes upwards gently; the slowest pace is
 * one request per {@code fetch.autothrottle_max_delay}. The configured interval is the host's
 * (its rate's, or its Crawl-delay when longer). Thread-safe: every fetcher of the crawl shares
 * one; the {@value #MAX_HOSTS} hosts heard from last are kept, for the clock and for {@code
 * crawls.stats}.
 */
public final class Autothrottle {
  static final int MAX_HOSTS = 10_000;
  static final long SLOW_MARGIN_MS = 250;
  static final double RECOVERY_STEPS = 20;
  private static final double LATENCY_WEIGHT = 0.2;

  /** One host's pace. */
  private static final class Pace {
    long configuredNanos;
    double intervalNanos;
    double latencyMs = -1;
    double fastestMs = Double.MAX_VALUE;
    long lastCutNanos;
    int cuts;

    Pace(long configuredNanos, long nowNanos) {
      this.configuredNanos = configuredNanos;
      this.intervalNanos = configuredNanos;
      this.lastCutNanos = nowNanos - configuredNanos;
    }
  }

  private final long maxIntervalNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Pace> hosts = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Pace> eldest) {
      return size() > MAX_HOSTS;
    }
  };

  public Autothrottle(Duration maxDelay) {
    this(maxDelay, System::nanoTime);
  }

  Autothrottle(Duration maxDelay, LongSupplier nanoTime) {
    this.maxIntervalNanos = maxDelay.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The spacing {@code host}'s requests need now: at least {@code configuredNanos}. */
  public synchronized long intervalNanos(String host, long configuredNanos) {
    Pace pace = hosts.get(host);
    return pace == null ? configuredNanos : Math.max(configuredNanos, (long) pace.intervalNanos);
  }

  /**
   * {@code host} answered {@code status}, {@code latencyMs} after the request was sent (to its
   * response's headers).
   *
   * @param configuredNanos the host's interval without autothrottle
   */
  public synchronized void answered(String host, long configuredIntervalNanos, int status, long latencyMs) {
    long configuredNanos = Math.max(1, configuredIntervalNanos);
    long now = nanoTime.getAsLong();
    Pace pace = hosts.computeIfAbsent(host, h -> new Pace(configuredNanos, now));
    pace.configuredNanos = configuredNanos;
    pace.latencyMs = pace.latencyMs < 0 ? latencyMs : (1 - LATENCY_WEIGHT) * pace.latencyMs + LATENCY_WEIGHT * latencyMs;
    pace.fastestMs = Math.min(pace.fastestMs, pace.latencyMs);
    boolean refused = status == 429 || status == 503;
    boolean slow = pace.latencyMs > 2 * pace.fastestMs && pace.latencyMs > pace.fastestMs + SLOW_MARGIN_MS;
    if (refused || slow) {
      if (now - pace.lastCutNanos >= (long) pace.intervalNanos) {
        double factor = refused ? 2.0 : 4.0 / 3.0;
        pace.intervalNanos = Math.min(Math.max(maxIntervalNanos, configuredNanos),
            Math.max(configuredNanos, pace.intervalNanos * factor));
        pace.lastCutNanos = now;
        pace.cuts++;
      }
    } else if (status < 400 || status == 404) {
      // Additive in time: the configured rate / RECOVERY_STEPS per second of answers at this pace.
      double ratePerNano = 1 / pace.intervalNanos + pace.intervalNanos / 1e9 / (configuredNanos * RECOVERY_STEPS);
      pace.intervalNanos = Math.max(configuredNanos, 1 / ratePerNano);
    }
  }

  /**
   * The pace of the hosts heard from, slowest first, at most {@code limit}: for each, the requests
   * per second it allows now, the configured ones, and how many times it was slowed down.
   */
  public synchronized JsonObject paces(int limit) {
    List<Map.Entry<String, Pace>> all = new ArrayList<>(hosts.entrySet());
    all.sort(Comparator.comparingDouble((Map.Entry<String, Pace> e) -> -e.getValue().intervalNanos)
        .thenComparing(Map.Entry::getKey));
    JsonObject paces = new JsonObject();
    for (Map.Entry<String, Pace> entry : all.subList(0, Math.min(limit, all.size()))) {
      Pace pace = entry.getValue();
      paces.put(entry.getKey(), new JsonObject()
          .put("perSecond", perSecond(pace.intervalNanos))
          .put("configuredPerSecond", perSecond(pace.configuredNanos))
          .put("slowdowns", pace.cuts));
    }
    return paces;
  }

  /** Requests a second at one per {@code intervalNanos}, to 3 decimals. */
  private static double perSecond(double intervalNanos) {
    return Math.round(1e12 / intervalNanos) / 1000.0;
  }
}
