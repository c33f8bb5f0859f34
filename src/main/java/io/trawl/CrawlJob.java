package io.trawl;

import io.trawl.bus.Addresses;
import io.trawl.bus.Delivery;
import io.trawl.bus.CrawlRecord;
import io.trawl.bus.Progress;
import io.trawl.bus.RecordCodec;
import io.trawl.bus.Replies;
import io.trawl.cluster.ClusterRole;
import io.trawl.cluster.ClusterVerticle;
import io.trawl.bus.RecordJson;
import io.trawl.config.ConfigException;
import io.trawl.config.ConfigJson;
import io.trawl.config.ListenAddress;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.trawl.dashboard.DashboardVerticle;
import io.trawl.fetch.CookieVerticle;
import io.trawl.fetch.BrowserHeaders;
import io.trawl.fetch.FetchContext;
import io.trawl.fetch.FetchVerticle;
import io.trawl.fetch.HostBreakers;
import io.trawl.fetch.KnownRobots;
import io.trawl.fetch.LoginVerticle;
import io.trawl.fetch.RenderRoutes;
import io.trawl.fetch.RobotsVerticle;
import io.trawl.fetch.SitemapVerticle;
import io.trawl.frontier.FrontierVerticle;
import io.trawl.metrics.CrawlMetrics;
import io.trawl.metrics.MetricsVerticle;
import io.trawl.parse.DroppedLinks;
import io.trawl.parse.ParseVerticle;
import io.trawl.parse.RuleStats;
import io.trawl.store.ClusterStats;
import io.trawl.store.RecrawlSchedule;
import io.trawl.store.RunKind;
import io.trawl.render.PageRequests;
import io.trawl.render.RenderVerticle;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Map;
import java.util.function.Function;

/**
 * One crawl on one Vert.x instance: deploys the pipeline (store first, frontier last, so nothing
 * is sent before its consumer exists), records the run in {@code crawls}, and tears everything
 * down in the reverse order once the frontier reports the end, so the store flushes last. An
 * error that no stage handled (anything thrown on a Vert.x thread, or passed to {@link #fail})
 * fails the crawl as a whole. {@link #finished()} always completes: a teardown that does not end
 * within {@value #TEARDOWN_MS} ms ({@value #FATAL_TEARDOWN_MS} ms after such an error) fails it,
 * on a JDK timer, since the event loops may be what is stuck. Methods may be called from any thread; the work happens on event loops.
 */
public final class CrawlJob {
  /**
   * System property (milliseconds) that lowers Vert.x's limit on one event-loop task, 2 s by
   * default, below which a task is not reported as blocking. Unset in production; the test run sets
   * it (pom.xml) in its own JVM and passes it to every crawl it starts in a child JVM, so a block of
   * a few hundred milliseconds shows as a blocked-thread warning, with the thread's stack, which the
   * tests judge and fail on.
   */
  public static final String EVENT_LOOP_LIMIT_PROPERTY = "trawl.eventLoopLimitMs";

  private static final Logger log = LoggerFactory.getLogger(CrawlJob.class);
  /**
   * How long recording the end and undeploying may take before {@link #finished()} fails
   * regardless: generous, as closing the store checkpoints its write-ahead log into the file.
   */
  static final long TEARDOWN_MS = 300_000;
  /** The same after an error no stage handled, when what is stored matters more than a clean end. */
  static final long FATAL_TEARDOWN_MS = 30_000;
  /** The hosts whose autothrottle pace {@code crawls.stats} keeps ({@code hostPace}), slowest first. */
  static final int HOST_PACES = ClusterStats.HOST_PACES;
  /** How long a cluster node asked to stop ({@code --stop}) lets its pages in flight finish, as Ctrl-C does. */
  static final long CLUSTER_STOP_GRACE_MS = 10_000;
  /** How long the frontier may take to say where it stands once a stop's grace has run out. */
  private static final long STATUS_REPLY_MS = 5_000;

  private final Vertx vertx;
  private final TrawlConfig config;
  private final List<String> seeds;
  private final Scope scope;
  private final RunKind kind;
  private final long dueBeforeMs;
  private final StoreBackend store;
  private final HostBreakers breakers;
  private final KnownRobots knownRobots = new KnownRobots();
  private final FetchContext fetchContext;
  private final DroppedLinks droppedLinks = new DroppedLinks();
  private final RuleStats ruleStats = new RuleStats();
  private final Extensions extensions;
  private final CrawlMetrics metrics;
  private MetricsVerticle metricsServer;
  private DashboardVerticle dashboard;
  private final RenderRoutes renderRoutes;
  private final List<String> deployments = new ArrayList<>();
  private final Promise<Progress> finished = Promise.promise();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile Throwable fatal;
  private long crawlId;
  private volatile String outcomeOverride;
  /** The frontier's last published progress, for a teardown that gets no figures of its own. */
  private volatile Progress lastProgress;
  private MessageConsumer<Progress> progressSeen;
  /** This node's place in a cluster crawl, or null for a crawl on one machine. */
  private final ClusterRole cluster;
  private ClusterVerticle clusterVerticle;
  private String storeDeployment;

  /**
   * @param seeds normalized seed URLs (added to the frontier unless already there)
   * @param resume put rows an earlier run left in flight back in the queue
   */
  public CrawlJob(Vertx vertx, TrawlConfig config, List<String> seeds, Scope scope, boolean resume) {
    this(vertx, config, seeds, scope, resume, Extensions.NONE, CrawlMetrics.forConfig(config));
  }

  /**
   * @param extensions the library user's page handlers, item sink and request hook
   * @param metrics the crawl's meters, {@link CrawlMetrics#forConfig} (whose registry {@code vertx}
   *     may also report into: {@link io.trawl.metrics.MetricsVertx})
   */
  public CrawlJob(Vertx vertx, TrawlConfig config, List<String> seeds, Scope scope, boolean resume,
      Extensions extensions, CrawlMetrics metrics) {
    this(vertx, config, seeds, scope, resume ? RunKind.RESUME : RunKind.CRAWL, Long.MAX_VALUE, extensions, metrics);
  }

  /**
   * @param seeds normalized seed URLs (added to the frontier unless already there)
   * @param kind a first crawl; a resume (rows an earlier run left in flight go back in the queue);
   *     or a recrawl (the same, then the finished rows due by {@code dueBeforeMs} are queued again)
   * @param dueBeforeMs for a recrawl, which rows are due ({@code Long.MAX_VALUE}: all)
   * @param extensions the library user's page handlers, item sink and request hook
   * @param metrics the crawl's meters, {@link CrawlMetrics#forConfig}
   */
  public CrawlJob(Vertx vertx, TrawlConfig config, List<String> seeds, Scope scope, RunKind kind, long dueBeforeMs,
      Extensions extensions, CrawlMetrics metrics) {
    this(vertx, config, seeds, scope, kind, dueBeforeMs, extensions, metrics, null);
  }

  private CrawlJob(Vertx vertx, TrawlConfig config, List<String> seeds, Scope scope, RunKind kind, long dueBeforeMs,
      Extensions extensions, CrawlMetrics metrics, ClusterRole cluster) {
    this.cluster = cluster;
    this.extensions = extensions;
    this.metrics = metrics;
    this.vertx = vertx;
    this.config = config;
    this.seeds = List.copyOf(seeds);
    this.scope = scope;
    this.kind = kind;
    this.dueBeforeMs = dueBeforeMs;
    this.store = StoreBackends.of(config.crawl().db(), config.crawl().dbSchema());
    this.breakers = new HostBreakers(config.circuit(), config.retry());
    this.fetchContext = FetchContext.forCrawl(config, knownRobots);
    this.renderRoutes = new RenderRoutes(config.render());
  }

  /**
   * One node's share of a cluster crawl, on {@code role}'s clustered Vert.x: the node hands out
   * the URLs of the host partitions it owns, writes as its node, and leaves the crawl when its
   * part ends. Its {@code crawls} row is the cluster's, opened by its first node and closed by the
   * last to leave.
   *
   * @param seeds seed URLs to add (the crawl's first node), or none
   */
  public static CrawlJob ofNode(TrawlConfig config, List<String> seeds, Scope scope, ClusterRole role) {
    return new CrawlJob(role.node().vertx(), config, seeds, scope, RunKind.CRAWL, Long.MAX_VALUE, Extensions.NONE,
        CrawlMetrics.forConfig(config), role);
  }

  /**
   * The Vert.x options a crawl runs with: Netty's native epoll transport where the jar bundles it
   * (Linux on x86-64 and aarch64), NIO elsewhere. Epoll's timers and wake-ups are finer than NIO's
   * millisecond select: with 64 requests of 50 ms in flight it cut about half a millisecond from
   * each request's round trip (BENCHMARKS.md). {@link #EVENT_LOOP_LIMIT_PROPERTY} may lower the
   * blocked-thread limit.
   */
  public static VertxOptions vertxOptions() {
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    long limitMs = Long.getLong(EVENT_LOOP_LIMIT_PROPERTY, 0);
    if (limitMs > 0) {
      options.setMaxEventLoopExecuteTime(limitMs)
          .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
          .setBlockedThreadCheckInterval(Math.max(10, limitMs / 2))
          .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
          .setWarningExceptionTime(limitMs)
          .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
    }
    return options;
  }

  /** Deploys the pipeline; the crawl then runs until {@link #finished()} completes. */
  public Future<Void> start() {
    int fetchers = Math.max(1, 2 * Runtime.getRuntime().availableProcessors());
    // Each fetcher has an address of its own, by its number, so a host's requests go to one of them.
    AtomicInteger fetcherNumbers = new AtomicInteger();
    RecordCodec.registerAll(vertx);
    vertx.exceptionHandler(this::fail);
    MessageConsumer<Progress> end = vertx.eventBus().localConsumer(Addresses.FINISHED, msg -> tearDown(msg.body()));
    progressSeen = vertx.eventBus().localConsumer(Addresses.PROGRESS, msg -> lastProgress = msg.body());
    // The cookie jar's suffix list, the longest part of a start, loads while the store opens. The
    // cookie verticle waits for it and reports its failure: it loads it again, which fails again.
    if (fetchContext.jar() != null) {
      CookieVerticle.loadSuffixes(vertx);
    }
    return end.completion()
        .compose(v -> serveMetrics())
        .compose(v -> serveDashboard())
        .compose(v -> cluster == null ? openStore() : openNodeStore())
        .compose(v -> deploy(() -> new ParseVerticle(config, scope, droppedLinks, ruleStats,
            extensions.pageHandlers(), extensions.itemSink(), metrics), 1))
        .compose(v -> fetchContext.jar() == null ? Future.<String>succeededFuture()
            : deploy(() -> new CookieVerticle(config.fetch(), fetchContext.jar()), 1))
        .compose(v -> LoginVerticle.needed(fetchContext) ? deploy(() -> new LoginVerticle(config, fetchContext), 1)
            : Future.<String>succeededFuture())
        .compose(v -> deploy(() -> new RobotsVerticle(config.fetch(), knownRobots, fetchContext), 1))
        .compose(v -> FetchVerticle.deleteLeftoverDownloads(vertx, config))
        .compose(v -> config.render().enabled() ? deploy(() -> new RenderVerticle(config, scope, pageRequests(), metrics), 1)
            : Future.<String>succeededFuture())
        .compose(v -> deploy(() -> new FetchVerticle(config, scope, breakers, knownRobots, fetchContext,
            hookHeaders(), metrics, renderRoutes, fetcherNumbers.getAndIncrement()),
            fetchers))
        .compose(v -> config.crawl().sitemaps() ? deploy(() -> new SitemapVerticle(config, scope, fetchContext), 1)
            : Future.<String>succeededFuture())
        .compose(v -> deploy(() -> cluster == null ? new FrontierVerticle(config, seeds, metrics, fetchers)
            : FrontierVerticle.ofNode(config, seeds, metrics, fetchers), 1))
        .onFailure(err -> undeployAll().onComplete(ar -> finished.tryFail(err)))
        .mapEmpty();
  }

  /** The store, and this run's {@code crawls} row. */
  private Future<Void> openStore() {
    return deploy(() -> new StoreVerticle(store, config.store(), schedule(), kind != RunKind.CRAWL, metrics), 1)
        .onSuccess(id -> storeDeployment = id)
        .compose(v -> vertx.eventBus().<Long>request(Addresses.STORE_CRAWL,
            CrawlRecord.open(ConfigJson.toJson(config), kind.column(), dueBeforeMs), Delivery.local(Replies.STORE_REPLY_MS)))
        .onSuccess(reply -> crawlId = reply.body())
        .mapEmpty();
  }

  /**
   * The node's part in the cluster, then its store writing as the node into the cluster's crawl
   * (deployed in this order, so the store closes before the node leaves the crawl).
   */
  private Future<Void> openNodeStore() {
    clusterVerticle = new ClusterVerticle(cluster.ledger(), cluster.node().id(), cluster.leaseMs(),
        config.crawl().maxPages(), config.crawl().maxDuration().toMillis(), cluster.entry(), this::fail,
        () -> stop(CLUSTER_STOP_GRACE_MS));
    cluster.node().onMembershipChange(clusterVerticle::membersChanged);
    long clusterCrawl = cluster.entry().crawlId();
    return deploy(() -> clusterVerticle, 1)
        .compose(v -> deploy(() -> StoreVerticle.ofNode(store, config.store(), schedule(), metrics, cluster.node().id(),
            clusterCrawl, cluster.leaseMs()), 1))
        .onSuccess(id -> storeDeployment = id)
        .mapEmpty();
  }

  private RecrawlSchedule schedule() {
    return new RecrawlSchedule(config.recrawl(), Clock.systemUTC());
  }

  /** Links the parsers left out so far (too long, or past a page's cap); in {@code crawls.stats} too. */
  public long linksDropped() {
    return droppedLinks.count();
  }

  /**
   * With {@code crawl.metrics}, the Prometheus endpoint. It is not undeployed with the pipeline: it
   * answers until the Vert.x instance closes, so the crawl's last figures can still be read. An
   * address it cannot listen on is refused as bad config.
   */
  private Future<Void> serveMetrics() {
    if (config.crawl().metrics().isEmpty()) {
      return Future.succeededFuture();
    }
    ListenAddress address = config.crawl().metrics().get();
    metricsServer = new MetricsVerticle(metrics, address);
    return vertx.deployVerticle(metricsServer)
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(new ConfigException("crawl.metrics",
            "an address this machine can listen on", address + " (" + err.getMessage() + ")")));
  }

  /**
   * With {@code crawl.ui}, the live dashboard, deployed before the pipeline so it sees the whole
   * crawl, and, like the metrics, left up until the Vert.x instance closes.
   */
  private Future<Void> serveDashboard() {
    if (config.crawl().ui().isEmpty()) {
      return Future.succeededFuture();
    }
    ListenAddress address = config.crawl().ui().get();
    dashboard = new DashboardVerticle(metrics, address);
    return vertx.deployVerticle(dashboard)
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(new ConfigException("crawl.ui",
            "an address this machine can listen on", address + " (" + err.getMessage() + ")")));
  }

  /** The port the dashboard listens on, once started; 0 when {@code crawl.ui} is off. */
  public int uiPort() {
    return dashboard == null ? 0 : dashboard.port();
  }

  /** The port the Prometheus endpoint listens on, once started; 0 when {@code crawl.metrics} is off. */
  public int metricsPort() {
    return metricsServer == null ? 0 : metricsServer.port();
  }

  /** The headers the Java API's request hook adds for a URL, none without one. */
  private Function<String, Map<String, String>> hookHeaders() {
    return extensions.requestHook() == null ? url -> Map.of() : extensions.requestHook()::headers;
  }

  /** A rendered page's requests: the headers and cookies of a plain fetch to the same host, the hook's headers. */
  private PageRequests pageRequests() {
    BrowserHeaders headers = new BrowserHeaders(config, fetchContext, hookHeaders());
    return new PageRequests(headers::headers, headers::cookiesSet);
  }

  /** The URL patterns {@code render.mode: auto} learned to need the browser so far. */
  public List<String> renderLearned() {
    return renderRoutes.learned();
  }

  /** Completes with the last progress once the crawl has ended and the store is closed. */
  public Future<Progress> finished() {
    return finished.future();
  }

  /**
   * Stops handing out work, lets what is in flight finish, and ends the crawl as
   * {@code interrupted}: a later {@code --resume} continues it.
   */
  public Future<Progress> stop(long graceMs) {
    outcomeOverride = "interrupted";
    failAfter(graceMs + TEARDOWN_MS, "the crawl did not stop within " + (graceMs + TEARDOWN_MS) + " ms");
    vertx.eventBus().request(Addresses.FRONTIER_STOP, null, Delivery.local(graceMs))
        .onFailure(err -> graceRanOut());
    return finished.future();
  }

  /**
   * The pages in flight did not finish within the grace: ends the crawl with the frontier's figures
   * as they stand (or, if it does not answer, its last published ones), the pages given up on still
   * {@code in_flight} for {@code --resume}, which puts them back without counting a crash (the run is
   * recorded as {@code interrupted}).
   */
  private void graceRanOut() {
    vertx.eventBus().<Progress>request(Addresses.FRONTIER_STATUS, null, Delivery.local(STATUS_REPLY_MS))
        .onComplete(ar -> vertx.runOnContext(v -> tearDown(ar.succeeded() ? ar.result().body() : lastProgress)));
  }

  /**
   * Fails the crawl as a whole because of {@code error}, which no stage handled (an
   * {@link Error}, or an exception thrown on an event loop): no new work, the run recorded as
   * {@code failed} if the store still answers, and {@link #finished()} failed with {@code error}
   * within {@value #FATAL_TEARDOWN_MS} ms whatever state the event loops are in. Pages in flight stay
   * {@code in_flight}, so {@code --resume} fetches them again. Any thread; only the first call counts.
   */
  public synchronized void fail(Throwable error) {
    if (fatal != null) {
      return;
    }
    fatal = error;
    log.error("crawl failed: an error no stage handled", error);
    outcomeOverride = "failed";
    failAfter(FATAL_TEARDOWN_MS, error);
    vertx.runOnContext(v -> tearDown(null));
  }

  /** Fails {@link #finished()} after {@code ms} unless it has completed, on a JDK timer, not an event loop. */
  private void failAfter(long ms, String why) {
    failAfter(ms, new TimeoutException(why));
  }

  private void failAfter(long ms, Throwable error) {
    CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS).execute(() -> {
      if (finished.tryFail(error)) {
        log.error("crawl failed: gave up waiting for the pipeline to stop after {} ms", ms);
      }
    });
  }

  private Future<String> deploy(java.util.function.Supplier<io.vertx.core.Deployable> verticle, int instances) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances))
        .onSuccess(deployments::add);
  }

  private void tearDown(Progress last) {
    if (finished.future().isComplete() || !closing.compareAndSet(false, true)) {
      return;
    }
    if (fatal == null) {
      failAfter(TEARDOWN_MS, "the crawl did not shut down within " + TEARDOWN_MS + " ms");
    }
    String outcome = outcomeOverride != null ? outcomeOverride
        : last == null || "failed".equals(last.stopReason()) ? "failed" : "finished";
    JsonObject stats = (last == null ? new JsonObject()
        : RecordJson.toJson(last).put("pagesPerSecond", last.pagesPerSecond()))
        .put("linksDropped", droppedLinks.count())
        .mergeIn(ruleStats.toJson());
    if (fetchContext.throttle() != null) {
      stats.put("hostPace", fetchContext.throttle().paces(HOST_PACES));
    }
    if (config.render().mode().equals(TrawlConfig.Render.MODE_AUTO)) {
      stats.put("renderLearned", new io.vertx.core.json.JsonArray(renderRoutes.learned()));
    }
    if (clusterVerticle != null) {
      // The node's share of the cluster's crawls row, which it adds as it leaves (crawlId stays 0 here).
      clusterVerticle.outcome(outcome, outcome, last == null ? null : last.stopReason(), stats);
    }
    Future<?> closed = crawlId == 0
        ? Future.succeededFuture()
        : vertx.eventBus().request(Addresses.STORE_CRAWL, CrawlRecord.close(crawlId, outcome, stats),
            Delivery.local(Replies.STORE_REPLY_MS));
    closed.transform(ar -> undeployAll())
        .onComplete(ar -> {
          if (progressSeen != null) {
            progressSeen.unregister();
          }
          Progress result = last == null ? new Progress(0, 0, 0, 0, 0, 0, 0, outcome) : last;
          Progress ended = new Progress(result.stored(), result.failed(), result.inFlight(), result.queued(),
              result.retries(), result.elapsedMs(), result.hosts(), "interrupted".equals(outcome) ? outcome
                  : result.stopReason());
          if (fatal != null) {
            finished.tryFail(fatal);
          } else if (ar.failed() && !"failed".equals(outcome)) {
            finished.tryFail(ar.cause());
          } else {
            finished.tryComplete(ended);
          }
        });
  }

  /**
   * Undeploys in reverse order: the frontier stops first, the store flushes and closes last. After
   * a fatal error the store goes first instead, once it has written what it
   * holds: the pages still in flight must stay {@code in_flight} for {@code --resume}, not be
   * stored as failures of the requests that stopping the fetchers cuts.
   */
  private Future<Void> undeployAll() {
    List<String> order = new ArrayList<>(deployments);
    Collections.reverse(order);
    if (fatal != null && storeDeployment != null && order.remove(storeDeployment)) {
      order.add(0, storeDeployment);
    }
    Future<Void> chain = Future.succeededFuture();
    for (String id : order) {
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain;
  }
}
