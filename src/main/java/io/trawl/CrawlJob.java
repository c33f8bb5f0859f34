package io.trawl;

import io.trawl.bus.Addresses;
import io.trawl.bus.CrawlRecord;
import io.trawl.bus.Progress;
import io.trawl.bus.RecordCodec;
import io.trawl.config.ConfigJson;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.trawl.fetch.FetchVerticle;
import io.trawl.fetch.HostBreakers;
import io.trawl.fetch.KnownRobots;
import io.trawl.fetch.RobotsVerticle;
import io.trawl.fetch.SitemapVerticle;
import io.trawl.frontier.FrontierVerticle;
import io.trawl.parse.DroppedLinks;
import io.trawl.parse.ParseVerticle;
import io.trawl.store.StoreVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One crawl on one Vert.x instance: deploys the pipeline (store first, frontier last, so nothing
 * is sent before its consumer exists), records the run in {@code crawls}, and tears everything
 * down in the reverse order once the frontier reports the end, so the store flushes last.
 * Methods may be called from any thread; the work happens on event loops.
 */
public final class CrawlJob {
  private final Vertx vertx;
  private final TrawlConfig config;
  private final List<String> seeds;
  private final Scope scope;
  private final boolean resume;
  private final HostBreakers breakers;
  private final KnownRobots knownRobots = new KnownRobots();
  private final DroppedLinks droppedLinks = new DroppedLinks();
  private final List<String> deployments = new ArrayList<>();
  private final Promise<Progress> finished = Promise.promise();
  private long crawlId;
  private String outcomeOverride;

  /**
   * @param seeds normalized seed URLs (added to the frontier unless already there)
   * @param resume put rows an earlier run left in flight back in the queue
   */
  public CrawlJob(Vertx vertx, TrawlConfig config, List<String> seeds, Scope scope, boolean resume) {
    this.vertx = vertx;
    this.config = config;
    this.seeds = List.copyOf(seeds);
    this.scope = scope;
    this.resume = resume;
    this.breakers = new HostBreakers(config.circuit(), config.retry());
  }

  /**
   * The Vert.x options a crawl runs with: Netty's native epoll transport where the jar bundles it
   * (Linux on x86-64 and aarch64), NIO elsewhere. Epoll's timers and wake-ups are finer than NIO's
   * millisecond select: with 64 requests of 50 ms in flight it cut about half a millisecond from
   * each request's round trip (BENCHMARKS.md).
   */
  public static VertxOptions vertxOptions() {
    return new VertxOptions().setPreferNativeTransport(true);
  }

  /** Deploys the pipeline; the crawl then runs until {@link #finished()} completes. */
  public Future<Void> start() {
    int fetchers = Math.max(1, 2 * Runtime.getRuntime().availableProcessors());
    RecordCodec.registerAll(vertx);
    MessageConsumer<JsonObject> end = vertx.eventBus().consumer(Addresses.FINISHED,
        msg -> tearDown(Progress.fromJson(msg.body())));
    return end.completion()
        .compose(v -> deploy(() -> new StoreVerticle(config.crawl().db(), config.store(), resume), 1))
        .compose(v -> vertx.eventBus().<Long>request(Addresses.STORE_CRAWL,
            CrawlRecord.open(ConfigJson.toJson(config)).toJson()))
        .onSuccess(reply -> crawlId = reply.body())
        .compose(v -> deploy(() -> new ParseVerticle(config, scope, droppedLinks), 1))
        .compose(v -> deploy(() -> new RobotsVerticle(config.fetch(), knownRobots), 1))
        .compose(v -> FetchVerticle.deleteLeftoverDownloads(vertx, config.download()))
        .compose(v -> deploy(() -> new FetchVerticle(config, scope, breakers, knownRobots), fetchers))
        .compose(v -> config.crawl().sitemaps() ? deploy(() -> new SitemapVerticle(config, scope), 1)
            : Future.<Void>succeededFuture())
        .compose(v -> deploy(() -> new FrontierVerticle(config, seeds), 1))
        .onFailure(err -> undeployAll().onComplete(ar -> finished.tryFail(err)))
        .mapEmpty();
  }

  /** Links the parsers left out so far (too long, or past a page's cap); in {@code crawls.stats} too. */
  public long linksDropped() {
    return droppedLinks.count();
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
    vertx.eventBus().request(Addresses.FRONTIER_STOP, new JsonObject(), new DeliveryOptions().setSendTimeout(graceMs))
        .onFailure(err -> tearDown(null));
    return finished.future();
  }

  private Future<Void> deploy(java.util.function.Supplier<io.vertx.core.Deployable> verticle, int instances) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances))
        .onSuccess(deployments::add)
        .mapEmpty();
  }

  private void tearDown(Progress last) {
    if (finished.future().isComplete() || closing) {
      return;
    }
    closing = true;
    String outcome = outcomeOverride != null ? outcomeOverride
        : last == null || "failed".equals(last.stopReason()) ? "failed" : "finished";
    JsonObject stats = (last == null ? new JsonObject() : last.toJson().put("pagesPerSecond", last.pagesPerSecond()))
        .put("linksDropped", droppedLinks.count());
    Future<?> closed = crawlId == 0
        ? Future.succeededFuture()
        : vertx.eventBus().request(Addresses.STORE_CRAWL, CrawlRecord.close(crawlId, outcome, stats).toJson());
    closed.transform(ar -> undeployAll())
        .onComplete(ar -> {
          Progress result = last == null ? new Progress(0, 0, 0, 0, 0, 0, 0, outcome) : last;
          Progress ended = new Progress(result.stored(), result.failed(), result.inFlight(), result.queued(),
              result.retries(), result.elapsedMs(), result.hosts(), "interrupted".equals(outcome) ? outcome
                  : result.stopReason());
          if (ar.failed() && !"failed".equals(outcome)) {
            finished.tryFail(ar.cause());
          } else {
            finished.tryComplete(ended);
          }
        });
  }

  private boolean closing;

  /** Undeploys in reverse order: the frontier stops first, the store flushes and closes last. */
  private Future<Void> undeployAll() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain;
  }
}
