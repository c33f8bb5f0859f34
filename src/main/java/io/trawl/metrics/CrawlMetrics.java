package io.trawl.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trawl.config.TrawlConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the crawl counts about itself, for Prometheus ({@code crawl.metrics}) and the live dashboard
 * ({@code crawl.ui}): trawl's own meters in a Micrometer registry, the frontier's last snapshot,
 * and the last failures. One per crawl, shared by every verticle of its JVM. The hooks are called
 * where the work happens (the store's event loop, the parse pool, the fetchers' event loops, the
 * frontier's event loop) and cost a few counter increments: Micrometer's meters are lock-free
 * adders, the meters of a label set are looked up in a {@link ConcurrentHashMap} and built once,
 * and nothing blocks. {@link #OFF} (neither server asked for) does nothing at all.
 *
 * <p>Labels are bounded: a status class ({@code 2xx}, ..., {@code none}), a {@code pages.error}
 * word (a fixed list plus {@code http_<status>}), a stage, a robots verdict, a pause reason. No
 * URL or host is ever a label; the dashboard's top hosts come from {@link FrontierSnapshot}.
 */
public final class CrawlMetrics {
  /** No registry, no meters: every hook returns at once. */
  public static final CrawlMetrics OFF = new CrawlMetrics(null);

  /** Buckets of the stage histograms: enough to tell 2 ms from 20 ms from 2 s, few enough to stay cheap. */
  private static final Duration[] STAGE_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
  private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
  private static final String NO_ERROR = "none";

  private final PrometheusMeterRegistry registry;
  /** Pages stored, by status class (index into {@link #STATUS_CLASSES}) and then error word. */
  private final Map<String, Counter>[] pages;
  private final Counter bytes;
  private final Timer fetchTime;
  private final Timer parseTime;
  private final Timer commitTime;
  private final DistributionSummary batchPages;
  private final Counter retries;
  private final Map<String, Counter> robots = new ConcurrentHashMap<>();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong storing = new AtomicLong();
  private final AtomicLong hostsSeen = new AtomicLong();
  private final AtomicLong hostsActive = new AtomicLong();
  private final AtomicLong hostsPausedBreaker = new AtomicLong();
  private final AtomicLong hostsPausedRetryAfter = new AtomicLong();
  private final AtomicReference<FrontierSnapshot> frontier = new AtomicReference<>(FrontierSnapshot.EMPTY);
  private final RecentFailures failures = new RecentFailures(RecentFailures.DEFAULT_SIZE);
  private volatile boolean hostsWanted;

  @SuppressWarnings("unchecked") // an array of maps, one per status class
  private CrawlMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    if (registry == null) {
      pages = null;
      bytes = null;
      fetchTime = parseTime = commitTime = null;
      batchPages = null;
      retries = null;
      return;
    }
    // Vert.x labels the HTTP client's connection pools by their server, host:port, whatever the
    // label settings: one set of series per host crawled. The client's own request metrics stay.
    registry.config().meterFilter(MeterFilter.deny(id -> "http".equals(id.getTag("pool_type"))));
    pages = new Map[STATUS_CLASSES.length];
    for (int i = 0; i < pages.length; i++) {
      pages[i] = new ConcurrentHashMap<>();
    }
    bytes = Counter.builder("trawl.bytes").baseUnit("bytes")
        .description("Body bytes of the pages stored (kept after decompression, or written to a download)")
        .register(registry);
    fetchTime = stage("fetch");
    parseTime = stage("parse");
    commitTime = stage("store_commit");
    batchPages = DistributionSummary.builder("trawl.store.batch").baseUnit("pages")
        .description("Pages written per store transaction")
        .serviceLevelObjectives(BATCH_BUCKETS)
        .register(registry);
    retries = Counter.builder("trawl.retries")
        .description("Fetch attempts of a URL after its first (backoff retries and Retry-After/breaker put-backs)")
        .register(registry);
    gauge("trawl.frontier.queued", queued, "URLs queued (in memory and in the database)");
    gauge("trawl.frontier.in_flight", inFlight, "Requests on the network");
    gauge("trawl.frontier.storing", storing, "Pages fetched and waiting for their store commit");
    gauge("trawl.hosts.seen", hostsSeen, "Distinct hosts the frontier has queued this run");
    gauge("trawl.hosts.active", hostsActive, "Hosts with a request on the network");
    Gauge.builder("trawl.hosts.paused", hostsPausedBreaker, AtomicLong::get).tag("reason", "breaker")
        .description("Hosts waiting out their circuit breaker or a Retry-After").register(registry);
    Gauge.builder("trawl.hosts.paused", hostsPausedRetryAfter, AtomicLong::get).tag("reason", "retry_after")
        .description("Hosts waiting out their circuit breaker or a Retry-After").register(registry);
  }

  /**
   * Meters in a new Prometheus registry, which {@link MetricsVertx} also gives to Vert.x for its
   * own metrics and the JVM's.
   */
  public static CrawlMetrics create() {
    return new CrawlMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** {@link #create()} when the config asks for metrics or the dashboard, else {@link #OFF}. */
  public static CrawlMetrics forConfig(TrawlConfig config) {
    return config.crawl().metrics().isPresent() || config.crawl().ui().isPresent() ? create() : OFF;
  }

  public boolean isOn() {
    return registry != null;
  }

  /** The registry, or null when {@link #OFF}. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  // ---- hooks ------------------------------------------------------------------------------

  /**
   * A page's row committed (store event loop).
   *
   * @param status the HTTP status, 0 when no response came
   * @param error the {@code pages.error} word, null on success
   */
  public void pageStored(String url, int status, String error, long bodyBytes, long elapsedMs, long fetchedAtMs) {
    if (registry == null) {
      return;
    }
    int statusClass = status >= 100 && status < 600 ? status / 100 : 0;
    String errorLabel = error == null ? NO_ERROR : error;
    pages[statusClass].computeIfAbsent(errorLabel, e -> Counter.builder("trawl.pages")
        .description("Pages stored (every tried URL ends as one), by status class and error")
        .tag("status_class", STATUS_CLASSES[statusClass]).tag("error", e)
        .register(registry)).increment();
    bytes.increment(bodyBytes);
    if (status > 0) {
      fetchTime.record(elapsedMs, TimeUnit.MILLISECONDS);
    }
    if (error != null) {
      failures.add(new RecentFailures.Failure(fetchedAtMs, url, status, error));
    }
  }

  /** A store transaction committed {@code pageCount} pages in {@code nanos} (the writer thread). */
  public void batchCommitted(int pageCount, long nanos) {
    if (registry == null) {
      return;
    }
    commitTime.record(nanos, TimeUnit.NANOSECONDS);
    batchPages.record(pageCount);
  }

  /** A page was parsed, its items extracted and handed on in {@code nanos} of parse-pool time (the parse verticle's event loop). */
  public void parsed(long nanos) {
    if (registry != null) {
      parseTime.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** A URL is fetched again after an earlier attempt (a fetcher's event loop). */
  public void retried() {
    if (registry != null) {
      retries.increment();
    }
  }

  /** robots.txt answered for a URL: {@code allowed}, {@code disallowed} or {@code unavailable} (a fetcher's event loop). */
  public void robotsVerdict(String verdict) {
    if (registry == null) {
      return;
    }
    robots.computeIfAbsent(verdict, v -> Counter.builder("trawl.robots.verdicts")
        .description("URLs checked against robots.txt, by verdict")
        .tag("verdict", v).register(registry)).increment();
  }

  /** Whether the frontier should list its top hosts in its snapshots (the dashboard is on). */
  public boolean hostsWanted() {
    return hostsWanted;
  }

  /** The dashboard asks the frontier for its top hosts from now on. */
  public void wantHosts() {
    hostsWanted = true;
  }

  /** Where the frontier stands (its event loop, about once a second). */
  public void frontier(FrontierSnapshot snapshot) {
    if (registry == null) {
      return;
    }
    queued.set(snapshot.queued());
    inFlight.set(snapshot.inFlight());
    storing.set(snapshot.storing());
    hostsSeen.set(snapshot.hostsSeen());
    hostsActive.set(snapshot.hostsActive());
    hostsPausedBreaker.set(snapshot.hostsPausedBreaker());
    hostsPausedRetryAfter.set(snapshot.hostsPausedRetryAfter());
    frontier.set(snapshot);
  }

  // ---- readers (any thread) ---------------------------------------------------------------

  /** The frontier's last snapshot. */
  public FrontierSnapshot lastFrontier() {
    return frontier.get();
  }

  /** Pages stored so far, by error word ({@code none} for success), sorted by word. */
  public Map<String, Long> pagesByError() {
    Map<String, Long> byError = new TreeMap<>();
    if (registry != null) {
      for (Map<String, Counter> ofClass : pages) {
        ofClass.forEach((error, counter) -> byError.merge(error, (long) counter.count(), Long::sum));
      }
    }
    return byError;
  }

  /** Body bytes stored so far. */
  public long bytes() {
    return registry == null ? 0 : (long) bytes.count();
  }

  /** The last failures stored, newest first. */
  public List<RecentFailures.Failure> recentFailures() {
    return failures.newestFirst();
  }

  private Timer stage(String stage) {
    return Timer.builder("trawl.stage")
        .description("Time per page in each stage: fetch (the last attempt), parse (Jsoup, extraction, page handlers, item sink), "
            + "store_commit (one transaction of a batch of pages)")
        .tag("stage", stage)
        .serviceLevelObjectives(STAGE_BUCKETS)
        .register(registry);
  }

  private void gauge(String name, AtomicLong value, String description) {
    Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
  }
}
