package io.trawl.bench;

import io.trawl.CrawlJob;
import io.trawl.Extensions;
import io.trawl.bus.Progress;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.trawl.metrics.CrawlMetrics;
import io.trawl.metrics.MetricsVertx;
import io.trawl.parse.HtmlParser;
import io.trawl.store.RunKind;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreReader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trawl bench}: crawls a generated site served on 127.0.0.1 with the full pipeline into a
 * temporary SQLite file (and, given a PostgreSQL URL, into that database too, run for run, in the
 * schema {@value #POSTGRES_SCHEMA}), then parses the same pages in a parse-only loop, and reports
 * all. Runs on the calling (main) thread, which only waits; the work is on event loops and workers.
 */
public final class Bench {
  private static final Logger log = LoggerFactory.getLogger(Bench.class);
  private static final long SCRAPE_EVERY_MS = 5000;
  /**
   * @param pages pages in the site
   * @param pageBytes approximate bytes per page
   * @param links links per page
   * @param latencyMs server delay per response
   * @param concurrency fetch.concurrency
   * @param runs crawls of the whole site, one after another in this JVM, each into a new file
   * @param parseThreads parse.threads for the crawl; 0 = the crawler's default
   * @param postgres a PostgreSQL URL to crawl into as well, each run after the SQLite one; null for none
   * @param compareMetrics crawl each run twice, without and with {@code crawl.metrics} (in
   *     alternating order), to measure what the metrics cost
   * @param keepDb where to keep the last SQLite run's database (for {@code trawl report}), or null
   * @param recrawlEvery after the runs, edit one page in this many and recrawl the last SQLite
   *     run's file (10: a tenth of the site changed); 0 for no recrawl
   * @param hosts hosts the site is spread over, each a port of 127.0.0.1
   * @param perHostRate fetch.per_host_rate, e.g. {@code 1/s}
   * @param perHostConcurrency fetch.per_host_concurrency
   */
  public record Options(int pages, int pageBytes, int links, long latencyMs, int concurrency, int runs, int parseThreads,
      String postgres, boolean compareMetrics, Path keepDb, int recrawlEvery, int hosts, String perHostRate,
      int perHostConcurrency) {

    /** One host, no rate limit, the per-host concurrency the whole concurrency. */
    public Options(int pages, int pageBytes, int links, long latencyMs, int concurrency, int runs, int parseThreads,
        String postgres, boolean compareMetrics, Path keepDb, int recrawlEvery) {
      this(pages, pageBytes, links, latencyMs, concurrency, runs, parseThreads, postgres, compareMetrics, keepDb,
          recrawlEvery, 1, "1000000/s", concurrency);
    }

    public Options(int pages, int pageBytes, int links, long latencyMs, int concurrency, int runs, int parseThreads,
        String postgres, boolean compareMetrics, Path keepDb) {
      this(pages, pageBytes, links, latencyMs, concurrency, runs, parseThreads, postgres, compareMetrics, keepDb, 0);
    }
  }

  /**
   * What the server saw of one crawl: requests (robots.txt included), {@code 304} answers, and page
   * body bytes sent.
   */
  public record Traffic(long requests, long notModified, long bodyBytes) {
    Traffic minus(Traffic before) {
      return new Traffic(requests - before.requests, notModified - before.notModified, bodyBytes - before.bodyBytes);
    }

    static Traffic of(GeneratedSite site) {
      return new Traffic(site.requests(), site.notModified(), site.bodyBytes());
    }
  }

  /**
   * The recrawl of the last SQLite run's file after a share of the site changed, with conditional
   * requests, and then a {@code --due} run timed as if {@value #DUE_LATER_FRACTION_OF_INTERVAL} of
   * {@code recrawl.interval} had passed: by then the adaptive schedule has made only the pages
   * found changed due.
   *
   * @param edited pages changed before the recrawl
   * @param crawl the last SQLite crawl's traffic, for comparison
   * @param recrawl the recrawl's traffic
   * @param recrawlRun the recrawl itself
   * @param changes the recrawl's {@code page_versions.change} counts
   * @param due the later {@code --due} run's traffic
   */
  public record Recrawl(int edited, Run crawlRun, Traffic crawl, Traffic recrawl, Run recrawlRun, Map<String, Long> changes,
      Traffic due) {}

  /**
   * One crawl of the whole site.
   *
   * @param seconds the whole crawl: starting the pipeline, fetching, and closing the store
   * @param fetchingSeconds from the first response to the last: the crawl without its start and end
   * @param cpuSeconds CPU time of this process (crawler, server and JIT) during the crawl
   * @param cpuByGroup the same CPU by stage: parse, store, event loops, server, other threads, gc+jit
   * @param databaseCpuSeconds CPU of the PostgreSQL server processes on this machine during the
   *     crawl (NaN for SQLite, which runs in the crawler's store thread, or when it cannot be read)
   * @param withMetrics whether {@code crawl.metrics} was on (served, and scraped every few seconds)
   */
  public record Run(
      long pagesStored,
      long errors,
      double seconds,
      double fetchingSeconds,
      double cpuSeconds,
      long latencyP50Ms,
      long latencyP99Ms,
      long bytes,
      Map<String, Double> cpuByGroup,
      double databaseCpuSeconds,
      boolean withMetrics) {

    public double pagesPerSecond() {
      return pagesStored / seconds;
    }

    /** CPU of the whole process (crawler, server, JIT and GC) per page stored, in ms. */
    public double cpuMsPerPage() {
      return 1000 * cpuSeconds / Math.max(1, pagesStored);
    }

    public double megabytesPerSecond() {
      return bytes / 1e6 / seconds;
    }
  }

  /**
   * What one bench measured: every run (into SQLite, and into PostgreSQL when asked), the process's
   * peak heap and RSS over all of them, and the parse-only loop.
   */
  public record Report(
      Options options,
      List<Run> runs,
      List<Run> postgresRuns,
      String postgres,
      long peakHeapBytes,
      long peakRssBytes,
      double parseOnlyPagesPerSecond,
      int cores,
      String jvm,
      Recrawl recrawl) {

    /** The last run: the one with the JIT's work done, as in any crawl longer than a minute. */
    public Run measured() {
      return runs.get(runs.size() - 1);
    }

    /** The last run into PostgreSQL, or null when there was none. */
    public Run postgresMeasured() {
      return postgresRuns.isEmpty() ? null : postgresRuns.get(postgresRuns.size() - 1);
    }
  }

  /** The schema a bench crawls into on PostgreSQL: its tables are dropped before each run and at the end. */
  public static final String POSTGRES_SCHEMA = "trawl_bench";
  private static final int PARSE_ONLY_DISTINCT = 1000;
  private static final int PARSE_ONLY_PASSES = 3;
  /** When the bench's {@code --due} run comes after the recrawl, in {@code recrawl.interval}s. */
  public static final double DUE_LATER_FRACTION_OF_INTERVAL = 0.9;

  private Bench() {}

  public static Report run(Options options) throws Exception {
    Path dir = Files.createTempDirectory("trawl-bench");
    Vertx serverVertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      GeneratedSite site = new GeneratedSite(serverVertx, options.pages(), options.pageBytes(), options.links(),
          options.latencyMs(), 0, options.hosts());
      if (options.recrawlEvery() > 0) {
        site.withValidators();
      }
      site.start().toCompletionStage().toCompletableFuture().get();
      StoreBackend postgres = options.postgres() == null ? null : StoreBackends.of(options.postgres(), POSTGRES_SCHEMA);
      resetPeaks();
      List<Run> runs = new ArrayList<>();
      List<Run> postgresRuns = new ArrayList<>();
      Path last = null;
      Traffic lastCrawl = null;
      for (int i = 0; i < options.runs(); i++) {
        if (options.compareMetrics()) {
          // Alternating which goes first, so the JIT's progress and the machine's drift fall on both.
          boolean metricsFirst = i % 2 == 1;
          runs.add(crawl(site, options, sqlite(dir.resolve("bench-" + i + "a.db")), metricsFirst));
          last = dir.resolve("bench-" + i + "b.db");
          Traffic before = Traffic.of(site);
          runs.add(crawl(site, options, sqlite(last), !metricsFirst));
          lastCrawl = Traffic.of(site).minus(before);
        } else {
          last = dir.resolve("bench-" + i + ".db");
          Traffic before = Traffic.of(site);
          runs.add(crawl(site, options, sqlite(last), false));
          lastCrawl = Traffic.of(site).minus(before);
        }
        if (postgres != null) {
          postgres.wipe();
          postgresRuns.add(crawl(site, options, new Target(postgres, options.postgres()), false));
        }
      }
      if (options.keepDb() != null) {
        Files.copy(last, options.keepDb(), StandardCopyOption.REPLACE_EXISTING);
      }
      if (postgres != null) {
        postgres.wipe();
      }
      Recrawl recrawl = options.recrawlEvery() <= 0 ? null
          : recrawl(site, options, last, runs.get(runs.size() - 1), lastCrawl);
      long peakHeap = peakHeap();
      double parseOnly = parseOnly(site, Runtime.getRuntime().availableProcessors());
      return new Report(options, runs, postgresRuns, postgres == null ? null : postgres.display(), peakHeap, peakRss(),
          parseOnly, Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), recrawl);
    } finally {
      serverVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      deleteTree(dir);
    }
  }

  /**
   * Edits one page in {@code options.recrawlEvery()}, recrawls the SQLite {@code file} (every
   * page, with conditional requests), then runs {@code --due} as if {@value
   * #DUE_LATER_FRACTION_OF_INTERVAL} of an interval had passed.
   */
  private static Recrawl recrawl(GeneratedSite site, Options options, Path file, Run crawlRun, Traffic crawl)
      throws Exception {
    int edited = site.edit(options.recrawlEvery());
    Target target = sqlite(file);
    StoreBackend store = target.store();
    Traffic before = Traffic.of(site);
    Run recrawlRun = crawl(site, options, target, false, RunKind.RECRAWL, Long.MAX_VALUE);
    Traffic recrawl = Traffic.of(site).minus(before);
    Map<String, Long> changes = new java.util.TreeMap<>();
    try (StoreReader reader = store.openReader();
        ResultSet rs = reader.query("SELECT change, count(*) FROM page_versions "
            + "WHERE crawl_id = (SELECT max(id) FROM crawls) GROUP BY change")) {
      while (rs.next()) {
        changes.put(rs.getString(1), rs.getLong(2));
      }
    }
    long interval = ConfigLoader.defaults().recrawl().interval().toMillis();
    long dueBefore = System.currentTimeMillis() + Math.round(DUE_LATER_FRACTION_OF_INTERVAL * interval);
    before = Traffic.of(site);
    crawl(site, options, target, false, RunKind.RECRAWL, dueBefore);
    Traffic due = Traffic.of(site).minus(before);
    return new Recrawl(edited, crawlRun, crawl, recrawl, recrawlRun, changes, due);
  }

  /**
   * Crawls the whole site from page 0 into {@code target} on a Vert.x instance of its own; with
   * {@code withMetrics}, with {@code crawl.metrics} on and its endpoint scraped as Prometheus would.
   */
  private static Run crawl(GeneratedSite site, Options options, Target target, boolean withMetrics) throws Exception {
    return crawl(site, options, target, withMetrics, RunKind.CRAWL, Long.MAX_VALUE);
  }

  /** A run of {@code kind} on the site into {@code target}; a recrawl refetches the rows due by {@code dueBeforeMs}. */
  private static Run crawl(GeneratedSite site, Options options, Target target, boolean withMetrics, RunKind kind,
      long dueBeforeMs) throws Exception {
    StoreBackend store = target.store();
    String location = target.location();
    TrawlConfig config = ConfigLoader.load(null, Map.of(
        "crawl.metrics", withMetrics ? "127.0.0.1:0" : "off",
        "crawl.db", location,
        "crawl.db_schema", POSTGRES_SCHEMA,
        "crawl.max_depth", "1000000",
        "fetch.concurrency", String.valueOf(options.concurrency()),
        "fetch.per_host_concurrency", String.valueOf(options.perHostConcurrency()),
        "parse.threads", String.valueOf(options.parseThreads()),
        "fetch.per_host_rate", options.perHostRate(),
        "fetch.respect_robots", "true"));
    List<String> seeds = List.of(site.url(0));
    boolean postgres = StoreBackends.isPostgres(location);
    PostgresCpu.Snapshot databaseBefore = postgres ? PostgresCpu.snapshot() : null;
    double cpuBefore = processCpuSeconds();
    ThreadCpu cpuByThread = new ThreadCpu().start();
    long started = System.nanoTime();
    CrawlMetrics metrics = CrawlMetrics.forConfig(config);
    Vertx crawlVertx = MetricsVertx.create(CrawlJob.vertxOptions(), metrics, withMetrics);
    Progress last;
    ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
    try {
      CrawlJob job = new CrawlJob(crawlVertx, config, seeds, Scope.of(config.crawl(), seeds), kind,
          dueBeforeMs, Extensions.NONE, metrics);
      job.start().toCompletionStage().toCompletableFuture().get();
      if (withMetrics) {
        scrapeEvery(scraper, "http://127.0.0.1:" + job.metricsPort() + "/metrics");
      }
      last = job.finished().toCompletionStage().toCompletableFuture().get();
    } finally {
      scraper.shutdownNow();
      crawlVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpu = processCpuSeconds() - cpuBefore;
    double databaseCpu = postgres ? PostgresCpu.between(databaseBefore, PostgresCpu.snapshot(), store) : Double.NaN;
    Map<String, Double> cpuByGroup = cpuByThread.stop(site.serverThreads(), cpu);
    Stored stored = stored(store);
    return new Run(last.stored(), last.failed(), seconds, stored.fetchingMs() / 1e3, cpu, stored.latencyP50Ms(),
        stored.latencyP99Ms(), stored.bytes(), cpuByGroup, databaseCpu, withMetrics);
  }

  /** Where a run crawls into: the backend, and {@code crawl.db} naming it. */
  private record Target(StoreBackend store, String location) {}

  private static Target sqlite(Path file) {
    return new Target(StoreBackends.of(file.toString(), "public"), file.toString());
  }

  /** Scrapes {@code url} every {@value #SCRAPE_EVERY_MS} ms, as Prometheus would (more often than its default 15 s). */
  private static void scrapeEvery(ScheduledExecutorService scraper, String url) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
    scraper.scheduleAtFixedRate(() -> {
      try {
        http.send(request, HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        log.debug("bench scrape failed url={}", url, e); // the crawl is closing; the next one tries again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, SCRAPE_EVERY_MS, SCRAPE_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * As many pages of the site parsed (HtmlParser: decode, Jsoup, links, hash) on {@code threads}
   * threads, in pages/s: the best of {@value #PARSE_ONLY_PASSES} passes, so the crawl is compared
   * with the parser at its fastest. The bodies are the first {@value #PARSE_ONLY_DISTINCT} pages,
   * cycled: the whole site held at once would be hundreds of MB, and a loop starved of heap
   * measures the GC.
   */
  static double parseOnly(GeneratedSite site, int threads) throws Exception {
    int n = site.pages();
    List<byte[]> bodies = new ArrayList<>(PARSE_ONLY_DISTINCT);
    for (int i = 0; i < Math.min(n, PARSE_ONLY_DISTINCT); i++) {
      bodies.add(site.render(i));
    }
    HtmlParser parser = new HtmlParser();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      runParse(pool, parser, site, bodies, Math.min(n, 2000), threads);
      double best = 0;
      for (int pass = 0; pass < PARSE_ONLY_PASSES; pass++) {
        long started = System.nanoTime();
        runParse(pool, parser, site, bodies, n, threads);
        best = Math.max(best, n / ((System.nanoTime() - started) / 1e9));
      }
      return best;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void runParse(ExecutorService pool, HtmlParser parser, GeneratedSite site, List<byte[]> bodies,
      int count, int threads) throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < count) {
          int page = i % bodies.size();
          parser.parse(site.url(page), bodies.get(page), "text/html; charset=utf-8");
        }
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
  }

  /**
   * What a crawl's file says of it: p50 and p99 of {@code elapsed_ms}, the bytes stored, and the
   * ms from the first response to the last.
   */
  private record Stored(long latencyP50Ms, long latencyP99Ms, long bytes, long fetchingMs) {}

  private static Stored stored(StoreBackend store) throws SQLException {
    try (StoreReader reader = store.openReader()) {
      long count;
      long bytes;
      long fetchingMs;
      try (ResultSet rs = reader.query("SELECT count(*), coalesce(sum(bytes), 0), min(fetched_at), max(fetched_at) FROM pages")) {
        rs.next();
        count = rs.getLong(1);
        bytes = rs.getLong(2);
        fetchingMs = count == 0 ? 0 : Duration.between(Instant.parse(rs.getString(3)), Instant.parse(rs.getString(4))).toMillis();
      }
      return new Stored(percentile(reader, count, 0.50), percentile(reader, count, 0.99), bytes, fetchingMs);
    }
  }

  private static long percentile(StoreReader reader, long count, double p) throws SQLException {
    if (count == 0) {
      return 0;
    }
    long offset = Math.min(count - 1, (long) Math.floor(p * (count - 1)));
    try (ResultSet rs = reader.query("SELECT elapsed_ms FROM pages ORDER BY elapsed_ms LIMIT 1 OFFSET " + offset)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /** The process's peak resident set (VmHWM), or -1 where /proc is not there. */
  private static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static double processCpuSeconds() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
