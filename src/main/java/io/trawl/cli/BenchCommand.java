package io.trawl.cli;

import io.trawl.bench.Bench;
import io.trawl.bench.ClusterBench;
import io.trawl.bench.ColdBench;
import io.trawl.bench.PoliteSchedule;
import io.trawl.bench.RenderBench;
import io.trawl.bench.SiteProcess;
import io.trawl.config.Rate;
import io.trawl.config.Rates;
import io.trawl.config.DataSizes;
import io.trawl.config.Durations;
import io.trawl.store.StoreBackends;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code trawl bench}: crawls a built-in local site at full speed and prints what it measured. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Crawl a generated site on 127.0.0.1 with the full pipeline and print pages/s, latency, CPU and memory.")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--pages", description = "Pages in the site (default: 20000; 1000 with --render).")
  Integer pages;

  @Option(names = "--page-size", defaultValue = "20KB", description = "Bytes per page (default: ${DEFAULT-VALUE}).")
  String pageSize;

  @Option(names = "--links", defaultValue = "50", description = "Links per page (default: ${DEFAULT-VALUE}).")
  int links;

  @Option(names = "--latency", defaultValue = "0", description = "Server delay per response, e.g. 50ms (default: ${DEFAULT-VALUE}).")
  String latency;

  @Option(names = "--concurrency", defaultValue = "64", description = "fetch.concurrency (default: ${DEFAULT-VALUE}).")
  int concurrency;

  /**
   * Three by default: on 2 cores the JIT is still compiling through the second crawl of 20,000 pages
   * (each lasts about 10 s), while a real crawl runs for minutes. Every run is printed.
   */
  @Option(names = "--runs", defaultValue = "3", description = "Crawls of the site in one JVM; the last is reported, "
      + "the earlier ones include the JIT compiling the hot paths (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--db", paramLabel = "URL", description = "Also crawl into this PostgreSQL database (schema "
      + Bench.POSTGRES_SCHEMA + ", its tables dropped before each run and at the end), each run after the SQLite one, "
      + "and compare.")
  String postgres;

  @Option(names = "--recrawl", paramLabel = "PERCENT", defaultValue = "0", description = "After the runs, change this "
      + "percent of the pages and recrawl the last run's file with conditional requests, then run --due as if 0.9 of "
      + "recrawl.interval had passed; print the requests and bytes each took (default: ${DEFAULT-VALUE}, none).")
  int recrawlPercent;

  @Option(names = "--parse-threads", defaultValue = "0", description = "parse.threads for the crawl; 0 = the crawler's default (default: ${DEFAULT-VALUE}).")
  int parseThreads;

  @Option(names = "--cold", description = "Speed as a user sees it: serve the site from a process of its own and run "
      + "`trawl crawl` through the launcher as a fresh process per run; report pages/s, CPU ms a page and peak RSS of "
      + "that process.")
  boolean cold;

  @Option(names = "--hosts", defaultValue = "1", description = "Hosts the site is spread over, each a port of "
      + "127.0.0.1; links cross hosts (default: ${DEFAULT-VALUE}).")
  int hosts;

  @Option(names = "--rate", defaultValue = "1000000/s", description = "fetch.per_host_rate (default: ${DEFAULT-VALUE}, "
      + "no limit).")
  String rate;

  @Option(names = "--per-host-concurrency", defaultValue = "0", description = "fetch.per_host_concurrency; "
      + "0 = --concurrency (default: ${DEFAULT-VALUE}).")
  int perHostConcurrency;

  @Option(names = "--window", defaultValue = "100000", description = "With --cold: pages per window of the "
      + "timeline printed for a long crawl (default: ${DEFAULT-VALUE}).")
  long window;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "0", description = "Bench cluster mode instead: crawl "
      + "the site on one node, then on N local cluster nodes (fresh `trawl crawl --cluster` processes on 127.0.0.1), "
      + "into the PostgreSQL database of --db (required); defaults --latency 500ms, --hosts 256, --pages 20000.")
  int nodes;

  @Option(names = "--kill", description = "With --nodes: SIGKILL one node of each cluster crawl once half the pages "
      + "are stored, and say how long its hosts took to move and how many pages were fetched twice.")
  boolean killOne;

  @Option(names = "--launcher", description = "With --cold or --nodes: the trawl launcher to run (default: the one this bench "
      + "was started by).")
  Path launcher;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "With --cold or --nodes: a config key for the crawl, as "
      + "`trawl crawl --set`.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--serve", hidden = true, description = "Serve the site until standard input closes (the server "
      + "process of --cold).")
  boolean serve;

  @Option(names = "--metrics", description = "Crawl each run twice, without and with crawl.metrics (scraped every 5 s), "
      + "in alternating order, and print what the metrics cost.")
  boolean metrics;

  @Option(names = "--keep-db", paramLabel = "FILE", description = "Keep the last SQLite run's database here (e.g. for trawl report).")
  Path keepDb;

  @Option(names = "--render", description = "Bench rendering instead: pages built by their scripts, rendered in "
      + "headless Chromium; then a site where every tenth page is, crawled plainly and with render.mode auto.")
  boolean render;

  @Option(names = "--tabs", defaultValue = "0", description = "render.pages with --render; 0 = one per core plus one (default: ${DEFAULT-VALUE}).")
  int tabs;

  @Option(names = "--browser", defaultValue = "auto", description = "render.browser with --render (default: ${DEFAULT-VALUE}: chromium-headless-shell, else chromium).")
  String browser;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long pageBytes = DataSizes.parse(pageSize).map(s -> s.bytes()).orElse(-1L);
    Duration delay = Durations.parse(latency).orElse(null);
    int pages = this.pages != null ? this.pages : render ? 1000 : 20000;
    if (pageBytes < 0 || delay == null || pages < 1 || links < 3 || concurrency < 1 || runs < 1 || parseThreads < 0
        || tabs < 0 || recrawlPercent < 0 || recrawlPercent > 100) {
      err.println("trawl: bench: expected --pages >= 1, --links >= 3, --concurrency >= 1, --runs >= 1, --tabs >= 0, "
          + "--recrawl from 0 to 100, a size like 20KB and a duration like 50ms");
      return Main.BAD_INPUT;
    }
    if (hosts < 1 || perHostConcurrency < 0 || window < 0 || Rates.parse(rate).isEmpty()) {
      err.println("trawl: bench: expected --hosts >= 1, --per-host-concurrency >= 0, --window >= 0 and a rate like 2/s");
      return Main.BAD_INPUT;
    }
    if (serve) {
      SiteProcess.serve(pages, (int) pageBytes, links, delay.toMillis(), hosts, System.out);
      return Main.OK;
    }
    String refused = optionsOutOfMode();
    if (refused != null) {
      err.println("trawl: bench: " + refused);
      return Main.BAD_INPUT;
    }
    if (nodes != 0 || killOne) {
      return nodes(pages, (int) pageBytes, out, err);
    }
    if (cold) {
      return cold(pages, (int) pageBytes, delay, out, err);
    }
    if (postgres != null && !StoreBackends.isPostgres(postgres)) {
      err.println("trawl: bench --db: expected a postgresql:// URL (the SQLite runs always use a temporary file)");
      return Main.BAD_INPUT;
    }
    if (render) {
      return RenderBenchReport.print(new RenderBench.Options(pages, (int) pageBytes, links, delay.toMillis(),
          concurrency, tabs, browser), out, err);
    }
    err.printf("bench: %d pages of %s with %d links, latency %s, concurrency %d...%n",
        pages, pageSize, links, latency, concurrency);
    Bench.Report r = Bench.run(new Bench.Options(pages, (int) pageBytes, links, delay.toMillis(), concurrency, runs,
        parseThreads, postgres, metrics, keepDb,
        recrawlPercent == 0 ? 0 : Math.max(1, Math.round(100f / recrawlPercent)), hosts, rate,
        perHostConcurrency == 0 ? concurrency : perHostConcurrency));
    Bench.Run m = r.measured();
    for (int i = 0; i < r.runs().size() - 1; i++) {
      Bench.Run earlier = r.runs().get(i);
      out.printf(Locale.ROOT, "run %d%s %.0f pages/s, %.1f s CPU%s%n", i + 1, metricsTag(r, earlier),
          earlier.pagesPerSecond(), earlier.cpuSeconds(),
          i == 0 ? " (cold JVM: the JIT compiles the hot paths meanwhile)" : " (the JIT still compiling)");
    }
    double bound = bound(delay);
    out.printf(Locale.ROOT, """
        run %d (reported)
        pages            %d (%d errors)
        time             %.2f s (%.2f s from the first response to the last; the rest is starting and closing)
        pages/s          %.0f
        MB/s             %.1f
        fetch latency    p50 %d ms, p99 %d ms
        CPU              %.1f s (crawler and server together, %.0f%% of %d cores)
        CPU by stage     %s
        peak heap        %d MB (over all runs)
        peak RSS         %d MB (over all runs)
        parse-only       %.0f pages/s (same pages, %d threads, best of 3 passes); crawl = %.0f%% of it
        bound            %s
        machine          %d cores, %s
        """,
        r.runs().size(), m.pagesStored(), m.errors(), m.seconds(), m.fetchingSeconds(), m.pagesPerSecond(),
        m.megabytesPerSecond(),
        m.latencyP50Ms(), m.latencyP99Ms(), m.cpuSeconds(), 100 * m.cpuSeconds() / m.seconds() / r.cores(), r.cores(),
        byStage(m),
        r.peakHeapBytes() >> 20, r.peakRssBytes() >> 20, r.parseOnlyPagesPerSecond(), r.cores(),
        100 * m.pagesPerSecond() / r.parseOnlyPagesPerSecond(),
        bound == 0 ? "-" : String.format(Locale.ROOT, "%s = %.0f pages/s; crawl = %.0f%% of it",
            boundName(delay), bound, 100 * m.pagesPerSecond() / bound),
        r.cores(), r.jvm());
    if (metrics) {
      printMetricsCost(r, out);
    }
    if (r.postgresMeasured() != null) {
      printPostgres(r, out);
    }
    if (r.recrawl() != null) {
      printRecrawl(r.recrawl(), out);
    }
    out.flush();
    return Main.OK;
  }

  /** The options every bench takes: the site's shape and the crawl's concurrency. */
  private static final Set<String> SITE = Set.of("--pages", "--page-size", "--links", "--latency", "--concurrency");

  /** The options of each bench besides {@link #SITE}; an option given to a bench that has no use for it is refused. */
  private static final Map<String, Set<String>> MODE_OPTIONS = Map.of(
      "plain", Set.of("--runs", "--parse-threads", "--db", "--metrics", "--keep-db", "--recrawl", "--hosts", "--rate",
          "--per-host-concurrency"),
      "--cold", Set.of("--cold", "--runs", "--hosts", "--rate", "--per-host-concurrency", "--window", "--launcher",
          "--set"),
      "--render", Set.of("--render", "--tabs", "--browser"),
      "--nodes", Set.of("--nodes", "--kill", "--runs", "--db", "--hosts", "--rate", "--per-host-concurrency",
          "--launcher", "--set"));

  /**
   * Which bench the options ask for, and the options given that it would ignore, as a message; null
   * when there are none. Without this, {@code bench --cold --db postgresql://...} ran a plain cold
   * bench and said nothing of the database.
   */
  private String optionsOutOfMode() {
    var parsed = spec.commandLine().getParseResult();
    List<String> modes = new ArrayList<>();
    for (String mode : List.of("--cold", "--render", "--nodes")) {
      if (parsed.hasMatchedOption(mode) || mode.equals("--nodes") && parsed.hasMatchedOption("--kill")) {
        modes.add(mode);
      }
    }
    if (modes.size() > 1) {
      return String.join(" and ", modes) + " are different benches; run them one at a time";
    }
    String mode = modes.isEmpty() ? "plain" : modes.get(0);
    Set<String> takes = MODE_OPTIONS.get(mode);
    List<String> ignored = new ArrayList<>();
    for (var option : parsed.matchedOptions()) {
      String name = option.longestName();
      if (!SITE.contains(name) && !takes.contains(name) && !ignored.contains(name)) {
        ignored.add(name);
      }
    }
    if (ignored.isEmpty()) {
      return null;
    }
    String which = mode.equals("plain") ? "the plain bench (without --cold, --render or --nodes)" : "bench " + mode;
    return String.join(", ", ignored) + (ignored.size() == 1 ? " does" : " do") + " not apply to " + which
        + "; it takes " + String.join(", ", takes.stream().filter(o -> !o.equals(mode)).sorted().toList())
        + " besides " + String.join(", ", new TreeSet<>(SITE));
  }

  /**
   * The most pages a second the site allows this crawl: {@code concurrency / latency} requests in
   * flight turning over, and at most {@code hosts × per-host rate} by politeness; 0 when neither
   * binds (no latency and no rate).
   */
  private double bound(Duration delay) {
    double byLatency = delay.isZero() ? Double.POSITIVE_INFINITY : concurrency * 1000.0 / delay.toMillis();
    Rate perHost = Rates.parse(rate).orElseThrow();
    double byPoliteness = hosts * 1e9 / perHost.intervalNanos();
    double bound = Math.min(byLatency, byPoliteness);
    return bound > 100_000 ? 0 : bound;
  }

  private String boundName(Duration delay) {
    double byLatency = delay.isZero() ? Double.POSITIVE_INFINITY : concurrency * 1000.0 / delay.toMillis();
    double byPoliteness = hosts * 1e9 / Rates.parse(rate).orElseThrow().intervalNanos();
    return byPoliteness < byLatency ? "hosts × per-host rate" : "concurrency / latency";
  }

  /** {@code --nodes N}: one node, then N, into the PostgreSQL database of {@code --db}; its own defaults. */
  private int nodes(int pages, int pageBytes, PrintWriter out, PrintWriter err) throws Exception {
    var parsed = spec.commandLine().getParseResult();
    if (nodes < 2) {
      err.println("trawl: bench --nodes: expected N >= 2 (the cluster's nodes; one node is always run beside)"
          + (killOne && nodes == 0 ? "; --kill needs --nodes" : ""));
      return Main.BAD_INPUT;
    }
    if (postgres == null || !StoreBackends.isPostgres(postgres)) {
      err.println("trawl: bench --nodes: --db postgresql://... is required: the nodes of a cluster share one "
          + "PostgreSQL database (the bench crawls into its schema " + Bench.POSTGRES_SCHEMA + ", dropped before each crawl)");
      return Main.BAD_INPUT;
    }
    Path crawler = launcher != null ? launcher.toAbsolutePath() : ColdBench.defaultLauncher().orElse(null);
    if (crawler == null || !Files.isExecutable(crawler)) {
      err.println("trawl: bench --nodes: no trawl launcher found" + (crawler == null ? "" : " at " + crawler)
          + "; run it through ./trawl, or give --launcher");
      return Main.BAD_INPUT;
    }
    long latencyMs = parsed.hasMatchedOption("--latency") ? Durations.parse(latency).orElseThrow().toMillis() : 500;
    int siteHosts = parsed.hasMatchedOption("--hosts") ? hosts : 256;
    int sitePages = this.pages != null ? pages : 20000;
    return ClusterBenchReport.run(new ClusterBench.Options(sitePages, pageBytes, links, latencyMs, siteHosts,
        concurrency, perHostConcurrency == 0 ? concurrency : perHostConcurrency, rate, nodes, runs, crawler, postgres,
        killOne, sets), out, err);
  }

  private int cold(int pages, int pageBytes, Duration delay, PrintWriter out, PrintWriter err) throws Exception {
    Path crawler = launcher != null ? launcher.toAbsolutePath() : ColdBench.defaultLauncher().orElse(null);
    if (crawler == null || !Files.isExecutable(crawler)) {
      err.println("trawl: bench --cold: no trawl launcher found" + (crawler == null ? "" : " at " + crawler)
          + "; run it through ./trawl, or give --launcher");
      return Main.BAD_INPUT;
    }
    err.printf("bench --cold: %d pages of %s with %d links on %d host(s), latency %s, concurrency %d, rate %s, "
        + "%d fresh crawl process(es)...%n", pages, pageSize, links, hosts, latency, concurrency, rate, runs);
    ColdBench.Report r = ColdBench.run(new ColdBench.Options(pages, pageBytes, links, delay.toMillis(), hosts,
        concurrency, perHostConcurrency == 0 ? concurrency : perHostConcurrency, rate, runs, window, crawler, sets), err);
    double bound = bound(delay);
    out.printf(Locale.ROOT, "cold: each run is `%s crawl` in a fresh process, the site served by another%n", crawler);
    out.printf(Locale.ROOT, "%-4s %8s %7s %9s %9s %9s %8s %8s %9s %9s %10s%n", "run", "pages", "errors", "time s",
        "pages/s", "CPU ms/p", "peak RSS", "1st page", "fetching", "server ms", "DB B/page");
    for (int i = 0; i < r.runs().size(); i++) {
      ColdBench.Run run = r.runs().get(i);
      out.printf(Locale.ROOT, "%-4d %8d %7d %9.2f %9.0f %9.3f %6d MB %7.2fs %8.2fs %9.3f %10.0f%s%n", i + 1,
          run.pages(), run.errors(), run.seconds(), run.pagesPerSecond(), run.cpuMsPerPage(), run.peakRssBytes() >> 20,
          run.firstPageSeconds(), run.fetchingSeconds(), 1000 * run.serverCpuSeconds() / Math.max(1, run.pages()),
          (double) run.dbBytes() / Math.max(1, run.pages()), run.exitCode() == 0 ? "" : "  (exit " + run.exitCode() + ")");
    }
    out.printf(Locale.ROOT, "pages/s          %s over the whole process (start to exit)%n",
        range(r.runs().stream().mapToDouble(ColdBench.Run::pagesPerSecond).toArray(), "%.0f"));
    out.printf(Locale.ROOT, "CPU              %s ms a page (user+sys of the crawl process)%n",
        range(r.runs().stream().mapToDouble(ColdBench.Run::cpuMsPerPage).toArray(), "%.3f"));
    out.printf(Locale.ROOT, "peak RSS         %s MB (VmHWM of the crawl process)%n",
        range(r.runs().stream().mapToDouble(run -> run.peakRssBytes() >> 20).toArray(), "%.0f"));
    printThreads(r.runs(), out);
    if (bound > 0) {
      out.printf(Locale.ROOT, "bound            %s = %.0f pages/s; crawl = %s of it (over the whole process), %s "
          + "(first page to last)%n", boundName(delay), bound,
          range(r.runs().stream().mapToDouble(run -> 100 * run.pagesPerSecond() / bound).toArray(), "%.0f%%"),
          range(r.runs().stream().mapToDouble(run -> 100 * run.pages() / run.fetchingSeconds() / bound).toArray(),
              "%.0f%%"));
      // Politeness spaces every request to a host, robots.txt too: with many hosts and few pages
      // each, the robots.txt requests take a share of the bound that pages cannot have.
      out.printf(Locale.ROOT, "requests         %s of the bound counting every request the site answered (robots.txt "
          + "included), %s first page to last%n",
          range(r.runs().stream().mapToDouble(run -> 100 * run.requests() / run.seconds() / bound).toArray(), "%.0f%%"),
          range(r.runs().stream().mapToDouble(run -> 100 * run.requests() / run.fetchingSeconds() / bound).toArray(),
              "%.0f%%"));
      // The plain bound assumes every host busy from the start; a crawl finds this site's hosts
      // through its links, and asks each for robots.txt first. The schedule says what that allows.
      PoliteSchedule.Result ideal = PoliteSchedule.of(pages, links, hosts,
          Rates.parse(rate).orElseThrow().intervalNanos(), delay.toNanos(), concurrency,
          perHostConcurrency == 0 ? concurrency : perHostConcurrency);
      out.printf(Locale.ROOT, "schedule         a crawl costing nothing, from page 0, robots.txt first on each host: "
          + "%.2f s, %.0f pages/s (%.0f first page to last); crawl = %s of it (over the whole process), %s (first "
          + "page to last)%n", ideal.seconds(), ideal.pagesPerSecond(), ideal.pages() / ideal.fetchingSeconds(),
          range(r.runs().stream().mapToDouble(run -> 100 * ideal.seconds() / run.seconds()).toArray(), "%.0f%%"),
          range(r.runs().stream().mapToDouble(run -> 100 * ideal.fetchingSeconds() / run.fetchingSeconds()).toArray(),
              "%.0f%%"));
    }
    ColdBench.Run last = r.runs().get(r.runs().size() - 1);
    if (!last.tableBytes().isEmpty()) {
      StringBuilder tables = new StringBuilder();
      last.tableBytes().forEach((name, bytes) -> tables.append(tables.length() == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%s %.0f", name, (double) bytes / Math.max(1, last.pages()))));
      out.printf(Locale.ROOT, "DB bytes/page    %s (run %d, by table and index)%n", tables, r.runs().size());
    }
    if (!last.windows().isEmpty()) {
      printWindows(last, r.runs().size(), out);
    }
    out.printf(Locale.ROOT, "machine          %d cores, %s (bench), load average %s%n",
        Runtime.getRuntime().availableProcessors(), r.serverJvm(), loadAverage());
    out.flush();
    return r.runs().stream().allMatch(run -> run.exitCode() == 0) ? Main.OK : Main.FAILED;
  }

  /** The crawl process's CPU a page by thread group, each a range over the runs; nothing where /proc said nothing. */
  private static void printThreads(List<ColdBench.Run> runs, PrintWriter out) {
    if (runs.stream().allMatch(run -> run.threadSeconds().values().stream().allMatch(s -> s == 0))) {
      return;
    }
    StringBuilder line = new StringBuilder();
    for (String group : runs.get(0).threadSeconds().keySet()) {
      line.append(line.length() == 0 ? "" : ", ").append(group).append(' ').append(range(runs.stream()
          .mapToDouble(run -> 1000 * run.threadSeconds().get(group) / Math.max(1, run.pages())).toArray(), "%.3f"));
    }
    out.printf(Locale.ROOT, "CPU by thread    %s ms a page (the crawl process's threads in /proc)%n", line);
  }

  private static void printWindows(ColdBench.Run run, int n, PrintWriter out) {
    out.printf(Locale.ROOT, "timeline (run %d): by pages served%n", n);
    out.printf(Locale.ROOT, "  %-19s %9s %9s %10s %12s%n", "pages", "pages/s", "CPU ms/p", "RSS MB", "heap after GC");
    for (ColdBench.Window w : run.windows()) {
      out.printf(Locale.ROOT, "  %8d-%-10d %9.0f %9.3f %10d %12s%n", w.fromPages(), w.toPages(), w.pagesPerSecond(),
          1000 * w.cpuSeconds() / Math.max(1, w.toPages() - w.fromPages()), w.rssBytes() >> 20,
          w.heapAfterGcBytes() < 0 ? "-" : (w.heapAfterGcBytes() >> 20) + " MB");
    }
    List<ColdBench.Window> full = run.windows().stream()
        .filter(w -> w.toPages() - w.fromPages() >= 0.9 * (run.windows().get(0).toPages() - run.windows().get(0).fromPages()))
        .toList();
    if (full.size() >= 3) {
      ColdBench.Window second = full.get(1);
      ColdBench.Window lastFull = full.get(full.size() - 1);
      out.printf(Locale.ROOT, "  last window = %.0f%% of the second (the first after a window of warm-up)%n",
          100 * lastFull.pagesPerSecond() / second.pagesPerSecond());
    }
  }

  /** {@code values}' lowest and highest in {@code format} ("1.2 to 1.5", one figure when they agree, "-" for none). */
  static String range(double[] values, String format) {
    if (values.length == 0) {
      return "-";
    }
    String lo = String.format(Locale.ROOT, format, java.util.Arrays.stream(values).min().orElseThrow());
    String hi = String.format(Locale.ROOT, format, java.util.Arrays.stream(values).max().orElseThrow());
    return lo.equals(hi) ? lo : lo + " to " + hi;
  }

  /** The machine's load averages (1, 5, 15 minutes), as /proc/loadavg gives them. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** The runs into PostgreSQL, beside SQLite's of the same bench. */
  private static void printPostgres(Bench.Report r, PrintWriter out) {
    Bench.Run sqlite = r.measured();
    Bench.Run pg = r.postgresMeasured();
    out.printf(Locale.ROOT, "%npostgresql       %s%n", r.postgres());
    for (int i = 0; i < r.postgresRuns().size() - 1; i++) {
      Bench.Run earlier = r.postgresRuns().get(i);
      out.printf(Locale.ROOT, "run %d            %.0f pages/s (SQLite's run %d: %.0f)%n", i + 1, earlier.pagesPerSecond(), i + 1,
          r.runs().get(i).pagesPerSecond());
    }
    out.printf(Locale.ROOT, """
        run %d (reported)
        pages            %d (%d errors)
        time             %.2f s (%.2f s from the first response to the last)
        pages/s          %.0f = %.0f%% of SQLite's %.0f in this bench
        fetch latency    p50 %d ms, p99 %d ms
        CPU              %.1f s crawler (SQLite: %.1f s), %s
        CPU by stage     %s
        """,
        r.postgresRuns().size(), pg.pagesStored(), pg.errors(), pg.seconds(), pg.fetchingSeconds(), pg.pagesPerSecond(),
        100 * pg.pagesPerSecond() / sqlite.pagesPerSecond(), sqlite.pagesPerSecond(), pg.latencyP50Ms(), pg.latencyP99Ms(),
        pg.cpuSeconds(), sqlite.cpuSeconds(),
        Double.isNaN(pg.databaseCpuSeconds()) ? "PostgreSQL server not measured (not on this machine, or /proc unreadable)"
            : String.format(Locale.ROOT, "%.1f s PostgreSQL server (%.3f ms/page)", pg.databaseCpuSeconds(),
                1000 * pg.databaseCpuSeconds() / Math.max(1, pg.pagesStored())),
        byStage(pg));
  }

  /** The recrawl of the last run's file after a share of the site changed, and the --due run after it. */
  private static void printRecrawl(Bench.Recrawl r, PrintWriter out) {
    Bench.Traffic c = r.crawl();
    Bench.Traffic re = r.recrawl();
    Bench.Traffic due = r.due();
    out.printf(Locale.ROOT, """

        recrawl          %d pages changed of %d (the last run's file, every page asked again, conditional requests)
        requests         %d (%d answered 304 Not Modified); the crawl made %d
        body bytes       %.1f MB = %.1f%% of the crawl's %.1f MB (%.1f MB saved)
        pages            %s
        time             %.2f s, %.0f pages/s, %.1f s CPU (the crawl: %.2f s, %.1f s CPU)
        --due at +%.1fd  %d requests = %.1f%% of the crawl's (%d saved), %.1f MB of bodies
        """,
        r.edited(), r.recrawlRun().pagesStored(), re.requests(), re.notModified(), c.requests(),
        re.bodyBytes() / 1e6, 100.0 * re.bodyBytes() / Math.max(1, c.bodyBytes()), c.bodyBytes() / 1e6,
        (c.bodyBytes() - re.bodyBytes()) / 1e6, r.changes(),
        r.recrawlRun().seconds(), r.recrawlRun().pagesPerSecond(), r.recrawlRun().cpuSeconds(), r.crawlRun().seconds(),
        r.crawlRun().cpuSeconds(), Bench.DUE_LATER_FRACTION_OF_INTERVAL, due.requests(),
        100.0 * due.requests() / Math.max(1, c.requests()), c.requests() - due.requests(), due.bodyBytes() / 1e6);
  }

  /** {@code parse 10.2 s (0.51 ms/page), store ...}: what each page cost each stage. */
  private static String byStage(Bench.Run m) {
    StringBuilder line = new StringBuilder();
    m.cpuByGroup().forEach((group, seconds) -> {
      if (line.length() > 0) {
        line.append(", ");
      }
      line.append(String.format(Locale.ROOT, "%s %.1f s (%.3f ms/page)", group, seconds,
          1000 * seconds / Math.max(1, m.pagesStored())));
    });
    return line.toString();
  }

  private static String metricsTag(Bench.Report r, Bench.Run run) {
    return !r.options().compareMetrics() ? "           " : run.withMetrics() ? " (metrics)  " : " (no metrics)";
  }

  /**
   * Each pair of runs without and with metrics, and the cost in the pairs after the first (the
   * JIT's): the mean over those pairs of the loss of pages/s and of the extra CPU per page.
   */
  private static void printMetricsCost(Bench.Report r, PrintWriter out) {
    List<Bench.Run> runs = r.runs();
    double lossSum = 0;
    double cpuSum = 0;
    int pairs = 0;
    for (int i = 0; i + 1 < runs.size(); i += 2) {
      Bench.Run off = runs.get(i).withMetrics() ? runs.get(i + 1) : runs.get(i);
      Bench.Run on = runs.get(i).withMetrics() ? runs.get(i) : runs.get(i + 1);
      double loss = 100 * (1 - on.pagesPerSecond() / off.pagesPerSecond());
      double cpu = 100 * (on.cpuMsPerPage() / off.cpuMsPerPage() - 1);
      out.printf(Locale.ROOT, "metrics pair %d   without %.0f pages/s %.3f ms CPU/page, with %.0f pages/s %.3f ms CPU/page: "
          + "%+.1f%% pages/s, %+.1f%% CPU/page%n", i / 2 + 1, off.pagesPerSecond(), off.cpuMsPerPage(),
          on.pagesPerSecond(), on.cpuMsPerPage(), -loss, cpu);
      if (i > 0) {
        lossSum += loss;
        cpuSum += cpu;
        pairs++;
      }
    }
    if (pairs > 0) {
      out.printf(Locale.ROOT, "metrics cost     %.1f%% of pages/s, %+.1f%% CPU per page (mean of the %d pairs after the first)%n",
          lossSum / pairs, cpuSum / pairs, pairs);
    } else {
      out.println("metrics cost     - (needs --runs 2 or more: the first pair is the JIT's)");
    }
  }
}
