package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.Addresses;
import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FetchRequest;
import io.trawl.bus.FetchedPage;
import io.trawl.bus.PageRecord;
import io.trawl.bus.PageStored;
import io.trawl.bus.ParseResult;
import io.trawl.bus.RecordCodec;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fetch stage as the frontier sees it: a {@link FetchRequest} in, a {@link FetchOutcome} out,
 * the page sent on to the parser or the store. The parser and the store are stand-in consumers of
 * their bus addresses that record what reached them; the server is a MockWebServer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class FetchVerticleTest {
  private static final DeliveryOptions FETCH = new DeliveryOptions().setSendTimeout(10_000);
  /** The IMF-fixdate form servers send: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  @StartStop public final MockWebServer server = new MockWebServer();
  private final List<PageRecord> stored = new CopyOnWriteArrayList<>();
  private final List<FetchedPage> parsed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void standInsForTheParserAndTheStore(Vertx vertx) {
    RecordCodec.registerAll(vertx);
    vertx.eventBus().<PageRecord>consumer(Addresses.STORE_PAGE, msg -> {
      stored.add(msg.body());
      msg.reply(new PageStored(0, msg.body().error()));
    });
    vertx.eventBus().<FetchedPage>consumer(Addresses.PARSE, msg -> {
      parsed.add(msg.body());
      msg.reply(new ParseResult(0, null, true, null));
    });
    vertx.eventBus().<Long>consumer(Addresses.FRONTIER_FETCHED, msg -> { });
  }

  private static TrawlConfig config(String... overrides) {
    Map<String, String> values = new HashMap<>(Map.of(
        "fetch.respect_robots", "false",
        "fetch.request_timeout", "5s",
        "retry.max_attempts", "3",
        "retry.initial_delay", "20ms",
        "retry.max_delay", "10s",
        "circuit.minimum_calls", "100"));
    for (int i = 0; i < overrides.length; i += 2) {
      values.put(overrides[i], overrides[i + 1]);
    }
    return ConfigLoader.fromYaml("", values);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  private static Future<String> deploy(Vertx vertx, TrawlConfig config) {
    return deploy(vertx, config, new KnownRobots());
  }

  private static Future<String> deploy(Vertx vertx, TrawlConfig config, KnownRobots known) {
    Scope scope = new Scope(List.of("127.0.0.1"), List.of(), List.of());
    HostBreakers breakers = new HostBreakers(config.circuit(), config.retry());
    return vertx.deployVerticle(new FetchVerticle(config, scope, breakers, known));
  }

  /** Sends {@code request} to the deployed fetcher; the frontier's view of the answer. */
  private static Future<FetchOutcome> ask(Vertx vertx, FetchRequest request) {
    return vertx.eventBus().<FetchOutcome>request(Addresses.fetch(0), request, FETCH)
        .map(Message::body);
  }

  /** Deploys a fetcher with {@code config} and sends it {@code request}. */
  private static Future<FetchOutcome> fetch(Vertx vertx, TrawlConfig config, FetchRequest request) {
    return deploy(vertx, config).compose(id -> ask(vertx, request));
  }

  private Future<FetchOutcome> fetch(Vertx vertx, TrawlConfig config, String path) {
    return fetch(vertx, config, new FetchRequest(7, url(path), 1, 0));
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "text/html").body("<title>" + code + "</title>").build();
  }

  private static MockResponse status(int code, String retryAfter) {
    return new MockResponse.Builder(status(code)).addHeader("Retry-After", retryAfter).build();
  }

  @Test
  void retriesA503MaxAttemptsTimesThenStoresItsStatus(Vertx vertx, VertxTestContext ctx) {
    for (int i = 0; i < 5; i++) {
      server.enqueue(status(503));
    }

    fetch(vertx, config(), "/down").onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertThat(server.getRequestCount()).isEqualTo(3);
      assertThat(outcome.stored()).isTrue();
      assertThat(outcome.error()).isEqualTo("http_503");
      assertThat(outcome.attempts()).isEqualTo(3);
      assertThat(stored).singleElement().satisfies(page -> {
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.error()).isEqualTo("http_503");
        assertThat(page.attempts()).isEqualTo(3);
      });
      ctx.completeNow();
    })));
  }

  @Test
  void retriesA503ThenSendsThePageToTheParser(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(status(503));
    server.enqueue(status(200));

    fetch(vertx, config(), "/recovers").onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertThat(server.getRequestCount()).isEqualTo(2);
      assertThat(outcome.error()).isNull();
      assertThat(outcome.attempts()).isEqualTo(2);
      assertThat(parsed).singleElement().satisfies(page -> {
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.attempts()).isEqualTo(2);
      });
      assertThat(stored).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void neverRetriesA400(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(status(400));
    server.enqueue(status(200));

    fetch(vertx, config(), "/bad-request").onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(outcome.error()).isEqualTo("http_400");
      assertThat(outcome.attempts()).isEqualTo(1);
      assertThat(stored).singleElement().satisfies(page -> assertThat(page.status()).isEqualTo(400));
      ctx.completeNow();
    })));
  }

  @Test
  void storesA404AsItsStatusWithoutRetrying(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(status(404));

    fetch(vertx, config(), "/gone").onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(outcome.stored()).isTrue();
      assertThat(outcome.error()).isEqualTo("http_404");
      assertThat(stored).singleElement().satisfies(page -> {
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.bytes()).isEqualTo("<title>404</title>".length());
      });
      ctx.completeNow();
    })));
  }

  @Test
  void sendsA429WithRetryAfterSecondsBackToTheFrontierWithoutWaiting(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(status(429, "8"));
    server.enqueue(status(200));
    long before = System.currentTimeMillis();

    fetch(vertx, config(), "/slow-down").onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      long after = System.currentTimeMillis();
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(outcome.stored()).isFalse();
      assertThat(outcome.error()).isEqualTo("http_429");
      assertThat(outcome.attempts()).isEqualTo(1);
      assertThat(outcome.retryAtMs()).isBetween(before + 8_000, after + 8_000);
      // Answered before the time it names: the wait is the frontier's, not a fetcher's.
      assertThat(after).isLessThan(outcome.retryAtMs());
      assertThat(stored).isEmpty();
      assertThat(parsed).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void sendsA503WithAnHttpDateRetryAfterBackToTheFrontierUntilThatDate(Vertx vertx, VertxTestContext ctx) {
    ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5).withNano(0);
    server.enqueue(status(503, HTTP_DATE.format(at)));

    fetch(vertx, config(), "/maintenance").onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(outcome.error()).isEqualTo("http_503");
      assertThat(outcome.retryAtMs()).isEqualTo(at.toInstant().toEpochMilli());
      assertThat(stored).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void capsRetryAfterAtMaxDelay(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(status(429, "86400"));
    long before = System.currentTimeMillis();

    fetch(vertx, config(), "/come-back-tomorrow").onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertThat(outcome.stored()).isFalse();
      assertThat(outcome.retryAtMs()).isBetween(before + 10_000, System.currentTimeMillis() + 10_000);
      ctx.completeNow();
    })));
  }

  @Test
  void storesA429WithRetryAfterOnceTheUrlIsOutOfTries(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(status(429, "1"));

    // Two tries were made before this one; retry.max_attempts is 3.
    fetch(vertx, config(), new FetchRequest(7, url("/still-busy"), 1, 2))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(server.getRequestCount()).isEqualTo(1);
          assertThat(outcome.stored()).isTrue();
          assertThat(outcome.error()).isEqualTo("http_429");
          assertThat(outcome.attempts()).isEqualTo(3);
          assertThat(stored).singleElement().satisfies(page -> assertThat(page.attempts()).isEqualTo(3));
          ctx.completeNow();
        })));
  }

  @Test
  void retriesA503WithAnUnreadableRetryAfterAsIfItHadNone(Vertx vertx, VertxTestContext ctx) {
    for (int i = 0; i < 3; i++) {
      server.enqueue(status(503, "soon"));
    }

    fetch(vertx, config(), "/vague").onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
      assertThat(server.getRequestCount()).isEqualTo(3);
      assertThat(outcome.error()).isEqualTo("http_503");
      assertThat(outcome.attempts()).isEqualTo(3);
      ctx.completeNow();
    })));
  }

  @Test
  void pausesAHostWhoseBreakerIsOpenWithoutCountingATry(Vertx vertx, VertxTestContext ctx) {
    for (int i = 0; i < 3; i++) {
      server.enqueue(status(503));
    }
    TrawlConfig config = config("retry.max_attempts", "1", "circuit.minimum_calls", "2", "circuit.open_for", "5s");
    long before = System.currentTimeMillis();

    deploy(vertx, config)
        .compose(id -> ask(vertx, new FetchRequest(1, url("/1"), 1, 0)))
        .compose(first -> ask(vertx, new FetchRequest(2, url("/2"), 1, 0)))
        .compose(second -> ask(vertx, new FetchRequest(3, url("/3"), 1, 0)))
        .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
          assertThat(server.getRequestCount()).isEqualTo(2);
          assertThat(stored).extracting(PageRecord::error).containsExactly("http_503", "http_503");
          assertThat(third.error()).isEqualTo("circuit_open");
          assertThat(third.stored()).isFalse();
          assertThat(third.attempts()).isZero();
          assertThat(third.retryAtMs()).isBetween(before + 5_000, System.currentTimeMillis() + 5_000);
          ctx.completeNow();
        })));
  }

  @Test
  void holdsAUrlWhoseRobotsTxtIsUnreachableThenStoresTheNetworkErrorOnceOutOfTries(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/page";
    TrawlConfig config = config("fetch.respect_robots", "true");
    long before = System.currentTimeMillis();

    vertx.deployVerticle(new RobotsVerticle(config.fetch(), new KnownRobots()))
        .compose(id -> deploy(vertx, config))
        .compose(id -> ask(vertx, new FetchRequest(1, url, 1, 0)))
        .onComplete(ctx.succeeding(held -> ctx.verify(() -> {
          assertThat(held.stored()).isFalse();
          assertThat(held.error()).isEqualTo("connect");
          assertThat(held.attempts()).isEqualTo(1);
          assertThat(held.retryAtMs()).isGreaterThan(before);
          assertThat(stored).isEmpty();
        })))
        .compose(held -> ask(vertx, new FetchRequest(1, url, 1, 2)))
        .onComplete(ctx.succeeding(last -> ctx.verify(() -> {
          assertThat(last.stored()).isTrue();
          assertThat(last.error()).isEqualTo("connect");
          assertThat(last.attempts()).isEqualTo(3);
          assertThat(stored).singleElement().satisfies(page -> assertThat(page.error()).isEqualTo("connect"));
          ctx.completeNow();
        })));
  }

  @Test
  void aUrlHeldByA5xxRobotsTxtGetsAFreshAnswerWhenItIsTriedAgain(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().body("User-agent: *\nDisallow: /private/\n").build());
    server.enqueue(status(200));
    TrawlConfig config = config("fetch.respect_robots", "true", "fetch.per_host_rate", "20/s");
    long before = System.currentTimeMillis();

    vertx.deployVerticle(new RobotsVerticle(config.fetch(), new KnownRobots()))
        .compose(id -> deploy(vertx, config))
        .compose(id -> ask(vertx, new FetchRequest(1, url("/page"), 1, 0)))
        .onComplete(ctx.succeeding(held -> ctx.verify(() -> {
          assertThat(held.stored()).isFalse();
          assertThat(held.error()).isEqualTo("robots");
          assertThat(held.attempts()).isEqualTo(1);
          assertThat(held.retryAtMs()).isGreaterThan(before);
        })))
        // The frontier sends the URL again once its not-before has passed.
        .compose(held -> afterMs(vertx, held.retryAtMs() - System.currentTimeMillis()))
        .compose(v -> ask(vertx, new FetchRequest(1, url("/page"), 1, 1)))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertThat(server.getRequestCount()).as("robots.txt twice, then the page").isEqualTo(3);
          assertThat(outcome.stored()).isTrue();
          assertThat(outcome.error()).isNull();
          assertThat(outcome.attempts()).isEqualTo(2);
          assertThat(parsed).singleElement().satisfies(page -> assertThat(page.status()).isEqualTo(200));
          ctx.completeNow();
        })));
  }

  private static Future<Void> afterMs(Vertx vertx, long delayMs) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(Math.max(1, delayMs), id -> promise.complete());
    return promise.future();
  }

  @Test
  void onceAHostsRulesAreReadItsUrlsAreAnsweredWithoutAskingTheRobotsVerticle(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().body("User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n").build());
    server.enqueue(status(200));
    server.enqueue(status(200));
    TrawlConfig config = config("fetch.respect_robots", "true");
    KnownRobots known = new KnownRobots();
    AtomicInteger robotsQueries = new AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().address().equals(Addresses.ROBOTS)) {
        robotsQueries.incrementAndGet();
      }
      delivery.next();
    });

    vertx.deployVerticle(new RobotsVerticle(config.fetch(), known))
        .compose(id -> deploy(vertx, config, known))
        .compose(id -> ask(vertx, new FetchRequest(1, url("/a"), 1, 0)))
        .onComplete(ctx.succeeding(first -> ctx.verify(() -> {
          assertThat(first.error()).isNull();
          assertThat(robotsQueries).as("the first URL of the host asks").hasValue(1);
          assertThat(known.answer(url("/b"))).isNotNull();
        })))
        .compose(first -> ask(vertx, new FetchRequest(2, url("/private/x"), 1, 0)))
        .onComplete(ctx.succeeding(refused -> ctx.verify(() -> {
          assertThat(refused.error()).isEqualTo("robots");
          assertThat(stored).singleElement().satisfies(page -> assertThat(page.url()).isEqualTo(url("/private/x")));
        })))
        .compose(refused -> ask(vertx, new FetchRequest(3, url("/b"), 1, 0)))
        .onComplete(ctx.succeeding(second -> ctx.verify(() -> {
          assertThat(second.error()).isNull();
          assertThat(second.crawlDelayMs()).isEqualTo(2000);
          assertThat(robotsQueries).as("later URLs of the host are answered from the shared rules").hasValue(1);
          assertThat(server.getRequestCount()).as("robots.txt once, /a and /b; /private/x never").isEqualTo(3);
          assertThat(parsed).extracting(page -> page.request().url()).containsExactly(url("/a"), url("/b"));
          ctx.completeNow();
        })));
  }
}
