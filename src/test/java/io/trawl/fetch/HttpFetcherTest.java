package io.trawl.fetch;

import static io.trawl.fetch.FetchChecks.config;
import static io.trawl.fetch.FetchChecks.failsAs;
import static io.trawl.fetch.FetchChecks.succeeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.core.FailureKind;
import io.trawl.testing.Await;
import io.trawl.testing.HostileBodies;
import io.trawl.testing.LogCapture;
import io.trawl.testing.NxDomainDns;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HttpFetcher} against hostile servers: every case ends as a result or a recorded kind,
 * within fetch.request_timeout, never a hang or a heap full of body. Redirects are
 * {@link HttpFetcherRedirectTest}'s.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class HttpFetcherTest {
  private static final long TIMEOUT_MS = 500;
  // The deadline is checked from below exactly (a timer never fires early) and from above with room
  // for a busy 2-core VM; what each case guards against (a stalled or trickled body read to the end,
  // 10 s or never) is far beyond either.
  private static final int CAP = 1 << 20;

  @StartStop public final MockWebServer server = new MockWebServer();
  /** A response aborted or reset by our code must reach our handlers, not Vert.x's "unhandled" log. */
  private final LogCapture vertxHttpLog = LogCapture.of("io.vertx.core");

  @AfterEach
  void vertxLoggedNoUnhandledHttpError() {
    vertxHttpLog.close();
    assertThat(vertxHttpLog.lines()).noneMatch(line -> line.startsWith("ERROR"));
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  private Future<FetchResult> fetch(Vertx vertx, String path) {
    return new HttpFetcher(vertx, config()).fetch(url(path), u -> true);
  }

  /** With a short fetch.request_timeout; the others have a long one, as the first request in a JVM is slow. */
  private Future<FetchResult> fetchWithTimeout(Vertx vertx, String path) {
    return new HttpFetcher(vertx, config("fetch.request_timeout", TIMEOUT_MS + "ms")).fetch(url(path), u -> true);
  }

  private static long msSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  // --- no answer, slow answers: the whole-request deadline ---

  @Test
  void timesOutWhenTheServerNeverSendsHeaders(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    long started = System.nanoTime();

    failsAs(vertx, fetchWithTimeout(vertx, "/stall"), FailureKind.TIMEOUT, ctx,
        () -> assertThat(msSince(started)).isBetween(TIMEOUT_MS - 50, TIMEOUT_MS + 4_000));
  }

  @Test
  void timesOutWhenTheBodyStallsAfterTheHeaders(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html")
        .body("<title>late</title>").bodyDelay(10, TimeUnit.SECONDS).build());
    long started = System.nanoTime();

    failsAs(vertx, fetchWithTimeout(vertx, "/slow-loris"), FailureKind.TIMEOUT, ctx,
        () -> assertThat(msSince(started)).isBetween(TIMEOUT_MS - 50, TIMEOUT_MS + 4_000));
  }

  @Test
  void timesOutOnATrickledBodyThoughBytesKeepComing(Vertx vertx, VertxTestContext ctx) {
    // 100 bytes every 50 ms: never idle for long, but 20 KB would take 10 s.
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html")
        .body("x".repeat(20_000)).throttleBody(100, 50, TimeUnit.MILLISECONDS).build());
    long started = System.nanoTime();

    failsAs(vertx, fetchWithTimeout(vertx, "/trickle"), FailureKind.TIMEOUT, ctx,
        () -> assertThat(msSince(started)).isBetween(TIMEOUT_MS - 50, TIMEOUT_MS + 4_000));
  }

  // --- connections cut: reset without a length to compare, truncated when one was announced ---

  @Test
  void aConnectionClosedMidBodyAfterAContentLengthIsTruncated(Vertx vertx, VertxTestContext ctx) {
    // The server closes the socket halfway through the 10,000 announced bytes.
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html")
        .body("y".repeat(10_000)).onResponseBody(new SocketEffect.CloseSocket()).build());

    failsAs(vertx, fetch(vertx, "/cut"), FailureKind.TRUNCATED, ctx);
  }

  @Test
  void aChunkedBodyCutByTheServerIsReset(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html")
        .chunkedBody("z".repeat(10_000), 1_000).onResponseBody(new SocketEffect.CloseSocket()).build());

    failsAs(vertx, fetch(vertx, "/cut-chunked"), FailureKind.RESET, ctx);
  }

  @Test
  void aConnectionClosedBeforeAnyResponseIsReset(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());

    failsAs(vertx, fetch(vertx, "/hang-up"), FailureKind.RESET, ctx);
  }

  @Test
  void aContentLengthLongerThanTheBodyIsTruncated(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html")
        .body("<title>short</title>").setHeader("Content-Length", 1_000)
        .onResponseEnd(new SocketEffect.CloseSocket()).build());

    failsAs(vertx, fetch(vertx, "/lies"), FailureKind.TRUNCATED, ctx);
  }

  // --- big bodies and bombs: cut at fetch.max_body_size, counted after decompression ---

  @Test
  void keepsABodyOfExactlyTheCapAndRefusesOneByteMore(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(HostileBodies.chunked(CAP).response("text/html"));
    server.enqueue(HostileBodies.chunked(CAP + 1).response("text/html"));
    HttpFetcher fetcher = new HttpFetcher(vertx, config());

    fetcher.fetch(url("/at-cap"), u -> true)
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> assertThat(result.body()).hasSize(CAP))))
        .compose(ok -> fetcher.fetch(url("/over-cap"), u -> true))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(FailureKind.of(err)).isEqualTo(FailureKind.TOO_LARGE);
          ctx.completeNow();
        })));
  }

  @Test
  void refusesAnAnnounced200MbBodyWithoutReadingIt(Vertx vertx, VertxTestContext ctx) {
    HostileBodies.Generated body = HostileBodies.generated(200L << 20);
    server.enqueue(body.response("text/html"));

    failsAs(vertx, fetch(vertx, "/huge"), FailureKind.TOO_LARGE, ctx, () -> {
      await().atMost(Duration.ofSeconds(5)).until(body::over);
      assertThat(body.written()).isLessThan(32L << 20);
    });
  }

  @Test
  void cutsAStreamed200MbBodyAtTheCap(Vertx vertx, VertxTestContext ctx) {
    HostileBodies.Generated body = HostileBodies.chunked(200L << 20);
    server.enqueue(body.response("text/html"));

    failsAs(vertx, fetch(vertx, "/huge-chunked"), FailureKind.TOO_LARGE, ctx, () -> {
      await().atMost(Duration.ofSeconds(5)).until(body::over);
      assertThat(body.written()).isLessThan(32L << 20);
    });
  }

  @Test
  void keepsTheFirstCapBytesOfAStreamed200MbBodyWhenAskedToAndStopsReading(Vertx vertx, VertxTestContext ctx) {
    HostileBodies.Generated body = HostileBodies.chunked(200L << 20);
    server.enqueue(body.response("text/plain"));

    HttpFetcher.keepingPrefix(vertx, config()).fetch(url("/long-robots"), u -> true)
        .onComplete(ctx.succeeding(result -> vertx.executeBlocking(() -> {
          assertThat(result.body()).hasSize(CAP);
          assertThat(new String(result.body(), 0, 20, StandardCharsets.US_ASCII)).isEqualTo("<p>trawl filler</p>\n");
          await().atMost(Duration.ofSeconds(5)).until(body::over);
          assertThat(body.written()).isLessThan(32L << 20);
          return null;
        }).onComplete(ctx.succeedingThenComplete())));
  }

  @Test
  void theRobotsFetcherClosesItsIdleConnectionSoonInsteadOfKeepingItAMinute(Vertx vertx, VertxTestContext ctx) {
    java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
    vertx.createHttpServer()
        .connectionHandler(connection -> {
          opened.incrementAndGet();
          connection.closeHandler(v -> closed.incrementAndGet());
        })
        .requestHandler(request -> request.response().putHeader("content-type", "text/plain").end("User-agent: *\nDisallow:\n"))
        .listen(0, "127.0.0.1")
        .compose(server -> HttpFetcher.keepingPrefix(vertx, config())
            .fetch("http://127.0.0.1:" + server.actualPort() + "/robots.txt", u -> true))
        .onComplete(ctx.succeeding(result -> vertx.executeBlocking(() -> {
          assertThat(result.status()).isEqualTo(200);
          assertThat(opened.get()).isEqualTo(1);
          // Vert.x's default keeps it a minute; the robots fetcher's idle timeout is seconds.
          await().atMost(Duration.ofSeconds(4L * HttpFetcher.ROBOTS_KEEP_ALIVE_SECONDS)).until(() -> closed.get() == 1);
          return null;
        }).onComplete(ctx.succeedingThenComplete())));
  }

  @Test
  void cutsAGzipBombAtTheCapOnItsInflatedSize(Vertx vertx, VertxTestContext ctx) {
    // 1 GB of zeros in about 1 MB: under a 4 MB cap as sent, 256 times over it inflated.
    HostileBodies.GzipBomb bomb = HostileBodies.gzipBomb(1024);
    assertThat(bomb.getContentLength()).isLessThan(2L << 20);
    server.enqueue(bomb.response("text/html"));
    HttpFetcher fetcher = new HttpFetcher(vertx, config("fetch.max_body_size", "4MB"));

    failsAs(vertx, fetcher.fetch(url("/bomb"), u -> true), FailureKind.TOO_LARGE, ctx);
  }

  @Test
  void inflatesAGzipBodyUnderTheCap(Vertx vertx, VertxTestContext ctx) throws Exception {
    byte[] html = "<title>zipped</title>".repeat(1_000).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(html);
    }
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html")
        .addHeader("Content-Encoding", "gzip").body(new okio.Buffer().write(gz.toByteArray())).build());

    succeeds(fetch(vertx, "/zipped"), ctx, result -> assertThat(result.body()).isEqualTo(html));
  }

  @Test
  void inflatesASmallBombWhoseInflatedSizeFitsTheCap(Vertx vertx, VertxTestContext ctx) {
    HostileBodies.GzipBomb bomb = HostileBodies.gzipBomb(4);
    server.enqueue(bomb.response("application/octet-stream"));
    HttpFetcher fetcher = new HttpFetcher(vertx, config("fetch.max_body_size", "4MB"));

    succeeds(fetcher.fetch(url("/small-bomb"), u -> true), ctx, result -> {
      assertThat(result.body()).hasSize(4 << 20);
      // Compared as arrays: AssertJ's containsOnly boxes 4 million bytes, 300 ms on the event loop.
      assertThat(Arrays.equals(result.body(), new byte[4 << 20])).as("only zeros").isTrue();
    });
  }

  @Test
  void aBodyThatIsNotTheGzipItClaimsIsProtocol(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html")
        .addHeader("Content-Encoding", "gzip").body("<title>not gzip at all</title>").build());

    failsAs(vertx, fetch(vertx, "/fake-gzip"), FailureKind.PROTOCOL, ctx);
  }

  @Test
  void aGzipBodyCutMidwayIsResetAsItsInflatedLengthCannotBeComparedToTheLengthSent(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(new byte[100_000]);
    }
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html").addHeader("Content-Encoding", "gzip")
        .body(new okio.Buffer().write(gz.toByteArray())).onResponseBody(new SocketEffect.CloseSocket()).build());

    failsAs(vertx, fetch(vertx, "/cut-gzip"), FailureKind.RESET, ctx);
  }

  // --- responses that are not HTTP: a raw TCP server says what MockWebServer will not ---

  private static String rawServer(Vertx vertx, String response) {
    NetServer server = Await.result(vertx.createNetServer().connectHandler(socket -> socket.handler(request ->
        socket.write(Buffer.buffer(response.getBytes(StandardCharsets.ISO_8859_1))))).listen(0, "127.0.0.1"));
    return "http://127.0.0.1:" + server.actualPort() + "/";
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "HELLO THERE\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nokabc",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nq\r\n",
      "HTTP/1.1 200 OK\r\nX-Huge: <9000 bytes>\r\nContent-Length: 2\r\n\r\nok"})
  void aResponseThatCannotBeDecodedIsProtocol(String response, Vertx vertx, VertxTestContext ctx) {
    String url = rawServer(vertx, response.replace("<9000 bytes>", "h".repeat(9_000)));

    failsAs(vertx, new HttpFetcher(vertx, config()).fetch(url, u -> true), FailureKind.PROTOCOL, ctx);
  }

  @Test
  void fetchesAPathWithCharactersJavaNetUriRefusesButHttpAllows(Vertx vertx, VertxTestContext ctx) {
    // The normalizer keeps reserved characters such as brackets as written; Netty sends them.
    server.enqueue(new MockResponse.Builder().body("<title>item</title>").build());

    succeeds(fetch(vertx, "/items[0]/a\tb?f[]=1"), ctx, result -> assertThat(result.status()).isEqualTo(200));
  }

  @Test
  void requestsAUrlInItsNormalizedForm(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().body("<title>ok</title>").build());

    fetch(vertx, "/a b/./c?d e")
        .compose(result -> vertx.executeBlocking(() -> {
          assertThat(result.finalUrl()).isEqualTo(url("/a%20b/c?d%20e"));
          assertThat(server.takeRequest().getTarget()).isEqualTo("/a%20b/c?d%20e");
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aUrlItWillNotRequestFailsWithoutAConnectionAndLeavesThePoolUsable(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().body("<title>ok</title>").build());
    // fetch.per_host_concurrency 1: a refusal that kept a pooled connection would leave the last
    // request waiting until it timed out.
    HttpFetcher fetcher = new HttpFetcher(vertx, config("fetch.per_host_concurrency", "1", "fetch.max_url_length", "100"));

    fetcher.fetch(url("/a").replace("http://", "http://user:pw@"), u -> true)
        .onComplete(ctx.failing(err -> ctx.verify(() -> assertThat(FailureKind.of(err)).isEqualTo(FailureKind.USER_INFO))))
        .recover(err -> fetcher.fetch(url("/" + "x".repeat(100)), u -> true))
        .onComplete(ctx.failing(err -> ctx.verify(() -> assertThat(FailureKind.of(err)).isEqualTo(FailureKind.BAD_URL))))
        .recover(err -> fetcher.fetch("http://127.0.0.1:99999/", u -> true))
        .onComplete(ctx.failing(err -> ctx.verify(() -> assertThat(FailureKind.of(err)).isEqualTo(FailureKind.BAD_URL))))
        .recover(err -> fetcher.fetch(url("/ok"), u -> true))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.status()).isEqualTo(200);
          assertThat(server.getRequestCount()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  // --- what the body says about itself is the parser's business ---

  @Test
  void passesBytesThatLieAboutTheirCharsetThroughUntouched(Vertx vertx, VertxTestContext ctx) {
    byte[] invalid = {'<', 'p', '>', (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, 0, (byte) 0x80, '<', '/', 'p', '>'};
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html; charset=utf-8")
        .body(new okio.Buffer().write(invalid)).build());
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html; charset=no-such-charset-x")
        .body(new okio.Buffer().write(invalid)).build());
    HttpFetcher fetcher = new HttpFetcher(vertx, config());

    fetcher.fetch(url("/utf8-lie"), u -> true)
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> assertThat(result.body()).isEqualTo(invalid))))
        .compose(ok -> fetcher.fetch(url("/unknown-charset"), u -> true))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.body()).isEqualTo(invalid);
          assertThat(result.contentType()).isEqualTo("text/html; charset=no-such-charset-x");
          ctx.completeNow();
        })));
  }

  // --- statuses are results ---

  @Test
  void aNotFoundIsAResultWithItsStatusAndBody(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().code(404).addHeader("Content-Type", "text/html")
        .body("<title>missing</title>").build());

    succeeds(fetch(vertx, "/missing"), ctx, result -> {
      assertThat(result.status()).isEqualTo(404);
      assertThat(new String(result.body(), StandardCharsets.UTF_8)).isEqualTo("<title>missing</title>");
      assertThat(result.finalUrl()).isEqualTo(url("/missing"));
    });
  }

  @Test
  void aServiceUnavailableIsAResultCarryingItsRetryAfter(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "120").build());

    succeeds(fetch(vertx, "/busy"), ctx, result -> {
      assertThat(result.status()).isEqualTo(503);
      assertThat(result.retryAfter()).isEqualTo("120");
      assertThat(server.getRequestCount()).isEqualTo(1);
    });
  }

  // --- no connection at all ---

  @Test
  void anUnresolvableHostFailsFastAsDns(Vertx vertx, VertxTestContext ctx) {
    // .invalid never resolves (RFC 2606); a local server answers NXDOMAIN, so no real resolver is asked.
    NxDomainDns dns = NxDomainDns.start(vertx);
    Vertx resolving = Vertx.vertx(new VertxOptions().setAddressResolverOptions(dns.resolverOptions()));
    HttpFetcher fetcher = new HttpFetcher(resolving, config());
    long started = System.nanoTime();

    fetcher.fetch("http://no-such-host.invalid/page", u -> true)
        .eventually(() -> resolving.close())
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(FailureKind.of(err)).isEqualTo(FailureKind.DNS);
          assertThat(dns.queries()).isPositive();
          assertThat(msSince(started)).isLessThan(NxDomainDns.QUERY_TIMEOUT_MS / 2);
          ctx.completeNow();
        })));
  }

  @Test
  void aRefusedConnectionIsConnect(Vertx vertx, VertxTestContext ctx) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }

    failsAs(vertx, new HttpFetcher(vertx, config()).fetch("http://127.0.0.1:" + port + "/", u -> true),
        FailureKind.CONNECT, ctx);
  }

  // --- a TCP reset (RST, not FIN), which MockWebServer cannot send: a Vert.x server with SO_LINGER 0 ---

  private static HttpServer resettingServer(Vertx vertx, boolean announceLength) {
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSoLinger(0);
    return Await.result(vertx.createHttpServer(options).requestHandler(req -> {
      if (announceLength) {
        req.response().putHeader("Content-Length", "100000");
      } else {
        req.response().setChunked(true);
      }
      req.response().putHeader("Content-Type", "text/html")
          .write(Buffer.buffer("r".repeat(5_000)))
          .onComplete(v -> vertx.setTimer(50, id -> req.connection().close()));
    }).listen());
  }

  @Test
  void aTcpResetMidBodyIsTruncatedAfterAContentLengthAndResetWithout(Vertx vertx, VertxTestContext ctx) {
    HttpFetcher fetcher = new HttpFetcher(vertx, config());
    String announced = "http://127.0.0.1:" + resettingServer(vertx, true).actualPort() + "/rst";
    String chunked = "http://127.0.0.1:" + resettingServer(vertx, false).actualPort() + "/rst";

    fetcher.fetch(announced, u -> true)
        .onComplete(ctx.failing(err -> ctx.verify(() -> assertThat(FailureKind.of(err)).isEqualTo(FailureKind.TRUNCATED))))
        .recover(err -> fetcher.fetch(chunked, u -> true))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(FailureKind.of(err)).isEqualTo(FailureKind.RESET);
          ctx.completeNow();
        })));
  }
}
