package io.trawl.fetch;

import io.trawl.config.HostSettings;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.trawl.core.UrlNormalizer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One request of an {@link HttpFetcher} (a GET, or a login's form) across its redirects and
 * proxies: for each hop, the request built for the hop's host, the proxy it goes through (another
 * one if that proxy fails), the cookies it brings back, and the body read under its cap. A page
 * request of a host with a {@code login} stops at a redirect to the login's URL: its session is
 * lost, which the caller sees as a 3xx result whose final URL is the login's ({@link
 * LoginCheck}). In a crawl each hop first waits for its turn on the host's politeness clock
 * ({@link HostClock}) and reports to it the moment it is sent. The deadline ({@code
 * request_timeout} of the first URL's host) covers the whole exchange, except the waits for the
 * host's turn and writing a download's file once its body is in. Event loop of the caller; every callback checks that it belongs to the attempt
 * still running, so an attempt abandoned for another proxy can no longer settle the exchange.
 */
final class Exchange {
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final int PROXY_AUTH_REQUIRED = 407;

  private final HttpFetcher fetcher;
  private final FetchContext context;
  private final String url;
  private final Predicate<String> inScope;
  private final MultiMap headers;
  private final boolean stopAtLogin;
  private HttpMethod method = HttpMethod.GET;
  private Buffer body;
  private String contentType;
  private String loginUrl;
  private final Promise<FetchResult> promise = Promise.promise();
  private final Set<String> visited = new HashSet<>();
  private final long startedNanos = System.nanoTime();
  private HttpClientRequest current;
  /** The current hop's turn on the host's clock, held until it is sent or given up; null outside a crawl. */
  private HostClock.Turn turn;
  private int attempt;
  private FileDownload download;
  private boolean settled;
  private long timer = -1;
  private Duration timeout;
  private long deadlineLeftNanos;
  private long deadlineArmedNanos;

  /**
   * @param headers sent on every hop before the request hook's, which may replace them (a
   *     recrawl's {@code If-None-Match} / {@code If-Modified-Since})
   */
  Exchange(HttpFetcher fetcher, String url, Predicate<String> inScope, MultiMap headers, boolean stopAtLogin) {
    this.fetcher = fetcher;
    this.context = fetcher.context;
    this.url = url;
    this.inScope = inScope;
    this.headers = headers;
    this.stopAtLogin = stopAtLogin;
  }

  /** This exchange sending {@code body} of {@code type} with {@code method} on its first hop (a login's form). */
  Exchange withBody(HttpMethod method, Buffer body, String type) {
    this.method = method;
    this.body = body;
    this.contentType = type;
    return this;
  }

  Future<FetchResult> start() {
    String first = UrlNormalizer.normalize(url).orElse(null);
    if (first == null) {
      boolean userInfo = UrlNormalizer.refusal(null, url) == UrlNormalizer.Refusal.USER_INFO;
      fail(new CrawlException(userInfo ? FailureKind.USER_INFO : FailureKind.BAD_URL, url,
          userInfo ? "user info in the URL" : "not an http(s) URL trawl can request"));
    } else if (first.length() > fetcher.config.maxUrlLength()) {
      fail(new CrawlException(FailureKind.BAD_URL, url, first.length() + " characters, over fetch.max_url_length"));
    } else {
      HostSettings settings = context.settings(first);
      if (stopAtLogin && !settings.login().isNone()) {
        loginUrl = LoginCheck.withoutQuery(settings.login().url());
      }
      timeout = settings.requestTimeout();
      deadlineLeftNanos = timeout.toNanos();
      armDeadline();
      visited.add(first);
      hop(first, 0, new HashSet<>());
    }
    return promise.future();
  }

  /**
   * Requests {@code target}, a normalized URL: its form has no space or line break that Netty
   * would refuse only inside send(), once the request holds a pooled connection it never gives
   * back, and no user info to hide its host behind.
   *
   * @param tried the proxies this hop already failed through
   */
  private void hop(String target, int redirects, Set<TrawlConfig.Proxy> tried) {
    if (settled) {
      return;
    }
    String host = UrlNormalizer.host(target);
    HostSettings settings = context.settings(target);
    TrawlConfig.Proxy proxy;
    try {
      proxy = context.proxies().choose(host, settings.proxy(), tried, url);
    } catch (CrawlException e) {
      fail(e);
      return;
    }
    Hop next = new Hop(host, settings, proxy);
    long intervalNanos = context.clock() == null ? 0 : context.intervalNanos(target, settings);
    if (intervalNanos < HostClock.RESOLUTION_NANOS) {
      prepare(target, redirects, tried, next);
      return;
    }
    // The deadline covers the network, not the wait for the host's turn.
    pauseDeadline();
    context.clock().turn(fetcher.vertx, host, intervalNanos).onSuccess(granted -> {
      turn = granted;
      if (settled) {
        releaseTurn();
        return;
      }
      armDeadline();
      prepare(target, redirects, tried, next);
    });
  }

  /** Gives the current hop's turn back unsent, if it holds one. */
  private void releaseTurn() {
    if (turn != null) {
      turn.release();
      turn = null;
    }
  }

  /** What one hop goes out with. */
  private record Hop(String host, HostSettings settings, TrawlConfig.Proxy proxy) {}

  private void prepare(String target, int redirects, Set<TrawlConfig.Proxy> tried, Hop hop) {
    RequestOptions options = PlainUrl.target(new RequestOptions(), target)
        .setMethod(method)
        .setFollowRedirects(false)
        .setConnectTimeout(hop.settings().connectTimeout().toMillis());
    RequestHeaders.apply(options, target, hop.settings(), context.jar());
    headers.forEach(options::putHeader);
    if (body != null) {
      options.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    try {
      fetcher.extraHeaders.apply(target).forEach(options::putHeader);
    } catch (RuntimeException e) {
      fail(new CrawlException(FailureKind.BAD_URL, url, "the request hook failed: " + e, e));
      return;
    }
    if (hop.proxy() != null) {
      options.setProxyOptions(proxyOptions(hop.proxy()));
    }
    if (fetcher.guard == null) {
      request(options, target, redirects, tried, hop);
      return;
    }
    // The host and port the client would connect to, read by its own parser (setAbsoluteURI), or by
    // hand to the same result for a plain URL (PlainUrl). Through a proxy, the proxy is told this
    // checked address (CONNECT, SOCKS) or, for a plain http page sent to an http proxy whole, the
    // name, which the proxy resolves again (README, Proxies).
    fetcher.guard.server(url, options.getHost(), options.getPort())
        .onSuccess(server -> request(options.setServer(server), target, redirects, tried, hop))
        .onFailure(err -> fail(unusable(target, redirects, FetchErrors.connecting(url, err))));
  }

  private static ProxyOptions proxyOptions(TrawlConfig.Proxy proxy) {
    ProxyOptions options = new ProxyOptions()
        .setType(proxy.scheme().equals("socks5") ? ProxyType.SOCKS5 : ProxyType.HTTP)
        .setHost(proxy.host())
        .setPort(proxy.port());
    if (!proxy.user().isEmpty()) {
      options.setUsername(proxy.user()).setPassword(proxy.password());
    }
    return options;
  }

  private void request(RequestOptions options, String target, int redirects, Set<TrawlConfig.Proxy> tried, Hop hop) {
    if (settled) {
      return; // the deadline passed while resolving
    }
    int id = ++attempt;
    Future<HttpClientRequest> request;
    try {
      request = fetcher.client.request(options);
    } catch (RuntimeException e) {
      fail(unusable(target, redirects, new CrawlException(FailureKind.BAD_URL, url, e.getMessage(), e)));
      return;
    }
    request
        .onFailure(err -> {
          if (id != attempt) {
            return;
          }
          String proxyFailure = hop.proxy() == null ? null : FetchErrors.proxyFailure(err);
          if (proxyFailure != null) {
            retryElsewhere(target, redirects, tried, hop.proxy(), proxyFailure);
          } else {
            fail(unusable(target, redirects, FetchErrors.connecting(url, err, hop.proxy())));
          }
        })
        .onSuccess(req -> send(req, id, target, redirects, tried, hop));
  }

  /** {@code proxy} failed this hop: benched, and the hop goes through another proxy, if there is one. */
  private void retryElsewhere(String target, int redirects, Set<TrawlConfig.Proxy> tried, TrawlConfig.Proxy proxy,
      String why) {
    context.proxies().bench(proxy, why);
    releaseTurn();
    Set<TrawlConfig.Proxy> failed = new HashSet<>(tried);
    failed.add(proxy);
    hop(target, redirects, failed);
  }

  private void send(HttpClientRequest req, int id, String target, int redirects, Set<TrawlConfig.Proxy> tried, Hop hop) {
    current = req;
    // Ours before anything can reset the request, as for the response below.
    req.exceptionHandler(err -> {
      if (id == attempt) {
        fail(FetchErrors.of(url, err, false));
      }
    });
    if (settled) {
      // The deadline passed while connecting.
      req.reset();
      return;
    }
    Future<HttpClientResponse> response;
    long sentNanos = System.nanoTime();
    if (turn != null) {
      turn.sent();
      turn = null;
    }
    try {
      response = body == null ? req.send() : req.send(body);
    } catch (RuntimeException e) {
      // prepare() checked the target, so this is a refusal it did not foresee.
      fail(unusable(target, redirects, new CrawlException(FailureKind.BAD_URL, url, e.getMessage(), e)));
      return;
    }
    response
        .onSuccess(r -> {
          if (id == attempt) {
            onResponse(target, redirects, tried, hop, r, (System.nanoTime() - sentNanos) / 1_000_000);
          }
        })
        .onFailure(err -> {
          if (id == attempt) {
            fail(FetchErrors.of(url, err, false));
          }
        });
  }

  /** A target the client refuses (a port out of range...) is the redirect's fault, not the URL's. */
  private CrawlException unusable(String target, int redirects, CrawlException err) {
    if (redirects == 0 || !err.kind().equals(FailureKind.BAD_URL)) {
      return err;
    }
    return new CrawlException(FailureKind.BAD_REDIRECT, url, "to " + target, err);
  }

  private void onResponse(String target, int redirects, Set<TrawlConfig.Proxy> tried, Hop hop,
      HttpClientResponse response, long latencyMs) {
    // Ours before anything can abort the response: one without a handler has Vert.x log the reset
    // that aborting causes as an unhandled ERROR. The paths below replace it with their own.
    int id = attempt;
    response.exceptionHandler(err -> {
      if (id == attempt) {
        fail(FetchErrors.of(url, err, false));
      }
    });
    if (settled) {
      return;
    }
    int status = response.statusCode();
    if (hop.proxy() != null && (status == PROXY_AUTH_REQUIRED || context.proxies().answered(hop.proxy(), status))) {
      abandon();
      retryElsewhere(target, redirects, tried, hop.proxy(), status == PROXY_AUTH_REQUIRED
          ? "answered 407 Proxy Authentication Required" : "too many bans (403, 429) through it");
      return;
    }
    if (context.throttle() != null) {
      context.throttle().answered(hop.host(), context.configuredNanos(target, hop.settings()), status, latencyMs);
    }
    if (context.jar() != null) {
      context.jar().store(target, response.cookies());
    }
    if (REDIRECTS.contains(status)) {
      redirect(target, redirects, response);
      return;
    }
    if (status >= 200 && status < 300 && fetcher.downloads.matches(response.getHeader(HttpHeaders.CONTENT_TYPE))) {
      download(target, redirects, response);
      return;
    }
    MemoryBody sink = new MemoryBody(fetcher.config.maxBodySize().bytes(), contentLength(response));
    readBody(response, sink, fetcher.keepPrefix ? sink::appendPrefix : null,
        () -> succeed(page(target, redirects, response, sink)));
  }

  /** Drops the current attempt: whatever its request or response still reports is ignored. */
  private void abandon() {
    attempt++;
    if (current != null) {
      current.reset();
    }
  }

  private FetchResult page(String target, int redirects, HttpClientResponse response, MemoryBody sink) {
    long elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
    return new FetchResult(url, target, response.statusCode(), response.getHeader(HttpHeaders.CONTENT_TYPE),
        sink.bytesRead(), elapsedMs, redirects, response.getHeader("Retry-After"), null,
        response.getHeader(HttpHeaders.ETAG), response.getHeader(HttpHeaders.LAST_MODIFIED), null, null);
  }

  /** Streams the body to a file, pausing the response while the file's write queue is full. */
  private void download(String target, int redirects, HttpClientResponse response) {
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    response.pause();
    FileDownload file = new FileDownload(fetcher.vertx, fetcher.downloads);
    download = file;
    readBody(response, file, null, () -> {
      // The whole body is here: what is left is local file work, which the request timer must not cut.
      pauseDeadline();
      long elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
      file.finish(type)
          .onSuccess(saved -> succeed(new FetchResult(url, target, response.statusCode(), type, new byte[0],
              elapsedMs, redirects, null, saved)))
          .onFailure(err -> fail(new CrawlException(FailureKind.FILE, url, "saving the download: " + err.getMessage(), err)));
    });
    if (settled) {
      return;
    }
    file.errorHandler(err -> abort(new CrawlException(FailureKind.FILE, url, "writing the download: " + err.getMessage(), err)));
    file.open()
        .onSuccess(v -> response.resume())
        .onFailure(err -> abort(new CrawlException(FailureKind.FILE, url, "opening a file in " + fetcher.downloads.dir()
            + ": " + err.getMessage(), err)));
  }

  /**
   * The one loop that reads a body into {@code sink}: a Content-Length over the cap fails at once
   * as too_large, and so does a body that grows past it, unless {@code keepPrefix} is given: then
   * the part under the cap is kept and the rest is not read. A body that ends short of its
   * Content-Length is truncated (a compressed one's length counts other bytes, so it is not
   * checked). {@code complete} runs once the whole body (or the prefix) is in the sink.
   */
  private void readBody(HttpClientResponse response, BodySink sink, Consumer<Buffer> keepPrefix, Runnable complete) {
    long announced = contentLength(response);
    long cap = sink.capBytes();
    if (announced > cap && keepPrefix == null) {
      abort(new CrawlException(FailureKind.TOO_LARGE, url, "Content-Length " + announced + " over the cap " + cap));
      return;
    }
    // A compressed body's Content-Length counts compressed bytes; the cap counts what we keep.
    boolean compressed = response.getHeader(HttpHeaders.CONTENT_ENCODING) != null;
    response.handler(chunk -> {
      if (settled) {
        return;
      }
      if (sink.append(chunk)) {
        if (sink.writeQueueFull()) {
          response.pause();
          sink.drainHandler(v -> response.resume());
        }
      } else if (keepPrefix != null) {
        keepPrefix.accept(chunk);
        complete.run();
        current.reset(); // the rest is not read
      } else {
        abort(new CrawlException(FailureKind.TOO_LARGE, url, "body over the cap " + cap));
      }
    });
    response.exceptionHandler(err -> fail(FetchErrors.of(url, err, !compressed && announced > sink.bytes())));
    response.endHandler(v -> {
      if (settled) {
        return;
      }
      if (!compressed && announced >= 0 && sink.bytes() < announced) {
        fail(new CrawlException(FailureKind.TRUNCATED, url, sink.bytes() + " of " + announced + " bytes"));
        return;
      }
      complete.run();
    });
  }

  private void redirect(String from, int redirects, HttpClientResponse response) {
    String location = response.getHeader(HttpHeaders.LOCATION);
    int status = response.statusCode();
    // Drain the redirect's body (usually tiny) so the connection can be reused, within the cap.
    long[] drained = {0};
    response.handler(chunk -> {
      drained[0] += chunk.length();
      if (drained[0] > fetcher.config.maxBodySize().bytes()) {
        abort(new CrawlException(FailureKind.TOO_LARGE, url, "redirect body over the cap"));
      }
    });
    response.exceptionHandler(err -> fail(FetchErrors.of(url, err, false)));
    response.endHandler(v -> {
      if (settled) {
        return;
      }
      String next = location == null || location.isBlank() ? null : UrlNormalizer.resolve(from, location).orElse(null);
      if (next == null) {
        fail(unusableLocation(from, location));
      } else if (next.length() > fetcher.config.maxUrlLength()) {
        fail(new CrawlException(FailureKind.BAD_REDIRECT, url,
            "to a URL of " + next.length() + " characters, over fetch.max_url_length"));
      } else if (!inScope.test(next)) {
        fail(new CrawlException(FailureKind.REDIRECT_OUT_OF_SCOPE, url, "to " + next));
      } else if (loginUrl != null && LoginCheck.withoutQuery(next).equals(loginUrl)) {
        long elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
        succeed(new FetchResult(url, next, status, null, new byte[0], elapsedMs, redirects, null, null));
      } else if (!visited.add(next)) {
        fail(new CrawlException(FailureKind.REDIRECT_LOOP, url, "back to " + next));
      } else if (redirects + 1 > fetcher.config.maxRedirects()) {
        fail(new CrawlException(FailureKind.TOO_MANY_REDIRECTS, url, "more than " + fetcher.config.maxRedirects()));
      } else {
        if (status != 307 && status != 308 && body != null) {
          // As browsers do: the redirect after a posted form is fetched with GET, without the form.
          method = HttpMethod.GET;
          body = null;
          contentType = null;
        }
        hop(next, redirects + 1, new HashSet<>());
      }
    });
  }

  /** Why a Location gives no URL to request; never repeats user info, which may hold a password. */
  private CrawlException unusableLocation(String from, String location) {
    UrlNormalizer.Refusal refusal = location == null || location.isBlank() ? UrlNormalizer.Refusal.MALFORMED
        : UrlNormalizer.refusal(from, location);
    return switch (refusal == null ? UrlNormalizer.Refusal.MALFORMED : refusal) {
      case OTHER_SCHEME -> new CrawlException(FailureKind.REDIRECT_OUT_OF_SCOPE, url, "to a scheme other than http(s)");
      case USER_INFO -> new CrawlException(FailureKind.USER_INFO, url, "to a URL with user info");
      case MALFORMED -> new CrawlException(FailureKind.BAD_REDIRECT, url,
          location == null ? "no Location" : "Location is not a usable URL");
    };
  }

  /** Arms the deadline with what is left of it. */
  private void armDeadline() {
    if (settled || timer >= 0) {
      return;
    }
    deadlineArmedNanos = System.nanoTime();
    long ms = Math.max(1, (deadlineLeftNanos + 999_999) / 1_000_000);
    timer = fetcher.vertx.setTimer(ms, id -> {
      timer = -1;
      fail(new CrawlException(FailureKind.TIMEOUT, url, "no complete response within " + timeout));
    });
  }

  /** Stops the deadline (while a download's file is written), keeping what is left of it. */
  private void pauseDeadline() {
    if (timer >= 0) {
      fetcher.vertx.cancelTimer(timer);
      timer = -1;
      deadlineLeftNanos -= System.nanoTime() - deadlineArmedNanos;
    }
  }

  private void abort(CrawlException err) {
    // Settle first: resetting makes the response report a reset, which must not win over err.
    fail(err);
    if (current != null) {
      current.reset();
    }
  }

  private void fail(CrawlException err) {
    if (settled) {
      return;
    }
    settled = true;
    pauseDeadline();
    releaseTurn();
    if (current != null && err.kind().equals(FailureKind.TIMEOUT)) {
      current.reset();
    }
    // Fail only once a partial download is deleted, so a failed URL never leaves a file behind.
    Future<Void> cleanedUp = download == null ? Future.succeededFuture() : download.abort();
    cleanedUp.onComplete(ar -> promise.fail(err));
  }

  private void succeed(FetchResult result) {
    if (!settled) {
      settled = true;
      pauseDeadline();
      releaseTurn();
      promise.complete(result);
    }
  }

  private static long contentLength(HttpClientResponse response) {
    String value = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
