package io.trawl.bench;

import io.trawl.store.StoreBackends;
import io.trawl.store.StoreReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code trawl bench --cold}: speed as a user sees it. Serves the generated site from a process of
 * its own ({@link SiteProcess}, warmed up by itself, then by one untimed crawl), then runs {@code
 * trawl crawl} through the launcher as a fresh process per run, in an empty directory (built-in
 * defaults, no config file), and measures that process from outside: its wall time from start to
 * exit, its CPU (user + sys from bash's {@code times} once it has been reaped), its peak RSS
 * (VmHWM, read from /proc every {@value #SAMPLE_MS} ms while it runs), and, every {@code
 * windowPages} pages served, a window of rate, CPU, RSS and heap after GC (from a GC log the JVM
 * writes), so a long crawl shows whether it slows down or grows. Linux only (/proc, bash). Runs on
 * the calling (main) thread.
 */
public final class ColdBench {
  static final long SAMPLE_MS = 100;
  /** Pages of the untimed crawl that finishes warming the site's process, at most. */
  static final int WARM_UP_CRAWL_PAGES = 10_000;
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s\\s+(\\d+)m([0-9.]+)s");
  private static final Pattern GC_AFTER = Pattern.compile("\\[([0-9.]+)s\\].*Pause.* (\\d+)M->(\\d+)M\\(");

  /**
   * @param pages pages of the site
   * @param pageBytes approximate bytes per page
   * @param links links per page
   * @param latencyMs server delay per response
   * @param hosts hosts the site is spread over (ports of 127.0.0.1)
   * @param concurrency the crawl's {@code fetch.concurrency}
   * @param perHostConcurrency the crawl's {@code fetch.per_host_concurrency}
   * @param perHostRate the crawl's {@code fetch.per_host_rate}, e.g. {@code 1/s}
   * @param runs fresh crawl processes, one after another, against the same server process
   * @param windowPages pages per window of the timeline (0: none)
   * @param launcher the {@code trawl} launcher (or any program taking trawl's arguments)
   * @param crawlSets more {@code --set KEY=VALUE} for the crawl
   */
  public record Options(int pages, int pageBytes, int links, long latencyMs, int hosts, int concurrency,
      int perHostConcurrency, String perHostRate, int runs, long windowPages, Path launcher, List<String> crawlSets) {}

  /**
   * One window of a crawl's timeline: from {@code fromPages} to {@code toPages} pages served.
   *
   * @param heapAfterGcBytes the largest heap left after a collection within the window (-1: none)
   */
  public record Window(long fromPages, long toPages, double seconds, double cpuSeconds, long rssBytes,
      long heapAfterGcBytes) {
    public double pagesPerSecond() {
      return (toPages - fromPages) / seconds;
    }
  }

  /**
   * One crawl process.
   *
   * @param seconds the process from start to exit: JVM start, the crawl, closing the database
   * @param firstPageSeconds from the start to the first page fetched
   * @param fetchingSeconds from the first page fetched to the last
   * @param cpuSeconds user + sys of the crawl process (the launcher's own included)
   * @param serverCpuSeconds the server process's CPU meanwhile
   * @param requests requests the server answered (robots.txt included)
   * @param dbBytes the database file once the crawl closed it
   * @param tableBytes bytes by table and index (SQLite's dbstat), empty when unavailable
   * @param threadSeconds the crawl process's CPU by thread group ({@link ThreadTicks#GROUPS}), zeros where /proc is not
   */
  public record Run(int exitCode, long pages, long errors, double seconds, double firstPageSeconds,
      double fetchingSeconds, double cpuSeconds, long peakRssBytes, double serverCpuSeconds, long requests,
      long dbBytes, Map<String, Long> tableBytes, List<Window> windows, Map<String, Double> threadSeconds) {
    public double pagesPerSecond() {
      return pages / seconds;
    }

    public double cpuMsPerPage() {
      return 1000 * cpuSeconds / Math.max(1, pages);
    }
  }

  public record Report(Options options, List<Run> runs, String serverJvm) {}

  private ColdBench() {}

  /** Where the launcher is: {@code TRAWL_LAUNCHER} (the launcher sets it), else beside the jar's directory. */
  public static Optional<Path> defaultLauncher() {
    String env = System.getenv("TRAWL_LAUNCHER");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env));
    }
    try {
      Path jar = Path.of(ColdBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path beside = jar.getParent() == null || jar.getParent().getParent() == null ? null
          : jar.getParent().getParent().resolve("trawl");
      return beside != null && Files.isExecutable(beside) ? Optional.of(beside) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  public static Report run(Options options, PrintWriter progress) throws Exception {
    Path dir = Files.createTempDirectory("trawl-cold");
    Process server = startServer(options, dir);
    try {
      ServerLink link = new ServerLink(server);
      String seed = link.awaitServing();
      progress.printf("bench: site served by process %d at %s (warmed up)%n", server.pid(), seed);
      progress.flush();
      warmUpCrawl(options, dir, seed, link, progress);
      List<Run> runs = new ArrayList<>();
      for (int i = 0; i < options.runs(); i++) {
        Path runDir = Files.createDirectories(dir.resolve("run-" + (i + 1)));
        Run run = crawl(options, runDir, seed, link);
        runs.add(run);
        progress.printf("bench: run %d: %d pages in %.1f s, exit %d%n", i + 1, run.pages(), run.seconds(), run.exitCode());
        progress.flush();
        deleteTree(runDir);
      }
      return new Report(options, runs, Runtime.version().toString());
    } finally {
      server.getOutputStream().close();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
      deleteTree(dir);
    }
  }

  /**
   * One crawl of the site's first pages, not reported, before the measured ones: the site's process
   * warms up by itself, but the first crawl against it still cost it twice the CPU a page of a
   * later crawl (BENCHMARKS.md), CPU taken from the crawl's two cores. A site served by nginx is
   * as warm for the first crawl as for the tenth.
   */
  private static void warmUpCrawl(Options o, Path dir, String seed, ServerLink server, PrintWriter progress)
      throws Exception {
    List<String> sets = new ArrayList<>(o.crawlSets());
    sets.add("crawl.max_pages=" + Math.min(o.pages(), WARM_UP_CRAWL_PAGES));
    Options warmUp = new Options(o.pages(), o.pageBytes(), o.links(), o.latencyMs(), o.hosts(), o.concurrency(),
        o.perHostConcurrency(), o.perHostRate(), 1, 0, o.launcher(), sets);
    Path runDir = Files.createDirectories(dir.resolve("warm-up"));
    Run run = crawl(warmUp, runDir, seed, server);
    progress.printf("bench: the site's warm-up crawl: %d pages in %.1f s, exit %d (not reported)%n",
        run.pages(), run.seconds(), run.exitCode());
    progress.flush();
    deleteTree(runDir);
  }

  /** The site's process: this JVM's java and class path, its own small heap. */
  private static Process startServer(Options o, Path dir) throws IOException {
    return startServer(o.pages(), o.pageBytes(), o.links(), o.latencyMs(), o.hosts(), dir.resolve("server.log"));
  }

  /** The generated site in a process of its own ({@link SiteProcess}), its standard error to {@code log}. */
  static Process startServer(int pages, int pageBytes, int links, long latencyMs, int hosts, Path log)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "io.trawl.cli.Main", "bench", "--serve",
        "--pages", String.valueOf(pages), "--page-size", pageBytes + "B", "--links", String.valueOf(links),
        "--latency", latencyMs + "ms", "--hosts", String.valueOf(hosts)));
    return new ProcessBuilder(command)
        .redirectError(log.toFile())
        .start();
  }

  /**
   * One {@code trawl crawl} of the whole site from page 0, through the launcher, with bash's
   * {@code times} written once it is over: the CPU of the reaped child, to the millisecond.
   */
  private static Run crawl(Options o, Path runDir, String seed, ServerLink server) throws Exception {
    Files.writeString(runDir.resolve("seeds.txt"), seed + "\n");
    Path db = runDir.resolve("cold.db");
    Path times = runDir.resolve("times.txt");
    Path gcLog = runDir.resolve("gc.log");
    List<String> command = new ArrayList<>(List.of("bash", "-c",
        "\"$@\"; rc=$?; times > '" + times + "'; exit $rc", "cold-bench",
        o.launcher().toString(), "crawl", "--db", db.toString(), "--seeds", runDir.resolve("seeds.txt").toString(),
        "--concurrency", String.valueOf(o.concurrency()), "--rate", o.perHostRate(), "--max-depth", "1000000",
        "--set", "fetch.per_host_concurrency=" + o.perHostConcurrency()));
    for (String set : o.crawlSets()) {
      command.add("--set");
      command.add(set);
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(runDir.toFile())
        .redirectOutput(runDir.resolve("crawl.out").toFile())
        .redirectError(runDir.resolve("crawl.err").toFile());
    // A GC log for the heap after each collection; the launcher's flags are otherwise untouched.
    String tool = System.getenv("JDK_JAVA_OPTIONS");
    builder.environment().put("JDK_JAVA_OPTIONS",
        (tool == null ? "" : tool + " ") + "-Xlog:gc:file=" + gcLog + ":uptime");
    long requestsBefore = server.stats().requests();
    double serverCpuBefore = server.stats().cpuSeconds();
    Instant startedAt = Instant.now();
    long started = System.nanoTime();
    Process shell = builder.start();
    Timeline timeline = new Timeline(o.windowPages(), requestsBefore);
    long peakRss = 0;
    ThreadTicks threads = new ThreadTicks();
    while (!shell.waitFor(SAMPLE_MS, TimeUnit.MILLISECONDS)) {
      Optional<ProcessHandle> crawler = shell.children().findFirst();
      if (crawler.isEmpty()) {
        continue;
      }
      ProcStatus status = ProcStatus.read(crawler.get().pid());
      if (status == null) {
        continue;
      }
      threads.sample(crawler.get().pid());
      peakRss = Math.max(peakRss, status.hwmBytes());
      timeline.sample((System.nanoTime() - started) / 1e9, server.stats().requests(), status);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    int exit = shell.exitValue();
    ServerLink.Stats after = server.stats();
    double cpu = childCpuSeconds(times);
    if (exit != 0) {
      System.err.print(Files.readString(runDir.resolve("crawl.err")));
    }
    Stored stored = stored(db, startedAt);
    List<Window> windows = timeline.windows(GcLog.read(gcLog));
    return new Run(exit, stored.pages(), stored.errors(), seconds, stored.firstPageSeconds(), stored.fetchingSeconds(),
        cpu, peakRss, after.cpuSeconds() - serverCpuBefore, after.requests() - requestsBefore, Files.exists(db) ? Files.size(db) : 0,
        tableBytes(db), windows, threads.secondsByGroup());
  }

  /** The children's user and sys of bash's {@code times} (its second line), in seconds. */
  static double childCpuSeconds(Path times) throws IOException {
    List<String> lines = Files.readAllLines(times);
    if (lines.size() < 2) {
      return Double.NaN;
    }
    Matcher m = TIMES.matcher(lines.get(1));
    if (!m.find()) {
      return Double.NaN;
    }
    return 60 * Long.parseLong(m.group(1)) + Double.parseDouble(m.group(2))
        + 60 * Long.parseLong(m.group(3)) + Double.parseDouble(m.group(4));
  }

  private record Stored(long pages, long errors, double firstPageSeconds, double fetchingSeconds) {}

  private static Stored stored(Path db, Instant startedAt) throws SQLException {
    if (!Files.exists(db)) {
      return new Stored(0, 0, Double.NaN, Double.NaN);
    }
    try (StoreReader reader = StoreBackends.of(db.toString(), "public").openReader();
        ResultSet rs = reader.query("SELECT count(*), count(error), min(fetched_at), max(fetched_at) FROM pages")) {
      rs.next();
      long pages = rs.getLong(1);
      if (pages == 0) {
        return new Stored(0, 0, Double.NaN, Double.NaN);
      }
      Instant first = Instant.parse(rs.getString(3));
      Instant last = Instant.parse(rs.getString(4));
      return new Stored(pages, rs.getLong(2), (first.toEpochMilli() - startedAt.toEpochMilli()) / 1e3,
          (last.toEpochMilli() - first.toEpochMilli()) / 1e3);
    }
  }

  /** Bytes of each table and index, largest first, from SQLite's dbstat; empty where it is not compiled in. */
  static Map<String, Long> tableBytes(Path db) {
    Map<String, Long> bytes = new LinkedHashMap<>();
    try (StoreReader reader = StoreBackends.of(db.toString(), "public").openReader();
        ResultSet rs = reader.query("SELECT name, sum(pgsize) AS b FROM dbstat GROUP BY name ORDER BY b DESC")) {
      while (rs.next()) {
        bytes.put(rs.getString(1), rs.getLong(2));
      }
    } catch (SQLException | RuntimeException e) {
      bytes.clear();
    }
    return bytes;
  }

  /** Samples taken while a crawl runs, cut into windows of pages served. */
  private static final class Timeline {
    private final long windowPages;
    private final long requestsBefore;
    private final List<double[]> cuts = new ArrayList<>(); // seconds, pages, cpu seconds, rss bytes
    private long nextCut;

    Timeline(long windowPages, long requestsBefore) {
      this.windowPages = windowPages;
      this.requestsBefore = requestsBefore;
      this.nextCut = windowPages;
    }

    void sample(double seconds, long requests, ProcStatus status) {
      long pages = requests - requestsBefore;
      if (cuts.isEmpty()) {
        cuts.add(new double[] {seconds, pages, status.cpuSeconds(), status.rssBytes()});
      }
      if (windowPages > 0 && pages >= nextCut) {
        cuts.add(new double[] {seconds, pages, status.cpuSeconds(), status.rssBytes()});
        nextCut = (pages / windowPages + 1) * windowPages;
      }
    }

    List<Window> windows(List<double[]> gc) {
      List<Window> windows = new ArrayList<>();
      for (int i = 1; i < cuts.size(); i++) {
        double[] a = cuts.get(i - 1);
        double[] b = cuts.get(i);
        long heap = -1;
        for (double[] pause : gc) {
          if (pause[0] > a[0] && pause[0] <= b[0]) {
            heap = Math.max(heap, (long) pause[1]);
          }
        }
        windows.add(new Window((long) a[1], (long) b[1], b[0] - a[0], b[2] - a[2], (long) b[3], heap));
      }
      return windows;
    }
  }

  /** The lines of a {@code -Xlog:gc:file=...:uptime} log: per pause, its uptime in seconds and the heap after it in bytes. */
  private static final class GcLog {
    static List<double[]> read(Path log) throws IOException {
      List<double[]> pauses = new ArrayList<>();
      if (!Files.exists(log)) {
        return pauses;
      }
      for (String line : Files.readAllLines(log)) {
        Matcher m = GC_AFTER.matcher(line);
        if (m.find()) {
          pauses.add(new double[] {Double.parseDouble(m.group(1)), Long.parseLong(m.group(3)) << 20});
        }
      }
      return pauses;
    }
  }

  /** What /proc says of a process: CPU so far, resident set now and at its peak. */
  record ProcStatus(double cpuSeconds, long rssBytes, long hwmBytes) {
    static ProcStatus read(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        double cpu = ThreadTicks.ticksOf(stat) / ThreadTicks.TICKS_PER_SECOND;
        long rss = -1;
        long hwm = -1;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
          if (line.startsWith("VmRSS:")) {
            rss = kilobytes(line) * 1024;
          } else if (line.startsWith("VmHWM:")) {
            hwm = kilobytes(line) * 1024;
          }
        }
        return hwm < 0 ? null : new ProcStatus(cpu, rss, hwm);
      } catch (IOException | RuntimeException e) {
        return null; // the process ended between two reads
      }
    }

    private static long kilobytes(String line) {
      return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
  }

  /** The server process's standard input and output: one {@code stats} line asked, one answered. */
  static final class ServerLink {
    private static final Pattern STATS =
        Pattern.compile("stats requests=(\\d+) stray=(\\d+) max_in_flight=(\\d+) cpu_ms=(-?\\d+) robots=(\\d+)");
    private final Process process;
    private final BufferedReader in;
    private final PrintWriter out;

    /** @param requests every request answered, robots.txt and stray ones included */
    record Stats(long requests, long stray, double cpuSeconds, long robots) {
      /** Requests for the site's pages: robots.txt and stray requests aside. */
      long pageRequests() {
        return requests - stray - robots;
      }
    }

    ServerLink(Process process) {
      this.process = process;
      this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.out = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    }

    String awaitServing() throws IOException {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("serving ")) {
          return line.substring("serving ".length()).strip();
        }
      }
      throw new IOException("the site's process ended before serving (exit " + exitOf(process) + ")");
    }

    Stats stats() throws IOException {
      out.println("stats");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        Matcher m = STATS.matcher(line);
        if (m.matches()) {
          return new Stats(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(4)) / 1e3,
              Long.parseLong(m.group(5)));
        }
      }
      throw new IOException("the site's process ended (exit " + exitOf(process) + ")");
    }

    private static String exitOf(Process p) {
      try {
        return p.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(p.exitValue()) : "none yet";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "unknown";
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
