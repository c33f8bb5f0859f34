package io.trawl.cli;

import io.trawl.CrawlJob;
import io.trawl.Extensions;
import io.trawl.bus.Progress;
import io.trawl.cluster.ClusterNode;
import io.trawl.cluster.ClusterRole;
import io.trawl.config.ConfigException;
import io.trawl.render.Browser;
import io.trawl.render.Chromium;
import io.trawl.config.ConfigJson;
import io.trawl.config.ConfigLoader;
import io.trawl.config.ListenAddress;
import io.trawl.config.Seed;
import io.trawl.config.SeedException;
import io.trawl.config.SeedsFile;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.trawl.core.UrlNormalizer;
import io.trawl.store.ClusterLedger;
import io.trawl.fetch.CookieFile;
import io.trawl.metrics.CrawlMetrics;
import io.trawl.metrics.MetricsVertx;
import io.trawl.store.RunKind;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreClaim;
import io.trawl.store.StoreException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Stack;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code trawl crawl}: runs a crawl from a config and its seeds (the seeds file, standard input for
 * {@code --seeds -}, or URL arguments) into the database (a SQLite file or PostgreSQL). Main thread.
 */
@Command(name = "crawl", mixinStandardHelpOptions = true,
    description = "Crawl from the seeds into the database (a SQLite file or a PostgreSQL URL). Flags override config keys.")
final class CrawlCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(CrawlCommand.class);
  static final Path DEFAULT_CONFIG = Path.of("config.yaml");
  /** {@code --seeds -}: the seeds are read from standard input. */
  private static final Path STDIN = Path.of("-");
  private static final long STOP_GRACE_MS = 10_000;
  /** How long {@code --stop} waits for the nodes to leave: their grace, then their teardown. */
  private static final long STOP_WAIT_MS = 120_000;
  private static final long STOP_POLL_MS = 500;
  /** Where {@code --ui} alone serves the dashboard when the config names no address: loopback only. */
  static final String DEFAULT_UI = "127.0.0.1:8080";
  private static final String UI_ALONE = "(alone)";

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "URL", arity = "0..*",
      description = "Seed URLs; given, they replace the seeds file (crawl.seeds). The config's other keys apply.")
  List<String> urls = new ArrayList<>();

  @Option(names = {"-c", "--config"}, description = "Config file (default: config.yaml if present, else built-in defaults).")
  Path config;

  @Option(names = "--seeds", description = "Seeds file (crawl.seeds); - reads them from standard input.")
  String seeds;

  @Option(names = "--db", description = "SQLite file or postgresql:// URL (crawl.db).")
  String db;

  @Option(names = "--db-schema", description = "PostgreSQL schema of the tables (crawl.db_schema).")
  String dbSchema;

  @Option(names = "--max-pages", description = "Stop after this many pages (crawl.max_pages).")
  String maxPages;

  @Option(names = "--max-depth", description = "Follow links this deep (crawl.max_depth).")
  String maxDepth;

  @Option(names = "--max-duration", description = "Stop after this long, e.g. 10m (crawl.max_duration).")
  String maxDuration;

  @Option(names = "--concurrency", description = "Requests in flight at most (fetch.concurrency).")
  String concurrency;

  @Option(names = "--rate", description = "Requests per host, e.g. 2/s (fetch.per_host_rate).")
  String rate;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key by its dotted path, e.g. --set fetch.user_agent=mybot, "
      + "--set hosts.shop.example.com.per_host_rate=2/s (maps such as fetch.headers: in the file).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--ui", arity = "0..1", paramLabel = "ADDRESS", fallbackValue = UI_ALONE,
      preprocessor = UiAlone.class, description = "Serve the live dashboard during the crawl (crawl.ui; alone: crawl.ui if set, else " + DEFAULT_UI + ").")
  String ui;

  @Option(names = "--resume", description = "Continue the unfinished crawl in the database.")
  boolean resume;

  @Option(names = "--fresh", description = "Delete the database's previous crawl and start over.")
  boolean fresh;

  @Option(names = "--cluster", description = "Run as one node of a cluster crawl into a shared PostgreSQL crawl.db "
      + "(cluster.* keys): join the crawl the other nodes run, or start it.")
  boolean cluster;

  @Option(names = "--stop", description = "With --cluster: ask every node of the cluster crawl on crawl.db to stop "
      + "gracefully, and wait until they have left.")
  boolean stopCluster;

  @Option(names = "--recrawl", description = "Fetch the crawl's pages again as a new run, with conditional requests; "
      + "new pages found are crawled too. On a database without a crawl, crawl it for the first time.")
  boolean recrawl;

  @Option(names = "--due", description = "With --recrawl: only the pages due by their schedule (recrawl.*).")
  boolean due;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return crawl(err);
    } catch (ConfigException | SeedException | BadInputException e) {
      err.println("trawl: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (StoreException e) {
      log.debug("store failed before the crawl", e);
      err.println("trawl: " + e.getMessage());
      return e.kind().badInput() ? Main.BAD_INPUT : Main.FAILED;
    }
  }

  private int crawl(PrintWriter err) {
    if (resume && fresh) {
      throw new BadInputException("--resume and --fresh exclude each other");
    }
    if (!urls.isEmpty() && seeds != null) {
      throw new BadInputException("--seeds and URL arguments exclude each other: give the seeds one way");
    }
    if (recrawl && (resume || fresh)) {
      throw new BadInputException("--recrawl and --" + (resume ? "resume" : "fresh") + " exclude each other"
          + (resume ? " (--resume alone finishes an interrupted recrawl)" : ""));
    }
    if (due && !recrawl) {
      throw new BadInputException("--due needs --recrawl (it picks which pages a recrawl fetches again)");
    }
    if (recrawl && cluster) {
      throw new BadInputException("--recrawl runs on one machine: a cluster crawl (--cluster) cannot recrawl yet");
    }
    TrawlConfig cfg = withUi(ConfigLoader.load(configFile(), overrides()));
    if (stopCluster) {
      if (!cluster) {
        throw new BadInputException("--stop stops a cluster crawl: give it with --cluster");
      }
      return stopCluster(store(cfg), err);
    }
    // A cluster node reads its seeds only once it knows it starts the crawl: one that joins takes the crawl's.
    Seeded seeded = cluster ? null : seeded(cfg, err);
    if (!cfg.fetch().respectRobots()) {
      err.println("trawl: warning: fetch.respect_robots is false: robots.txt is ignored; crawl only sites you may");
    }
    DownloadDir.requireUsable(cfg);
    requireBrowser(cfg.render());
    // Read once here so a bad cookie file is bad input (exit 2) before anything starts.
    cfg.fetch().cookiesFile().ifPresent(file -> CookieFile.read(file, System.currentTimeMillis()));
    StoreBackend store = store(cfg);
    if (cluster) {
      return runNode(cfg, store, err);
    }
    try (StoreClaim claim = store.claim()) {
      RunKind kind = prepareDatabase(store, cfg, err);
      return run(cfg, store, seeded.seeds(), seeded.scope(), kind, err);
    }
  }

  /** The seeds to add (those in scope) and the scope they and the config give. */
  private record Seeded(List<String> seeds, Scope scope) {}

  /** Reads the seeds (file, standard input or arguments) and says which are out of scope. */
  private Seeded seeded(TrawlConfig cfg, PrintWriter err) {
    List<String> seedUrls = seedUrls(cfg);
    Scope scope = Scope.of(cfg.crawl(), seedUrls);
    seedUrls.stream().filter(url -> !scope.allows(url))
        .forEach(url -> err.println("trawl: warning: seed " + url + " is outside crawl.allowed_domains/include/exclude; skipped"));
    return new Seeded(seedUrls.stream().filter(scope::allows).toList(), scope);
  }

  private List<String> seedUrls(TrawlConfig cfg) {
    return urls.isEmpty() ? normalizedSeeds(cfg) : normalizedArguments(urls, cfg.fetch().maxUrlLength());
  }

  /**
   * {@code --cluster}: claims the database beside the other nodes (a SQLite file is refused
   * first, naming crawl.db), joins the cluster, then joins the crawl its nodes run or, when none
   * runs, starts one (the earlier crawl refused, resumed or wiped as without {@code --cluster}),
   * one node at a time under the ledger's start lock.
   */
  private int runNode(TrawlConfig cfg, StoreBackend store, PrintWriter err) {
    StoreClaim claim;
    try {
      claim = store.claimForCluster();
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.BAD_LOCATION) {
        throw new BadInputException("crawl.db: " + e.getMessage());
      }
      throw e;
    }
    try (claim) {
      ClusterNode node;
      try {
        node = ClusterNode.join(cfg.cluster(), store.display(), CrawlJob.vertxOptions())
            .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      } catch (Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        log.debug("cluster join failed", cause);
        err.println("trawl: could not join the cluster at cluster.host " + cfg.cluster().host() + " port "
            + cfg.cluster().port() + ": " + cause.getMessage());
        return cause instanceof IllegalArgumentException ? Main.BAD_INPUT : Main.FAILED;
      }
      long leaseMs = cfg.cluster().lease().toMillis();
      ClusterLedger ledger = store.openClusterLedger(node.id(), node.address(), leaseMs);
      Entered entered;
      try {
        entered = enter(ledger, store, cfg, err);
      } catch (RuntimeException e) {
        ledger.close();
        node.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(x -> null).join();
        throw e;
      }
      ClusterLedger.Entry entry = entered.entry();
      log.info("cluster node entered node={} crawl={} first={} scope={}", node.id(), entry.crawlId(), entry.first(),
          entered.seeded().scope());
      ClusterRole role = new ClusterRole(node, ledger, entry, leaseMs);
      return run(node.vertx(), CrawlJob.ofNode(cfg, entered.seeded().seeds(), entered.seeded().scope(), role), store,
          cfg, err);
    }
  }

  /**
   * {@code --cluster --stop}: asks every live node of the crawl on the database to stop (each
   * finishes its pages in flight and leaves, recorded as {@code interrupted}; {@code --resume}
   * continues the crawl), then waits until they have left. Exit 1 when no node was running.
   */
  private int stopCluster(StoreBackend store, PrintWriter err) {
    ClusterLedger ledger;
    try {
      ledger = store.openClusterLedger(null, null, 0);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.BAD_LOCATION) {
        throw new BadInputException("crawl.db: " + e.getMessage());
      }
      throw e;
    }
    try (ledger) {
      List<String> asked = ledger.requestStop();
      if (asked.isEmpty()) {
        err.println("trawl: " + store.display() + ": no node of a cluster crawl is running");
        return Main.FAILED;
      }
      err.println("trawl: asked " + asked.size() + " nodes to stop; waiting for them to leave");
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
      List<String> running = asked;
      while (!running.isEmpty() && System.nanoTime() < deadline) {
        sleep(STOP_POLL_MS);
        running = ledger.stillRunning(asked);
      }
      if (!running.isEmpty()) {
        err.println("trawl: " + running.size() + " nodes still running after " + STOP_WAIT_MS / 1000 + " s: " + running);
        return Main.FAILED;
      }
      err.println("trawl: stopped; --cluster --resume continues the crawl");
      return Main.OK;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms); // the command line's main thread, polling the database
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BadInputException("interrupted while waiting for the nodes to stop");
    }
  }

  /** How a node entered the cluster crawl: its entry, the seeds it adds (none when it joined) and the crawl's scope. */
  private record Entered(ClusterLedger.Entry entry, Seeded seeded) {}

  /**
   * Joins the crawl a live node runs, taking its scope, or starts one from this node's seeds (read
   * only then, so a node that joins needs none); the start lock is released either way.
   */
  private Entered enter(ClusterLedger ledger, StoreBackend store, TrawlConfig cfg, PrintWriter err) {
    long live = ledger.lockAndFindLiveCrawl();
    if (live >= 0) {
      ClusterLedger.Entry entry = ledger.join(live);
      return new Entered(entry, new Seeded(List.of(), joinedScope(entry, cfg)));
    }
    Seeded seeded;
    try {
      seeded = seeded(cfg, err);
      prepareDatabase(store, cfg, err);
    } catch (RuntimeException e) {
      ledger.unlockStart();
      throw e;
    }
    return new Entered(ledger.start(ConfigJson.toJson(cfg).encode(), resume, seeded.seeds(),
        seeded.scope().toJson().encode()), seeded);
  }

  /**
   * The scope of the crawl a node joined: the one its first node recorded. When this node's own
   * seeds and {@code crawl.allowed_domains/include/exclude} say otherwise, one log line says so
   * (the crawl's wins). Its own seeds count only when it has them at hand (URL arguments or a
   * readable seeds file; never standard input): it needs none. A crawl started by a trawl before
   * schema version 10 recorded no scope; the node then judges by its own, as it used to.
   */
  private Scope joinedScope(ClusterLedger.Entry entry, TrawlConfig cfg) {
    List<String> ownSeeds = seedsAtHand(cfg);
    Scope own = Scope.of(cfg.crawl(), ownSeeds);
    if (entry.scope() == null) {
      log.warn("cluster crawl {} recorded no scope (started by an older trawl): this node judges links by its own {}",
          entry.crawlId(), own);
      return own;
    }
    Scope crawl = Scope.fromJson(new JsonObject(entry.scope()));
    // A node given neither seeds nor crawl.allowed_domains says nothing of domains: only its patterns can differ.
    boolean noDomains = ownSeeds.isEmpty() && cfg.crawl().allowedDomains().isEmpty();
    Scope compared = noDomains ? Scope.fromJson(own.toJson().put("domains", crawl.toJson().getJsonArray("domains")))
        : own;
    if (!compared.equals(crawl)) {
      log.warn("cluster node joins crawl {} with the crawl's scope {}; its own seeds and crawl.allowed_domains/include/exclude "
          + "give {}, ignored", entry.crawlId(), crawl, own);
    }
    return crawl;
  }

  /** This node's seeds if it has them without waiting or failing (a joining node ignores them); else none. */
  private List<String> seedsAtHand(TrawlConfig cfg) {
    if (urls.isEmpty() && (cfg.crawl().seeds().equals(STDIN) || !Files.isRegularFile(cfg.crawl().seeds()))) {
      return List.of();
    }
    try {
      return seedUrls(cfg);
    } catch (SeedException | BadInputException e) {
      log.debug("a joining node's own seeds are unreadable; ignored as its seeds are", e);
      return List.of();
    }
  }

  /** {@code --ui} alone keeps the config's {@code crawl.ui} when it names an address. */
  private TrawlConfig withUi(TrawlConfig cfg) {
    if (ui == null || (ui.equals(UI_ALONE) && cfg.crawl().ui().isPresent())) {
      return cfg;
    }
    Map<String, String> overrides = overrides();
    overrides.put("crawl.ui", ui.equals(UI_ALONE) ? DEFAULT_UI : ui);
    return ConfigLoader.load(configFile(), overrides);
  }

  /**
   * {@code --ui URL}: the URL is a seed, not the dashboard's address (no address has a scheme), so
   * {@code --ui} stands alone there as it does before an option or at the end. An address is
   * given after a space or an equals sign.
   */
  static final class UiAlone implements IParameterPreprocessor {
    @Override
    public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec option, Map<String, Object> info) {
      boolean attached = !" ".equals(info.get("separator"));
      if (!attached && !args.isEmpty() && args.peek().contains("://")) {
        args.push(UI_ALONE);
      }
      return false;
    }
  }

  private Path configFile() {
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw new BadInputException(config + ": config file not found");
      }
      return config;
    }
    return Files.isRegularFile(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
  }

  private Map<String, String> overrides() {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new BadInputException("--set " + set + ": expected KEY=VALUE, e.g. --set fetch.per_host_rate=2/s");
      }
      overrides.put(set.substring(0, eq).trim(), set.substring(eq + 1));
    }
    putIf(overrides, "crawl.seeds", seeds);
    putIf(overrides, "crawl.db", db);
    putIf(overrides, "crawl.db_schema", dbSchema);
    putIf(overrides, "crawl.max_pages", maxPages);
    putIf(overrides, "crawl.max_depth", maxDepth);
    putIf(overrides, "crawl.max_duration", maxDuration);
    putIf(overrides, "fetch.concurrency", concurrency);
    putIf(overrides, "fetch.per_host_rate", rate);
    return overrides;
  }

  private static void putIf(Map<String, String> overrides, String key, String value) {
    if (value != null) {
      overrides.put(key, value);
    }
  }

  /** The seeds of {@code crawl.seeds}: the file, or standard input when it is {@code -}. Blocking. */
  private static List<String> normalizedSeeds(TrawlConfig cfg) {
    Path file = cfg.crawl().seeds();
    boolean stdin = file.equals(STDIN);
    String name = stdin ? "stdin" : file.toString();
    LinkedHashSet<String> urls = new LinkedHashSet<>();
    int maxLength = cfg.fetch().maxUrlLength();
    for (Seed seed : stdin ? SeedsFile.read(System.in, name) : SeedsFile.read(file)) {
      String url = UrlNormalizer.normalize(seed.url()).orElseThrow(() -> new SeedException(
          name, seed.line(), seed.url(), "is not an http(s) URL trawl can fetch"));
      if (url.length() > maxLength) {
        throw new SeedException(name, seed.line(),
            seed.url().length() > 60 ? seed.url().substring(0, 60) + "..." : seed.url(),
            "is " + url.length() + " characters long once normalized, over fetch.max_url_length (" + maxLength + ")");
      }
      urls.add(url);
    }
    return List.copyOf(urls);
  }

  /** The backend crawl.db names; a value that is neither a path nor a database URL is bad input naming the key. */
  static StoreBackend store(TrawlConfig cfg) {
    try {
      return StoreBackends.of(cfg.crawl().db(), cfg.crawl().dbSchema());
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.BAD_LOCATION) {
        throw new BadInputException("crawl.db: " + e.getMessage());
      }
      throw e;
    }
  }

  /**
   * The URL arguments, checked as seed lines are (user info refused, {@code fetch.max_url_length});
   * a bad one is refused naming its position and text, its user info masked.
   */
  static List<String> normalizedArguments(List<String> arguments, int maxLength) {
    LinkedHashSet<String> urls = new LinkedHashSet<>();
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i).strip();
      Optional<String> normalized = UrlNormalizer.normalize(argument);
      String problem = SeedsFile.problem(argument)
          .or(() -> normalized.isEmpty() ? Optional.of("is not an http(s) URL trawl can fetch") : Optional.empty())
          .or(() -> normalized.get().length() > maxLength ? Optional.of("is " + normalized.get().length()
              + " characters long once normalized, over fetch.max_url_length (" + maxLength + ")") : Optional.empty())
          .orElse(null);
      if (problem != null) {
        String shown = SeedsFile.masked(argument);
        throw new BadInputException("URL argument " + (i + 1) + ": \""
            + escaped(shown.length() > 60 ? shown.substring(0, 60) + "..." : shown) + "\" " + problem);
      }
      urls.add(normalized.get());
    }
    return List.copyOf(urls);
  }

  /** Control characters as Unicode escapes, so an argument shown in an error cannot recolour the terminal. */
  private static String escaped(String text) {
    StringBuilder shown = new StringBuilder(text.length());
    text.chars().forEach(c -> shown.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return shown.toString();
  }

  /**
   * Refuses to overwrite an earlier crawl unless asked; wipes it on --fresh; warns on a changed
   * config; says what kind of run this is.
   */
  private RunKind prepareDatabase(StoreBackend store, TrawlConfig cfg, PrintWriter err) {
    String file = store.display();
    CrawlLedger.State state = CrawlLedger.inspect(store);
    if (recrawl) {
      return prepareRecrawl(state, cfg, err);
    }
    if (resume) {
      if (!state.hasCrawl()) {
        throw new BadInputException(file + ": no crawl to resume (drop --resume to start one)");
      }
      List<String> changes = state.lastConfig() == null ? List.of()
          : ConfigJson.diff(state.lastConfig(), ConfigJson.toJson(cfg));
      if (!changes.isEmpty()) {
        err.println("trawl: warning: the config changed since the crawl started; resuming with the new values:");
        changes.forEach(line -> err.println("  " + line));
      }
      return RunKind.RESUME;
    }
    if (state.hasCrawl() && !fresh) {
      throw new BadInputException(file + ": already holds a crawl"
          + (state.unfinished() ? " that did not finish (" + state.pending() + " URLs pending)" : "")
          + "; use --resume to continue it, --fresh to start over, or --db for another database");
    }
    if (fresh) {
      CrawlLedger.delete(store);
    }
    return RunKind.CRAWL;
  }

  /** Says where the metrics and the dashboard are, and warns when they are reachable from other machines. */
  private static void announceServers(CrawlJob job, TrawlConfig cfg, PrintWriter err) {
    cfg.crawl().metrics().ifPresent(address -> {
      err.println("trawl: metrics at " + address.url(job.metricsPort()) + "/metrics");
      warnIfOpen("crawl.metrics", address, err);
    });
    cfg.crawl().ui().ifPresent(address -> {
      err.println("trawl: dashboard at " + address.url(job.uiPort()) + "/");
      warnIfOpen("crawl.ui", address, err);
    });
    err.flush();
  }

  private static void warnIfOpen(String key, ListenAddress address, PrintWriter err) {
    if (!address.isLoopback()) {
      err.println("trawl: warning: " + key + " listens on " + address + ": other machines can read the crawl's "
          + "URLs and errors there (no authentication); use 127.0.0.1 unless you mean it");
    }
  }

  /**
   * A recrawl of the crawl in the database, or its first crawl when it holds none (so one cron line
   * does both). An unfinished last run is not refused: its pending URLs are fetched in this run,
   * which neither skips nor repeats them. Pages keep the items their rules extracted when their
   * content came; changed rules only reach pages whose content changes.
   */
  private RunKind prepareRecrawl(CrawlLedger.State state, TrawlConfig cfg, PrintWriter err) {
    if (!state.hasCrawl()) {
      err.println("trawl: no crawl in the database yet: crawling it for the first time");
      return RunKind.CRAWL;
    }
    if (state.unfinished()) {
      err.println("trawl: warning: the last run did not finish; its " + state.pending()
          + " pending URLs are fetched in this recrawl");
    }
    List<String> changes = state.lastConfig() == null ? List.of()
        : ConfigJson.diff(state.lastConfig(), ConfigJson.toJson(cfg));
    if (changes.stream().anyMatch(line -> line.startsWith("rules"))) {
      err.println("trawl: warning: the rules changed since the last run: pages whose content did not change keep "
          + "the items the old rules extracted (--fresh extracts everything again)");
    }
    return RunKind.RECRAWL;
  }

  private int run(TrawlConfig cfg, StoreBackend store, List<String> seedUrls, Scope scope, RunKind kind,
      PrintWriter err) {
    CrawlMetrics metrics = CrawlMetrics.forConfig(cfg);
    Vertx vertx = MetricsVertx.create(CrawlJob.vertxOptions(), metrics, cfg.crawl().metrics().isPresent());
    long dueBeforeMs = due ? System.currentTimeMillis() : Long.MAX_VALUE;
    return run(vertx, new CrawlJob(vertx, cfg, seedUrls, scope, kind, dueBeforeMs, Extensions.NONE, metrics), store, cfg,
        err);
  }

  /** Runs {@code job} on {@code vertx} to its end, printing progress and the summary; closes {@code vertx}. */
  private int run(Vertx vertx, CrawlJob job, StoreBackend store, TrawlConfig cfg, PrintWriter err) {
    ProgressPrinter printer = new ProgressPrinter(vertx, err, cfg.crawl().progressInterval());
    Signals signals = Signals.install(() -> job.stop(STOP_GRACE_MS));
    // An error on a thread of no stage (or one a stage let through) ends the crawl, as one on an
    // event loop does (CrawlJob), instead of leaving it to run on without that thread.
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> job.fail(error));
    CompletableFuture<Progress> done = job.start()
        .onSuccess(v -> announceServers(job, cfg, err))
        .compose(v -> job.finished())
        .toCompletionStage().toCompletableFuture();
    try {
      Progress last = done.get();
      printer.summary(last, job.linksDropped(), store.display());
      return signals.exitCode().orElse("failed".equals(last.stopReason()) ? Main.FAILED : Main.OK);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof ConfigException bad) {
        err.println("trawl: " + bad.getMessage());
        return Main.BAD_INPUT;
      }
      log.debug("crawl failed", cause);
      err.println("trawl: crawl failed: " + (cause instanceof Error || cause.getMessage() == null ? cause : cause.getMessage()));
      return Main.FAILED;
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
      printer.close();
      signals.uninstall();
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(x -> null).join();
    }
  }

  /**
   * Refuses (exit 2) a crawl that may render pages when {@code render.browser} names no
   * executable: every rendered page would fail as {@code browser}. A DevTools URL is only
   * connected to when the crawl starts.
   */
  private static void requireBrowser(TrawlConfig.Render render) {
    if (render.enabled() && !Browser.isDevToolsUrl(render.browser()) && Chromium.find(render.browser()).isEmpty()) {
      throw new BadInputException("render.browser: " + Chromium.notFound(render.browser()));
    }
  }
}
