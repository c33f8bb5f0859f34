package io.trawl.fetch;

import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.trawl.core.UrlNormalizer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP GET with every bound a crawler needs: a deadline over the whole request (connect,
 * headers and body: a slow-loris body times out), redirects followed by hand, and a cap on the
 * body counted after decompression, so neither a huge body nor a gzip bomb is ever held beyond the
 * cap. Every URL requested, the first and each redirect's, is normalized first ({@link
 * UrlNormalizer}: user info refused, at most {@code fetch.max_url_length}), and a redirect's is
 * checked against the scope in that form: the string checked is the string requested. With
 * {@code fetch.block_private_addresses}, each hop connects only to an address {@link
 * AddressGuard} resolved and allowed. Built on the Vert.x HTTP client that the Web Client wraps,
 * because only it can abort a response mid-body. A 2xx response whose content type is one of
 * {@code download.content_types} is streamed to a file instead ({@link FileDownload}), capped by
 * {@code download.max_size}. Runs on the caller's event loop.
 */
public final class HttpFetcher {
  private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final Vertx vertx;
  private final TrawlConfig.Fetch config;
  private final HttpClient client;
  private final Downloads downloads;
  private final boolean keepPrefix;
  private final AddressGuard guard;
  private final Function<String, Map<String, String>> extraHeaders;

  /** A fetcher that keeps every body in memory (robots.txt, sitemaps). */
  public HttpFetcher(Vertx vertx, TrawlConfig.Fetch config) {
    this(vertx, config, Downloads.NONE, false, AddressGuard::isPrivate);
  }

  HttpFetcher(Vertx vertx, TrawlConfig.Fetch config, Downloads downloads) {
    this(vertx, config, downloads, false, AddressGuard::isPrivate);
  }

  /**
   * The page fetcher of a crawl whose requests get the headers {@code extraHeaders} gives for each
   * hop's URL (the library's request hook), replacing trawl's own of the same name.
   */
  HttpFetcher(Vertx vertx, TrawlConfig.Fetch config, Downloads downloads,
      Function<String, Map<String, String>> extraHeaders) {
    this(vertx, config, downloads, false, AddressGuard::isPrivate, config.blockPrivateAddresses(), extraHeaders);
  }

  /**
   * A fetcher that refuses to connect to the addresses {@code blocked} picks, whatever {@code
   * fetch.block_private_addresses} says: tests, whose servers are all on loopback, block some.
   */
  static HttpFetcher blocking(Vertx vertx, TrawlConfig.Fetch config, Predicate<InetAddress> blocked) {
    return new HttpFetcher(vertx, config, Downloads.NONE, false, blocked, true, url -> Map.of());
  }

  /**
   * A fetcher that keeps the first {@code fetch.max_body_size} bytes of a longer body and ends
   * there, instead of failing it as too_large: RFC 9309 has a crawler obey at least the first
   * 500 KiB of a robots.txt, however long the file.
   */
  static HttpFetcher keepingPrefix(Vertx vertx, TrawlConfig.Fetch config) {
    return new HttpFetcher(vertx, config, Downloads.NONE, true, AddressGuard::isPrivate);
  }

  private HttpFetcher(Vertx vertx, TrawlConfig.Fetch config, Downloads downloads, boolean keepPrefix,
      Predicate<InetAddress> blocked) {
    this(vertx, config, downloads, keepPrefix, blocked, config.blockPrivateAddresses(), url -> Map.of());
  }

  private HttpFetcher(Vertx vertx, TrawlConfig.Fetch config, Downloads downloads, boolean keepPrefix,
      Predicate<InetAddress> blocked, boolean guarded, Function<String, Map<String, String>> extraHeaders) {
    this.vertx = vertx;
    this.extraHeaders = extraHeaders;
    this.config = config;
    this.downloads = downloads;
    this.keepPrefix = keepPrefix;
    this.guard = guarded ? new AddressGuard(vertx, blocked) : null;
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setDecompressionSupported(true)
        .setConnectTimeout((int) config.connectTimeout().toMillis())
        .setMaxRedirects(0);
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(Math.max(2, config.perHostConcurrency()));
    this.client = vertx.httpClientBuilder()
        .with(options)
        .with(pool)
        .withConnectHandler(HttpFetcher::watch)
        .build();
  }

  /**
   * A peer's reset reaches the request or response it cut, which records it as its kind; without a
   * handler of its own the connection would also log it at ERROR, once per hostile server.
   */
  private static void watch(HttpConnection connection) {
    connection.exceptionHandler(err -> log.debug("connection failed remote={} error={}", connection.remoteAddress(),
        err.toString()));
  }

  /**
   * Fetches {@code url} (an absolute http(s) URL, requested in its normalized form); fails with a
   * {@link CrawlException} only when no response could be had.
   *
   * @param inScope whether a redirect may be followed to a URL, given in its normalized form
   */
  public Future<FetchResult> fetch(String url, Predicate<String> inScope) {
    return fetch(url, inScope, MultiMap.caseInsensitiveMultiMap());
  }

  /**
   * Fetches {@code url} as {@link #fetch(String, Predicate)} does, sending {@code headers} as well
   * on every hop (a recrawl's {@code If-None-Match} / {@code If-Modified-Since}), before the request
   * hook's, which may replace them. A {@code 304 Not Modified} comes back as a result like any
   * status, without a body.
   */
  public Future<FetchResult> fetch(String url, Predicate<String> inScope, MultiMap headers) {
    return new Exchange(url, inScope, headers).start();
  }

  public Future<Void> close() {
    return client.close();
  }

  /** The state of one fetch across its redirects. Event loop. */
  private final class Exchange {
    private final String url;
    private final Predicate<String> inScope;
    private final MultiMap headers;
    private final Promise<FetchResult> promise = Promise.promise();
    private final Set<String> visited = new HashSet<>();
    private final long startedNanos = System.nanoTime();
    private HttpClientRequest current;
    private FileDownload download;
    private boolean settled;
    private long timer;

    Exchange(String url, Predicate<String> inScope, MultiMap headers) {
      this.url = url;
      this.inScope = inScope;
      this.headers = headers;
    }

    Future<FetchResult> start() {
      timer = vertx.setTimer(config.requestTimeout().toMillis(), id -> fail(
          new CrawlException(FailureKind.TIMEOUT, url, "no complete response within " + config.requestTimeout())));
      String first = UrlNormalizer.normalize(url).orElse(null);
      if (first == null) {
        boolean userInfo = UrlNormalizer.refusal(null, url) == UrlNormalizer.Refusal.USER_INFO;
        fail(new CrawlException(userInfo ? FailureKind.USER_INFO : FailureKind.BAD_URL, url,
            userInfo ? "user info in the URL" : "not an http(s) URL trawl can request"));
      } else if (first.length() > config.maxUrlLength()) {
        fail(new CrawlException(FailureKind.BAD_URL, url, first.length() + " characters, over fetch.max_url_length"));
      } else {
        visited.add(first);
        hop(first, 0);
      }
      return promise.future();
    }

    /**
     * Requests {@code target}, a normalized URL: its form has no space or line break that Netty
     * would refuse only inside send(), once the request holds a pooled connection it never gives
     * back, and no user info to hide its host behind.
     */
    private void hop(String target, int redirects) {
      RequestOptions options = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setAbsoluteURI(target)
          .setFollowRedirects(false)
          .putHeader(HttpHeaders.USER_AGENT, config.userAgent())
          .putHeader(HttpHeaders.ACCEPT, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
      headers.forEach(options::putHeader);
      try {
        extraHeaders.apply(target).forEach(options::putHeader);
      } catch (RuntimeException e) {
        fail(new CrawlException(FailureKind.BAD_URL, url, "the request hook failed: " + e, e));
        return;
      }
      if (guard == null) {
        request(options, target, redirects);
        return;
      }
      // The host and port the client would connect to, read by its own parser (setAbsoluteURI).
      guard.server(url, options.getHost(), options.getPort())
          .onSuccess(server -> request(options.setServer(server), target, redirects))
          .onFailure(err -> fail(unusable(target, redirects, FetchErrors.connecting(url, err))));
    }

    private void request(RequestOptions options, String target, int redirects) {
      if (settled) {
        return; // the deadline passed while resolving
      }
      Future<HttpClientRequest> request;
      try {
        request = client.request(options);
      } catch (RuntimeException e) {
        fail(unusable(target, redirects, new CrawlException(FailureKind.BAD_URL, url, e.getMessage(), e)));
        return;
      }
      request
          .onFailure(err -> fail(unusable(target, redirects, FetchErrors.connecting(url, err))))
          .onSuccess(req -> send(req, target, redirects));
    }

    private void send(HttpClientRequest req, String target, int redirects) {
      current = req;
      // Ours before anything can reset the request, as for the response below.
      req.exceptionHandler(err -> fail(FetchErrors.of(url, err, false)));
      if (settled) {
        // The deadline passed while connecting.
        req.reset();
        return;
      }
      Future<HttpClientResponse> response;
      try {
        response = req.send();
      } catch (RuntimeException e) {
        // hop() checked the target, so this is a refusal it did not foresee.
        fail(unusable(target, redirects, new CrawlException(FailureKind.BAD_URL, url, e.getMessage(), e)));
        return;
      }
      response
          .onSuccess(r -> onResponse(target, redirects, r))
          .onFailure(err -> fail(FetchErrors.of(url, err, false)));
    }

    /** A target the client refuses (a port out of range...) is the redirect's fault, not the URL's. */
    private CrawlException unusable(String target, int redirects, CrawlException err) {
      if (redirects == 0 || !err.kind().equals(FailureKind.BAD_URL)) {
        return err;
      }
      return new CrawlException(FailureKind.BAD_REDIRECT, url, "to " + target, err);
    }

    private void onResponse(String target, int redirects, HttpClientResponse response) {
      // Ours before anything can abort the response: one without a handler has Vert.x log the reset
      // that aborting causes as an unhandled ERROR. The paths below replace it with their own.
      response.exceptionHandler(err -> fail(FetchErrors.of(url, err, false)));
      if (settled) {
        return;
      }
      int status = response.statusCode();
      if (REDIRECTS.contains(status)) {
        redirect(target, redirects, response);
        return;
      }
      if (status >= 200 && status < 300 && downloads.matches(response.getHeader(HttpHeaders.CONTENT_TYPE))) {
        download(target, redirects, response);
        return;
      }
      MemoryBody body = new MemoryBody(config.maxBodySize().bytes(), contentLength(response));
      readBody(response, body, keepPrefix ? body::appendPrefix : null,
          () -> succeed(page(target, redirects, response, body)));
    }

    private FetchResult page(String target, int redirects, HttpClientResponse response, MemoryBody body) {
      long elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
      return new FetchResult(url, target, response.statusCode(), response.getHeader(HttpHeaders.CONTENT_TYPE),
          body.bytesRead(), elapsedMs, redirects, response.getHeader("Retry-After"), null,
          response.getHeader(HttpHeaders.ETAG), response.getHeader(HttpHeaders.LAST_MODIFIED));
    }

    /** Streams the body to a file, pausing the response while the file's write queue is full. */
    private void download(String target, int redirects, HttpClientResponse response) {
      String contentType = response.getHeader(HttpHeaders.CONTENT_TYPE);
      response.pause();
      FileDownload file = new FileDownload(vertx, downloads);
      download = file;
      readBody(response, file, null, () -> {
        // The whole body is here: what is left is local file work, which the request timer must not cut.
        vertx.cancelTimer(timer);
        long elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
        file.finish(contentType)
            .onSuccess(saved -> succeed(new FetchResult(url, target, response.statusCode(), contentType, new byte[0],
                elapsedMs, redirects, null, saved, response.getHeader(HttpHeaders.ETAG),
                response.getHeader(HttpHeaders.LAST_MODIFIED))))
            .onFailure(err -> fail(new CrawlException(FailureKind.FILE, url, "saving the download: " + err.getMessage(), err)));
      });
      if (settled) {
        return;
      }
      file.errorHandler(err -> abort(new CrawlException(FailureKind.FILE, url, "writing the download: " + err.getMessage(), err)));
      file.open()
          .onSuccess(v -> response.resume())
          .onFailure(err -> abort(new CrawlException(FailureKind.FILE, url, "opening a file in " + downloads.dir() + ": "
              + err.getMessage(), err)));
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
      // Drain the redirect's body (usually tiny) so the connection can be reused, within the cap.
      long[] drained = {0};
      response.handler(chunk -> {
        drained[0] += chunk.length();
        if (drained[0] > config.maxBodySize().bytes()) {
          abort(new CrawlException(FailureKind.TOO_LARGE, url, "redirect body over the cap"));
        }
      });
      response.exceptionHandler(err -> fail(FetchErrors.of(url, err, false)));
      response.endHandler(v -> {
        String next = location == null || location.isBlank() ? null : UrlNormalizer.resolve(from, location).orElse(null);
        if (next == null) {
          fail(unusableLocation(from, location));
        } else if (next.length() > config.maxUrlLength()) {
          fail(new CrawlException(FailureKind.BAD_REDIRECT, url,
              "to a URL of " + next.length() + " characters, over fetch.max_url_length"));
        } else if (!inScope.test(next)) {
          fail(new CrawlException(FailureKind.REDIRECT_OUT_OF_SCOPE, url, "to " + next));
        } else if (!visited.add(next)) {
          fail(new CrawlException(FailureKind.REDIRECT_LOOP, url, "back to " + next));
        } else if (redirects + 1 > config.maxRedirects()) {
          fail(new CrawlException(FailureKind.TOO_MANY_REDIRECTS, url, "more than " + config.maxRedirects()));
        } else {
          hop(next, redirects + 1);
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
      vertx.cancelTimer(timer);
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
        vertx.cancelTimer(timer);
        promise.complete(result);
      }
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
