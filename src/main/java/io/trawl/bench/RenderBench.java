package io.trawl.bench;

import io.trawl.CrawlJob;
import io.trawl.bus.Progress;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code trawl bench --render}: crawls generated sites whose pages are built by their scripts,
 * with the full pipeline and a real headless Chromium. First every page is scripted and rendered
 * ({@code render.mode: all}, images, fonts, media and stylesheets blocked): rendered pages/s, CPU
 * per page of the JVM and of the browser's processes, and their peak memory. Then a site where
 * every tenth page is scripted, crawled plainly (the scripted pages show nothing) and with {@code
 * render.mode: auto} (which renders them, learning their URL pattern): both rates and their ratio.
 * Runs on the calling (main) thread, which only waits.
 */
public final class RenderBench {
  /** Every tenth page of the auto-mode site is built by its script. */
  public static final int AUTO_SCRIPT_EVERY = 10;

  /**
   * @param pages pages in each site
   * @param pageBytes approximate bytes per page
   * @param links links per page
   * @param latencyMs server delay per response
   * @param concurrency fetch.concurrency (and the per-host concurrency: one host)
   * @param tabs render.pages; 0 = one per core plus one
   * @param browser render.browser
   */
  public record Options(int pages, int pageBytes, int links, long latencyMs, int concurrency, int tabs, String browser) {}

  /**
   * One crawl.
   *
   * @param seconds the whole crawl, the browser's start and end included
   * @param fetchingSeconds from the first page stored to the last
   * @param jvmCpuSeconds CPU of this JVM (crawler and the site's server), without the bench's own
   *     sampler of the browser's processes
   * @param jitCpuSeconds the part of {@code jvmCpuSeconds} spent by the JIT compiler threads
   * @param samplerCpuSeconds CPU of the bench's sampler thread (not in {@code jvmCpuSeconds})
   * @param browserCpuSeconds CPU of the browser's processes
   * @param peakRssBytes peak of the JVM's and the browser processes' resident sets, summed
   * @param peakBrowserRssBytes the browser processes' part of it
   * @param peakPssBytes peak of the JVM's and the browser processes' proportional set sizes, summed
   * @param browserProcesses browser processes seen (restarts and renderers included)
   * @param strayRequests requests for what a page may not load (blocked types, pages outside the site)
   */
  public record Run(long pages, long errors, long rendered, double seconds, double fetchingSeconds,
      double jvmCpuSeconds, double jitCpuSeconds, double samplerCpuSeconds, double browserCpuSeconds,
      long peakRssBytes, long peakBrowserRssBytes, long peakPssBytes, int browserProcesses, long strayRequests) {

    public double pagesPerSecond() {
      return pages / seconds;
    }

    /** Pages per second between the first page stored and the last: without the browser's start. */
    public double steadyPagesPerSecond() {
      return fetchingSeconds > 0 ? (pages - 1) / fetchingSeconds : pagesPerSecond();
    }
  }

  /** What the bench measured: all pages rendered; the auto-mode site crawled plainly and in auto mode. */
  public record Report(Options options, Run rendered, Run plain, Run auto, int cores, String load, String jvm) {}

  private RenderBench() {}

  public static Report run(Options options) throws Exception {
    Path dir = Files.createTempDirectory("trawl-render-bench");
    Vertx serverVertx = Vertx.vertx(CrawlJob.vertxOptions());
    String load = loadAverage();
    try {
      GeneratedSite scripted = start(serverVertx, options, 1);
      Run rendered = crawl(scripted, options, dir.resolve("rendered.db"), Map.of(
          "render.mode", "all",
          "render.wait_for", "ul.links"));
      GeneratedSite mixed = start(serverVertx, options, AUTO_SCRIPT_EVERY);
      Run plain = crawl(mixed, options, dir.resolve("plain.db"), Map.of());
      Run auto = crawl(mixed, options, dir.resolve("auto.db"), Map.of(
          "render.mode", "auto",
          "render.wait_for", "ul.links"));
      return new Report(options, rendered, plain, auto, Runtime.getRuntime().availableProcessors(), load,
          System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    } finally {
      serverVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      deleteTree(dir);
    }
  }

  private static GeneratedSite start(Vertx vertx, Options options, int scriptEvery) throws Exception {
    return new GeneratedSite(vertx, options.pages(), options.pageBytes(), options.links(), options.latencyMs(),
        scriptEvery).start().toCompletionStage().toCompletableFuture().get();
  }

  /** Crawls the whole site from page 0 into {@code db}; {@code render} holds the render.* keys. */
  private static Run crawl(GeneratedSite site, Options options, Path db, Map<String, String> render) throws Exception {
    Map<String, String> keys = new HashMap<>(Map.of(
        "crawl.db", db.toString(),
        "crawl.max_depth", "1000000",
        "fetch.concurrency", String.valueOf(options.concurrency()),
        "fetch.per_host_concurrency", String.valueOf(options.concurrency()),
        "fetch.per_host_rate", "1000000/s",
        "render.pages", String.valueOf(options.tabs()),
        "render.browser", options.browser()));
    keys.putAll(render);
    TrawlConfig config = ConfigLoader.fromYaml("""
        rules:
          - name: page
            url: '/(page|app)/'
            fields: {heading: h1}
        """, keys);
    List<String> seeds = List.of(site.url(site.scripted(0) && render.isEmpty() ? 1 : 0));
    long strayBefore = site.strayRequests();
    double cpuBefore = processCpuSeconds();
    ProcessTreeUse children = new ProcessTreeUse().start();
    long started = System.nanoTime();
    Vertx crawlVertx = Vertx.vertx(CrawlJob.vertxOptions());
    Progress last;
    try {
      CrawlJob job = new CrawlJob(crawlVertx, config, seeds, Scope.of(config.crawl(), seeds), false);
      last = job.start().compose(v -> job.finished()).toCompletionStage().toCompletableFuture().get();
    } finally {
      crawlVertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpu = processCpuSeconds() - cpuBefore;
    children.stop();
    long[] stored = stored(db);
    return new Run(last.stored(), last.failed(), stored[0], seconds, stored[1] / 1e3, cpu - children.samplerCpuSeconds(),
        children.jitCpuSeconds(), children.samplerCpuSeconds(), children.childCpuSeconds(),
        children.peakTotalRssBytes(), children.peakChildrenRssBytes(), children.peakTotalPssBytes(), children.processes(),
        site.strayRequests() - strayBefore);
  }

  /** Pages rendered, and the ms from the first page stored to the last. */
  private static long[] stored(Path db) throws SQLException {
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT count(rendered), "
            + "coalesce(round((julianday(max(fetched_at)) - julianday(min(fetched_at))) * 86400000), 0) FROM pages")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  private static double processCpuSeconds() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  /** The machine's load averages (1, 5, 15 minutes) as /proc says them, or "-". */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "-";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
