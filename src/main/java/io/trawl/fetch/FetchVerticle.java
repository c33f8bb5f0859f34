package io.trawl.fetch;

import io.trawl.bus.Addresses;
import io.trawl.bus.Delivery;
import io.trawl.bus.CookieChanges;
import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FetchRequest;
import io.trawl.bus.FetchedPage;
import io.trawl.bus.LoginRequest;
import io.trawl.bus.PageRecord;
import io.trawl.bus.PageStored;
import io.trawl.bus.ParseResult;
import io.trawl.bus.Replies;
import io.trawl.bus.RobotsAnswer;
import io.trawl.bus.RobotsQuery;
import io.trawl.config.HostSettings;
import io.trawl.config.TrawlConfig;
import io.trawl.core.ContentHash;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.trawl.core.RenderReason;
import io.trawl.core.Scope;
import io.trawl.core.UrlNormalizer;
import io.trawl.metrics.CrawlMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.function.Supplier;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetcher number {@code n} of its node, the consumer of {@link Addresses#fetch(int)}: fetches one
 * URL, over plain HTTP or through the browser as {@link RenderRoutes} says, sends HTML (by its
 * Content-Type, or sniffed when it has none: {@link ContentSniffer}) on to the parser and anything
 * else (downloads, other content types, HTTP errors, failures) straight to the store, and answers
 * the frontier with the {@link FetchOutcome} once the page is stored, or put back to be rendered when the parser found it lacking. Retries go
 * by the settings of the URL's host ({@code hosts:}); the cookie jar's changes are sent to the
 * store before the page. A host whose entry declares a {@code login} is logged in (by the {@link
 * LoginVerticle}) before this fetcher's first request to it, and again when a page shows the
 * session lost ({@link LoginCheck}): that page is then fetched once more, and fails as {@code
 * login} if it still shows it; while the login itself fails, the host's URLs wait and are tried
 * again like a robots.txt that could not be read. Event loop; the HTTP work is {@link HttpFetcher}'s, the browser's is the
 * render stage's ({@link BrowserFetch}).
 */
public final class FetchVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FetchVerticle.class);
  private static final DeliveryOptions DOWNSTREAM = Delivery.local(Replies.STORE_REPLY_MS);

  private final TrawlConfig config;
  private final Scope scope;
  private final HostBreakers breakers;
  private final KnownRobots knownRobots;
  private final FetchContext context;
  /** One policy per {@code hosts:} entry (and the crawl-wide one), built once. */
  private final Map<String, RetryPolicy> retryPolicies = new HashMap<>();
  private final Function<String, Map<String, String>> requestHeaders;
  private final CrawlMetrics metrics;
  private final RenderRoutes routes;
  /** Its number among the node's fetchers, which names its address. */
  private final int number;
  private HttpFetcher fetcher;
  private BrowserFetch browser;
  /** Set once the crawl is being torn down; see {@link #store}. */
  private boolean stopping;

  /**
   * @param breakers the per-host circuit breakers, shared by every fetcher instance
   * @param knownRobots the rules the robots verticle of this JVM has read; a host not in it is
   *     asked about over the event bus
   */
  public FetchVerticle(TrawlConfig config, Scope scope, HostBreakers breakers, KnownRobots knownRobots) {
    this(config, scope, breakers, knownRobots, FetchContext.of(config), url -> Map.of(), CrawlMetrics.OFF);
  }

  /**
   * @param context what every fetcher of the crawl shares: host settings, cookie jar, proxies
   * @param requestHeaders headers to add to each plain page request (redirect hops included), by
   *     URL: the library's request hook; called on this verticle's event loop
   * @param metrics told of robots.txt verdicts and of retries
   */
  public FetchVerticle(TrawlConfig config, Scope scope, HostBreakers breakers, KnownRobots knownRobots,
      FetchContext context, Function<String, Map<String, String>> requestHeaders, CrawlMetrics metrics) {
    this(config, scope, breakers, knownRobots, context, requestHeaders, metrics, new RenderRoutes(config.render()), 0);
  }

  /**
   * @param routes which pages go to the browser, and what auto mode has learned: shared by every
   *     fetcher instance
   * @param number its number among the node's fetchers (0 to their count - 1), each of which the
   *     frontier sends to at {@link Addresses#fetch(int)}
   */
  public FetchVerticle(TrawlConfig config, Scope scope, HostBreakers breakers, KnownRobots knownRobots,
      FetchContext context, Function<String, Map<String, String>> requestHeaders, CrawlMetrics metrics,
      RenderRoutes routes, int number) {
    this.config = config;
    this.scope = scope;
    this.breakers = breakers;
    this.knownRobots = knownRobots;
    this.context = context;
    this.requestHeaders = requestHeaders;
    this.metrics = metrics;
    this.routes = routes;
    this.number = number;
  }

  /**
   * Deletes the partial downloads a killed run left in {@code download.dir}. Call once per crawl,
   * before any fetcher starts: a fetcher's own partial files are still being written.
   */
  public static Future<Void> deleteLeftoverDownloads(Vertx vertx, TrawlConfig config) {
    TrawlConfig.Download download = config.download();
    if (download.contentTypes().isEmpty() && !config.render().screenshot()) {
      return Future.succeededFuture();
    }
    return FileDownload.deleteLeftovers(vertx, download.dir())
        .onSuccess(n -> {
          if (n > 0) {
            log.info("deleted {} partial downloads left in {} by an earlier run", n, download.dir());
          }
        })
        .mapEmpty();
  }

  @Override
  public Future<?> start() {
    fetcher = new HttpFetcher(vertx, config.fetch(), context, new Downloads(config.download()), requestHeaders);
    browser = new BrowserFetch(vertx.eventBus(), config);
    return vertx.eventBus().<FetchRequest>localConsumer(Addresses.fetch(number), this::onFetchRequest).completion();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    fetcher.close();
    return Future.succeededFuture();
  }

  private void onFetchRequest(Message<FetchRequest> msg) {
    FetchRequest request = msg.body();
    robots(request.url())
        .compose(answer -> obeying(request, answer))
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, Replies.kindOf(err), String.valueOf(err.getMessage())));
  }

  private Future<RobotsAnswer> robots(String url) {
    if (!config.fetch().respectRobots()) {
      return Future.succeededFuture(new RobotsAnswer(RobotsAnswer.ALLOWED, 0, null));
    }
    RobotsAnswer known = knownRobots.answer(url);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.eventBus().<RobotsAnswer>request(Addresses.ROBOTS, new RobotsQuery(url), DOWNSTREAM)
        .map(Message::body);
  }

  private Future<FetchOutcome> obeying(FetchRequest request, RobotsAnswer answer) {
    long now = System.currentTimeMillis();
    if (config.fetch().respectRobots()) {
      metrics.robotsVerdict(answer.verdict());
    }
    RetryPolicy retryPolicy = retryPolicy(context.settings(request.url()));
    switch (answer.verdict()) {
      case RobotsAnswer.ALLOWED:
        return loggedIn(request, retryPolicy).map(outcome -> outcome.withCrawlDelayMs(spacingMs(request, answer)));
      case RobotsAnswer.DISALLOWED:
        log.debug("fetch skipped url={} kind=robots", request.url());
        PageRecord refused = PageRecord.failure(request, FailureKind.ROBOTS.code(), request.attempts(), now, 0);
        return store(refused).map(stored -> outcome(request, FailureKind.ROBOTS.code(), request.attempts(), stored));
      default:
        // robots.txt answered 5xx or the host is unreachable: disallowed for now, asked again when
        // the URL is tried again, which is not before that answer has expired.
        FailureKind kind = answer.failure() == null ? FailureKind.ROBOTS : FailureKind.fromCode(answer.failure());
        int attempts = request.attempts() + 1;
        if (attempts < retryPolicy.maxAttempts() && (answer.failure() == null || kind.retryable())) {
          long retryAtMs = now + Math.max(retryPolicy.backoffMs(attempts), RobotsVerticle.holdMs(config.fetch()) + 1);
          return Future.succeededFuture(FetchOutcome.retryAt(request.id(), kind.code(), retryAtMs, attempts));
        }
        PageRecord failed = PageRecord.failure(request, kind.code(), attempts, now, 0);
        return store(failed).map(stored -> outcome(request, kind.code(), attempts, stored));
    }
  }

  /**
   * The spacing the frontier is to keep between the host's requests: robots.txt's Crawl-delay, or,
   * with autothrottle, the host's whole pace now (which may have sped up again).
   */
  private long spacingMs(FetchRequest request, RobotsAnswer answer) {
    if (context.throttle() == null) {
      return answer.crawlDelayMs();
    }
    return context.intervalNanos(request.url(), context.settings(request.url())) / 1_000_000;
  }

  /** Fetches the URL within its host's logged-in session, when its host's entry declares a login. */
  private Future<FetchOutcome> loggedIn(FetchRequest request, RetryPolicy retryPolicy) {
    HostSettings settings = context.settings(request.url());
    if (settings.login().isNone()) {
      return fetch(request, settings, retryPolicy);
    }
    Long generation = context.loginSessions().get(settings.pattern());
    Future<Long> session = generation != null ? Future.succeededFuture(generation) : session(settings, 0);
    return session
        .compose(g -> fetch(request, settings, retryPolicy))
        .recover(err -> loginFailed(request, err, retryPolicy));
  }

  /** The host's login failed (a reply of the login verticle): the URL waits, as for an unreadable robots.txt. */
  private Future<FetchOutcome> loginFailed(FetchRequest request, Throwable err, RetryPolicy retryPolicy) {
    if (!(err instanceof ReplyException) || !Replies.kindOf(err).equals(FailureKind.LOGIN)) {
      return Future.failedFuture(err);
    }
    log.debug("fetch held url={} kind=login", request.url());
    long now = System.currentTimeMillis();
    int attempts = request.attempts() + 1;
    if (attempts < retryPolicy.maxAttempts()) {
      long retryAtMs = now + Math.max(retryPolicy.backoffMs(attempts), config.circuit().openFor().toMillis());
      return Future.succeededFuture(FetchOutcome.retryAt(request.id(), FailureKind.LOGIN.code(), retryAtMs, attempts));
    }
    requestOver(request);
    PageRecord failed = PageRecord.failure(request, FailureKind.LOGIN.code(), attempts, now, 0);
    return store(failed).map(stored -> outcome(request, FailureKind.LOGIN.code(), attempts, stored));
  }

  private Future<Long> session(HostSettings settings, long lostGeneration) {
    return vertx.eventBus().<Long>request(Addresses.LOGIN, new LoginRequest(settings.pattern(), lostGeneration),
            DOWNSTREAM)
        .map(Message::body)
        .onSuccess(generation -> context.loginSessions().merge(settings.pattern(), generation, Math::max));
  }

  /**
   * {@code result}, or, when it shows its host's session lost, the page fetched again after a new
   * login ({@code again}); lost once more, a {@code login} failure.
   */
  private Future<FetchResult> inSession(FetchRequest request, HostSettings settings, long generation,
      FetchResult result, Supplier<Future<FetchResult>> again) {
    if (settings.login().isNone() || LoginCheck.isLoginPage(settings, request.url())) {
      return Future.succeededFuture(result);
    }
    return sessionLost(settings, result).compose(lost -> {
      if (!lost) {
        return Future.succeededFuture(result);
      }
      log.debug("session lost url={} hosts={} status={} session={}", request.url(), settings.pattern(),
          result.status(), generation);
      return session(settings, generation)
          .compose(g -> again.get())
          .compose(second -> sessionLost(settings, second).compose(still -> still
              ? Future.failedFuture(new CrawlException(FailureKind.LOGIN, request.url(),
                  "the session was lost again right after logging in (status " + second.status() + ")"))
              : Future.succeededFuture(second)));
    });
  }

  /** Whether {@code result} shows its host's session lost; an HTML page is looked into on a worker. */
  private Future<Boolean> sessionLost(HostSettings settings, FetchResult result) {
    if (LoginCheck.ledToLogin(settings, result)) {
      return Future.succeededFuture(true);
    }
    boolean page = result.status() >= 200 && result.status() < 300 && result.download() == null
        && ContentSniffer.isHtml(result.contentType(), result.body());
    if (!page) {
      return Future.succeededFuture(false);
    }
    String selector = settings.login().success();
    return vertx.executeBlocking(() -> !LoginCheck.holds(result.body(), result.finalUrl(), selector), false);
  }

  private Future<FetchOutcome> fetch(FetchRequest request, HostSettings settings, RetryPolicy retryPolicy) {
    CircuitBreaker breaker = breakers.of(UrlNormalizer.host(request.url()));
    String render = request.render() != null ? request.render() : routes.route(request.url());
    int[] tries = {0};
    long startedMs = System.currentTimeMillis();
    Supplier<Future<FetchResult>> plainly =
        () -> fetcher.fetchPage(request.url(), scope::allows, Revalidation.headers(request.revisit()));
    Supplier<Future<FetchResult>> attempt = () -> {
      tries[0]++;
      return VertxResilience.breaker(breaker, request.url(), () -> {
        if (request.attempts() + tries[0] > 1) {
          metrics.retried();
        }
        return render == null ? plainly.get() : browser.fetch(request.url(), render, plainly);
      });
    };
    // The session the request goes out under: the one to report lost if it shows so.
    long generation = context.loginSessions().getOrDefault(settings.pattern(), 0L);
    return VertxResilience.retry(vertx, retryPolicy.retryFor(request.attempts()), attempt)
        .compose(result -> inSession(request, settings, generation, result, attempt))
        .compose(result -> route(request, result, request.attempts() + tries[0], retryPolicy))
        .recover(err -> failed(request, err, request.attempts() + tries[0], startedMs, render));
  }

  private Future<FetchOutcome> route(FetchRequest request, FetchResult result, int attempts, RetryPolicy retryPolicy) {
    long now = System.currentTimeMillis();
    if (result.rendered() != null) {
      metrics.rendered(result.rendered(), null, result.elapsedMs());
    }
    if (retryPolicy.retryableStatus(result.status()) && attempts < retryPolicy.maxAttempts()) {
      long retryAtMs = retryPolicy.retryAtMs(result.retryAfter(), now);
      if (retryAtMs > 0) {
        log.debug("fetch deferred url={} status={} retryAfter={}", request.url(), result.status(), result.retryAfter());
        return Future.succeededFuture(
            FetchOutcome.retryAt(request.id(), FailureKind.http(result.status()).code(), retryAtMs, attempts));
      }
    }
    requestOver(request);
    Future<Void> cookiesSaved = saveCookies();
    boolean mayRender = result.rendered() == null && routes.mayRender(request.url());
    FetchedPage page = new FetchedPage(request, result.finalUrl(), result.status(), result.contentType(),
        result.body(), now, result.elapsedMs(), attempts, result.etag(), result.lastModified(), result.rendered(),
        mayRender, result.screenshot());
    if (Revalidation.notModified(request.revisit(), result.status())) {
      return withCookies(cookiesSaved, store(PageRecord.unchanged(page, 0))).map(stored -> outcome(request, null, attempts, stored));
    }
    if (result.download() != null) {
      return withCookies(cookiesSaved, store(PageRecord.downloaded(page, result.download())))
          .map(stored -> outcome(request, null, attempts, stored));
    }
    if (result.status() >= 200 && result.status() < 300 && ContentSniffer.isHtml(result.contentType(), result.body())) {
      Future<ParseResult> parsed = vertx.eventBus().<ParseResult>request(Addresses.PARSE, page, DOWNSTREAM)
          .map(Message::body);
      return withCookies(cookiesSaved, parsed).map(reply -> parsed(request, result, attempts, reply));
    }
    String error = result.status() >= 400 ? FailureKind.http(result.status()).code() : null;
    return withCookies(cookiesSaved, contentHash(result).compose(hash -> store(PageRecord.unparsed(page, error, hash))))
        .map(stored -> outcome(request, error, attempts, stored));
  }

  /**
   * The hash of a 2xx body that is neither parsed nor downloaded (an image, a feed...), so that a
   * recrawl can tell whether it changed; on a worker, as it may be megabytes. None for an error.
   */
  private Future<String> contentHash(FetchResult result) {
    if (result.status() < 200 || result.status() >= 300) {
      return Future.succeededFuture(null);
    }
    return vertx.executeBlocking(() -> ContentHash.of(result.body()), false);
  }

  /**
   * Sends the jar's changes to the store now, before the page: the store commits them first, so a
   * page stored after its session cookie was set is never in the database without it.
   */
  private Future<Void> saveCookies() {
    CookieChanges changes = context.jar() == null ? CookieChanges.NONE : context.jar().drainChanges();
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().request(Addresses.STORE_COOKIES, changes, DOWNSTREAM).mapEmpty();
  }

  private static <T> Future<T> withCookies(Future<Void> cookiesSaved, Future<T> done) {
    return Future.all(cookiesSaved, done).map(all -> done.result());
  }

  /**
   * What the parser made of an HTML page: stored, or (fetched plainly, lacking its content) to be
   * rendered, which goes back to the frontier so that it waits for its host's turn as any request
   * does. Auto mode learns from both.
   */
  private FetchOutcome parsed(FetchRequest request, FetchResult result, int attempts, ParseResult parsed) {
    if (parsed.renderWanted() != null) {
      log.debug("fetch to render url={} reason={}", request.url(), parsed.renderWanted());
      return FetchOutcome.toRender(request.id(), request.attempts(), parsed.renderWanted());
    }
    if (result.rendered() == null) {
      if (parsed.found()) {
        routes.plainFound(request.url());
      }
    } else if (RenderReason.afterPlain(result.rendered())) {
      routes.renderedAfterPlain(request.url(), parsed.found());
    }
    return FetchOutcome.done(request.id(), parsed.error(), attempts, parsed.newUrls());
  }

  private Future<FetchOutcome> failed(FetchRequest request, Throwable err, int attempts, long startedMs,
      String render) {
    FailureKind kind = Replies.kindOf(err);
    if (kind.equals(FailureKind.STORE) || kind.equals(FailureKind.LOGIN) && err instanceof ReplyException) {
      return Future.failedFuture(err); // a login that failed puts the URL back (loggedIn)
    }
    if (kind.equals(FailureKind.CIRCUIT_OPEN)) {
      // Not an attempt: the host is paused, and the URL waits with it rather than failing.
      long retryAtMs = System.currentTimeMillis() + config.circuit().openFor().toMillis();
      return Future.succeededFuture(FetchOutcome.retryAt(request.id(), kind.code(), retryAtMs, attempts - 1));
    }
    log.debug("fetch failed url={} kind={} attempt={}", request.url(), kind.code(), attempts);
    requestOver(request);
    long now = System.currentTimeMillis();
    if (render != null) {
      metrics.rendered(render, kind.code(), now - startedMs);
    }
    PageRecord record = PageRecord.failure(request, kind.code(), attempts, now, now - startedMs).withRendered(render);
    return withCookies(saveCookies(), store(record)).map(stored -> outcome(request, kind.code(), attempts, stored));
  }

  /** Tells the frontier that this request's slot is free: only the parse and the store remain. */
  private void requestOver(FetchRequest request) {
    vertx.eventBus().send(Addresses.FRONTIER_FETCHED, request.id(), Delivery.local());
  }

  /**
   * Stores a page's row. While the fetcher stops, a URL that got no response is not stored: its
   * request was cut short by the stop (a Ctrl-C whose grace ran out closes the connections still
   * waiting), which says nothing about the page, so its row stays in flight for --resume to put back.
   */
  private Future<PageStored> store(PageRecord record) {
    if (stopping && record.status() == 0) {
      log.debug("fetch abandoned at stop url={} kind={}", record.url(), record.error());
      return Future.failedFuture(new CrawlException(FailureKind.INTERNAL, record.url(), "the crawl stopped"));
    }
    return vertx.eventBus().<PageStored>request(Addresses.STORE_PAGE, record, DOWNSTREAM)
        .map(Message::body);
  }

  private static FetchOutcome outcome(FetchRequest request, String error, int attempts, PageStored stored) {
    return FetchOutcome.done(request.id(), error, attempts, stored.newUrls());
  }

  private RetryPolicy retryPolicy(HostSettings settings) {
    return retryPolicies.computeIfAbsent(settings.pattern(), p -> new RetryPolicy(settings.retry()));
  }
}
