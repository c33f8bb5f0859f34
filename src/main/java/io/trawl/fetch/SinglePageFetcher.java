package io.trawl.fetch;

import io.trawl.bus.Addresses;
import io.trawl.bus.Delivery;
import io.trawl.bus.RecordCodec;
import io.trawl.bus.RobotsAnswer;
import io.trawl.bus.RobotsQuery;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Fetches one page the way a crawl would, for {@code trawl try}: with the fetch stage's own
 * {@link HttpFetcher} and {@link RobotsVerticle} (deployed here for this one page), obeying
 * robots.txt unless {@code fetch.respect_robots} is false, and starting the page's request no
 * sooner than its host's {@code per_host_rate} (or the host's Crawl-delay) after robots.txt's, as a
 * crawl spaces them. One attempt, no retries. Its futures complete on an event loop; a caller
 * that is not one (the CLI's main thread) may wait on them.
 */
public final class SinglePageFetcher {
  private static final DeliveryOptions ROBOTS_DELIVERY = Delivery.local(120_000);

  private final Vertx vertx;
  private final TrawlConfig.Fetch config;
  private final TrawlConfig fullConfig;
  private final FetchContext context;
  private final KnownRobots known = new KnownRobots();
  private HttpFetcher fetcher;
  /** The spacing robots.txt and the host's rate asked for, kept for a second request to the same page. */
  private long spacingMs;
  private String robotsDeployment;

  /** @param config the crawl's config: {@code fetch.*} and the page's host's {@code hosts:} entry apply */
  public SinglePageFetcher(Vertx vertx, TrawlConfig config) {
    this.vertx = vertx;
    this.config = config.fetch();
    this.fullConfig = config;
    this.context = FetchContext.of(config);
  }

  /**
   * Loads the Public Suffix List on a worker (the cookie jar reads it on the event loop), deploys
   * the robots verticle (when robots.txt is obeyed) and opens the HTTP client.
   */
  public Future<Void> start() {
    RecordCodec.registerAll(vertx);
    fetcher = new HttpFetcher(vertx, config, context);
    Future<Void> suffixes = vertx.executeBlocking(() -> {
      PublicSuffixes.load();
      return null;
    }, false);
    if (!config.respectRobots()) {
      return suffixes;
    }
    return suffixes.compose(v -> vertx.deployVerticle(new RobotsVerticle(config, known, context)))
        .onSuccess(id -> robotsDeployment = id)
        .mapEmpty();
  }

  /**
   * Fetches {@code url}; fails with a {@link CrawlException} of kind {@code robots} when robots.txt
   * disallows it, with the network failure's kind when robots.txt's host cannot be reached, or
   * with the fetch's own kind. A response of any status is a result.
   */
  public Future<FetchResult> fetch(String url, Predicate<String> inScope) {
    return politely(url, () -> fetcher.fetch(url, inScope));
  }

  /**
   * Fetches {@code url} in the browser, as {@link #fetch} does plainly: robots.txt obeyed, the
   * host's spacing kept (after robots.txt's request, or after {@code previous}, this page's plain
   * fetch, when it was fetched plainly first); the render stage ({@code RenderVerticle}) must be
   * deployed on this fetcher's Vert.x. A document that is not HTML is fetched plainly instead.
   *
   * @param why the {@code pages.rendered} word: why the page is rendered
   * @param previous the plain fetch of the same page just before, or null
   */
  public Future<FetchResult> render(String url, Predicate<String> inScope, String why, FetchResult previous) {
    BrowserFetch browser = new BrowserFetch(vertx.eventBus(), fullConfig);
    Supplier<Future<FetchResult>> rendered = () -> browser.fetch(url, why, () -> fetcher.fetch(url, inScope));
    if (previous == null) {
      return politely(url, rendered);
    }
    long spacing = Math.max(spacingMs, context.settings(url).rate().intervalNanos() / 1_000_000);
    return after(spacing - previous.elapsedMs()).compose(v -> rendered.get());
  }

  private Future<FetchResult> politely(String url, Supplier<Future<FetchResult>> request) {
    if (!config.respectRobots()) {
      return request.get();
    }
    long robotsAskedNanos = System.nanoTime();
    return robots(url)
        .compose(answer -> obeying(url, answer))
        .compose(spacing -> {
          spacingMs = spacing;
          return after(spacing - (System.nanoTime() - robotsAskedNanos) / 1_000_000);
        })
        .compose(v -> request.get());
  }

  /** The pause a crawl keeps between robots.txt and the host's next request, in ms. */
  private Future<Long> obeying(String url, RobotsAnswer answer) {
    switch (answer.verdict()) {
      case RobotsAnswer.ALLOWED:
        long intervalMs = context.settings(url).rate().intervalNanos() / 1_000_000;
        return Future.succeededFuture(Math.max(intervalMs, answer.crawlDelayMs()));
      case RobotsAnswer.DISALLOWED:
        return Future.failedFuture(new CrawlException(FailureKind.ROBOTS, url, "robots.txt disallows it"));
      default:
        FailureKind kind = answer.failure() == null ? FailureKind.ROBOTS : FailureKind.fromCode(answer.failure());
        return Future.failedFuture(new CrawlException(kind, url, answer.failure() == null
            ? "robots.txt answered with a server error: the host counts as disallowed for now"
            : "robots.txt could not be fetched"));
    }
  }

  private Future<Void> after(long delayMs) {
    if (delayMs <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> waited = Promise.promise();
    vertx.setTimer(delayMs, id -> waited.complete());
    return waited.future();
  }

  /** What robots.txt says of {@code url}, read once per host (ALLOWED when robots.txt is not obeyed). */
  public Future<RobotsAnswer> robots(String url) {
    if (!config.respectRobots()) {
      return Future.succeededFuture(new RobotsAnswer(RobotsAnswer.ALLOWED, 0, null));
    }
    return vertx.eventBus().<RobotsAnswer>request(Addresses.ROBOTS, new RobotsQuery(url), ROBOTS_DELIVERY)
        .map(reply -> reply.body());
  }

  /**
   * What robots.txt says of {@code url} when its host's rules have been read already (by {@link
   * #fetch} or {@link #robots}), or null when they have not: answered at once, from any thread.
   */
  public RobotsAnswer knownRobots(String url) {
    return known.answer(url);
  }

  /** The headers and cookies of a rendered page's requests, as this fetcher's own requests have them. */
  public BrowserHeaders browserHeaders() {
    return new BrowserHeaders(fullConfig, context, url -> java.util.Map.of());
  }

  public Future<Void> close() {
    Future<Void> robots = robotsDeployment == null ? Future.succeededFuture() : vertx.undeploy(robotsDeployment);
    return robots.eventually(() -> fetcher == null ? Future.succeededFuture() : fetcher.close());
  }
}
