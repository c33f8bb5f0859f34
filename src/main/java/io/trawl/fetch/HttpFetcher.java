package io.trawl.fetch;

import io.trawl.config.ConfigLoader;
import io.trawl.config.HostSettings;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.UrlNormalizer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP requests with every bound a crawler needs: a deadline over the whole request (connect,
 * headers and body: a slow-loris body times out), redirects followed by hand, and a cap on the
 * body counted after decompression, so neither a huge body nor a gzip bomb is ever held beyond the
 * cap. Every URL requested, the first and each redirect's, is normalized first ({@link
 * UrlNormalizer}: user info refused, at most {@code fetch.max_url_length}), and a redirect's is
 * checked against the scope in that form: the string checked is the string requested. Each hop
 * goes out with the settings of its own host ({@code hosts:}: headers, credentials, user agent,
 * proxy, connect timeout; {@link RequestHeaders}) and its cookies from the crawl's jar; the
 * cookies it sets are kept, redirects included. Through a proxy ({@link ProxyPool}) a hop that finds the proxy failing is
 * sent again through another. With {@code fetch.block_private_addresses}, each hop connects only
 * to an address {@link AddressGuard} resolved and allowed. Built on the Vert.x HTTP client that
 * the Web Client wraps, because only it can abort a response mid-body. A 2xx response whose
 * content type is one of {@code download.content_types} is streamed to a file instead ({@link
 * FileDownload}), capped by {@code download.max_size}. Runs on the caller's event loop; the work
 * of one request is an {@link Exchange}.
 */
public final class HttpFetcher {
  private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);
  /** How long the robots.txt fetcher keeps an idle connection open, in seconds: long enough for a redirect. */
  static final int ROBOTS_KEEP_ALIVE_SECONDS = 2;

  final Vertx vertx;
  final TrawlConfig.Fetch config;
  final FetchContext context;
  final HttpClient client;
  final Downloads downloads;
  final boolean keepPrefix;
  final AddressGuard guard;
  final Function<String, Map<String, String>> extraHeaders;

  /**
   * A fetcher on its own, outside a crawl (tests, tools, {@code trawl try}): the settings of {@code
   * config} for every host, its own cookie jar (when {@code fetch.cookies}) and proxies. Nothing
   * spaces its requests: the caller does. Its jar reads the Public Suffix List on the event loop:
   * load it on a worker first ({@code PublicSuffixes.load}), as {@link CookieVerticle} does for a
   * crawl.
   */
  public HttpFetcher(Vertx vertx, TrawlConfig.Fetch config) {
    this(vertx, config, standalone(config));
  }

  /** A fetcher of a crawl, sharing {@code context} (host settings, cookies, proxies) with its other fetchers. */
  public HttpFetcher(Vertx vertx, TrawlConfig.Fetch config, FetchContext context) {
    this(vertx, config, context, Downloads.NONE, url -> Map.of());
  }

  /**
   * The page fetcher of a crawl whose requests also get the headers {@code extraHeaders} gives for
   * each hop's URL (the library's request hook), replacing trawl's own of the same name.
   */
  HttpFetcher(Vertx vertx, TrawlConfig.Fetch config, FetchContext context, Downloads downloads,
      Function<String, Map<String, String>> extraHeaders) {
    this(vertx, config, context, downloads, false, AddressGuard::isPrivate, config.blockPrivateAddresses(), null,
        extraHeaders);
  }

  /**
   * A fetcher that refuses to connect to the addresses {@code blocked} picks, whatever {@code
   * fetch.block_private_addresses} says: tests, whose servers are all on loopback, block some.
   */
  static HttpFetcher blocking(Vertx vertx, TrawlConfig.Fetch config, Predicate<InetAddress> blocked) {
    return blocking(vertx, config, standalone(config), blocked);
  }

  static HttpFetcher blocking(Vertx vertx, TrawlConfig.Fetch config, FetchContext context, Predicate<InetAddress> blocked) {
    return new HttpFetcher(vertx, config, context, Downloads.NONE, false, blocked, true, null, url -> Map.of());
  }

  /**
   * A fetcher that trusts the certificates of {@code trust} and checks no host name: tests, whose
   * https servers on 127.0.0.1 sign their own.
   */
  static HttpFetcher trusting(Vertx vertx, TrawlConfig.Fetch config, FetchContext context, TrustOptions trust) {
    return new HttpFetcher(vertx, config, context, Downloads.NONE, false, AddressGuard::isPrivate,
        config.blockPrivateAddresses(), trust, url -> Map.of());
  }

  /**
   * A fetcher that keeps the first {@code fetch.max_body_size} bytes of a longer body and ends
   * there, instead of failing it as too_large: RFC 9309 has a crawler obey at least the first
   * 500 KiB of a robots.txt, however long the file.
   */
  static HttpFetcher keepingPrefix(Vertx vertx, TrawlConfig.Fetch config) {
    return keepingPrefix(vertx, config, standalone(config));
  }

  static HttpFetcher keepingPrefix(Vertx vertx, TrawlConfig.Fetch config, FetchContext context) {
    return new HttpFetcher(vertx, config, context, Downloads.NONE, true, AddressGuard::isPrivate,
        config.blockPrivateAddresses(), null, url -> Map.of());
  }

  private HttpFetcher(Vertx vertx, TrawlConfig.Fetch config, FetchContext context, Downloads downloads,
      boolean keepPrefix, Predicate<InetAddress> blocked, boolean guarded, TrustOptions trust,
      Function<String, Map<String, String>> extraHeaders) {
    this.vertx = vertx;
    this.extraHeaders = extraHeaders;
    this.config = config;
    this.context = context;
    this.downloads = downloads;
    this.keepPrefix = keepPrefix;
    this.guard = guarded ? new AddressGuard(vertx, blocked) : null;
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setDecompressionSupported(true)
        .setConnectTimeout((int) config.connectTimeout().toMillis())
        .setMaxRedirects(0);
    if (keepPrefix) {
      // The robots.txt fetcher: one request a host a crawl, and its redirects within milliseconds.
      // Kept alive for the usual minute, its connection (and its pool, with a 4 KB queue each)
      // would sit idle on every host a crawl reaches; a crawl of 1,000 hosts held 1,000 of them.
      options.setKeepAliveTimeout(ROBOTS_KEEP_ALIVE_SECONDS);
    }
    if (trust != null) {
      // A test's self-signed certificate, on a loopback address no certificate names.
      options.setTrustOptions(trust).setVerifyHost(false);
    }
    int perHost = context.hosts().entries().stream().mapToInt(HostSettings::concurrency)
        .reduce(config.perHostConcurrency(), Math::max);
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(Math.max(2, perHost));
    this.client = vertx.httpClientBuilder()
        .with(options)
        .with(pool)
        .withConnectHandler(HttpFetcher::watch)
        .build();
  }

  /** The context of a fetcher outside a crawl: {@code fetch}'s settings for every host. */
  private static FetchContext standalone(TrawlConfig.Fetch fetch) {
    return FetchContext.of(ConfigLoader.defaults().withFetch(fetch));
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
   * GETs {@code url} (an absolute http(s) URL, requested in its normalized form); fails with a
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
    return new Exchange(this, url, inScope, headers, false).start();
  }

  /**
   * A page of the crawl: fetched as {@link #fetch(String, Predicate, MultiMap)} does, except that a
   * redirect to the login URL of the host's {@code login} ends the request there (its session is
   * lost: {@link LoginCheck#ledToLogin}).
   */
  Future<FetchResult> fetchPage(String url, Predicate<String> inScope, MultiMap headers) {
    return new Exchange(this, url, inScope, headers, true).start();
  }

  /**
   * Sends {@code body} of {@code type} to {@code url} with {@code method} (a login's form), then
   * follows its redirects as a browser does (with GET after a 301, 302 or 303), anywhere.
   */
  Future<FetchResult> submit(String url, HttpMethod method, Buffer body, String type) {
    Exchange exchange = new Exchange(this, url, target -> true, MultiMap.caseInsensitiveMultiMap(), false);
    return (body == null ? exchange : exchange.withBody(method, body, type)).start();
  }


  public Future<Void> close() {
    return client.close();
  }
}
