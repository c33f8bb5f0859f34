package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.bus.Addresses;
import io.trawl.bus.RecordCodec;
import io.trawl.bus.RobotsAnswer;
import io.trawl.bus.RobotsQuery;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.testing.Await;
import io.trawl.testing.NxDomainDns;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The robots.txt cache at its bus address: which group applies to us, Crawl-delay, what a failed
 * robots.txt means (RFC 9309), and the cache's bound. Each test waits on the test thread; the
 * crawl-level behaviour (disallowed URLs never requested, 404 and 5xx end to end) is PolitenessIT's.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RobotsVerticleTest {
  private static final String AGENT = "TrawlBot/2.0 (+https://example.test/bot)";
  /** Longer than any test: a failed robots.txt is not asked again. */
  private static final long LONG_HOLD_MS = 60_000;

  @StartStop public final MockWebServer server = new MockWebServer();
  @StartStop public final MockWebServer second = new MockWebServer();
  @StartStop public final MockWebServer third = new MockWebServer();

  private static TrawlConfig.Fetch config(String requestTimeout) {
    return ConfigLoader.fromYaml("", Map.of("fetch.user_agent", AGENT, "fetch.request_timeout", requestTimeout)).fetch();
  }

  /** What the verticle shares with the fetchers: the rules it has read, and only those. */
  private final KnownRobots known = new KnownRobots();

  private void deploy(Vertx vertx, TrawlConfig.Fetch config, int maxHosts, long maxWeightBytes, long unavailableTtlMs) {
    RecordCodec.registerAll(vertx);
    Await.result(vertx.deployVerticle(new RobotsVerticle(config, known, maxHosts, maxWeightBytes, unavailableTtlMs)));
  }

  private void deploy(Vertx vertx, TrawlConfig.Fetch config, int maxHosts, long unavailableTtlMs) {
    deploy(vertx, config, maxHosts, RobotsVerticle.maxWeightBytes(), unavailableTtlMs);
  }

  private void deploy(Vertx vertx, int maxHosts, long unavailableTtlMs) {
    deploy(vertx, config("5s"), maxHosts, unavailableTtlMs);
  }

  private void deploy(Vertx vertx) {
    deploy(vertx, RobotsVerticle.MAX_HOSTS, LONG_HOLD_MS);
  }

  private static Future<RobotsAnswer> query(Vertx vertx, String url) {
    return vertx.eventBus().<RobotsAnswer>request(Addresses.ROBOTS, new RobotsQuery(url))
        .map(Message::body);
  }

  private static RobotsAnswer ask(Vertx vertx, String url) {
    return Await.result(query(vertx, url));
  }

  private static String url(MockWebServer server, String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  /** Answers every request of {@code server} with {@code robots} as text/plain. */
  private static void serveRobots(MockWebServer server, String robots) {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().addHeader("Content-Type", "text/plain").body(robots).build();
      }
    });
  }

  @Test
  void obeysTheGroupNamedForTheFirstWordOfTheUserAgentOverTheWildcard(Vertx vertx) {
    serveRobots(server, """
        User-agent: *
        Disallow: /

        User-agent: trawlbot
        Disallow: /private/
        """);
    deploy(vertx);

    assertThat(ask(vertx, url(server, "/open")).verdict()).isEqualTo(RobotsAnswer.ALLOWED);
    assertThat(ask(vertx, url(server, "/private/page")).verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
    assertThat(server.getRequestCount()).isEqualTo(1);
    // The fetchers of this JVM answer the host's URLs alike from the shared rules.
    assertThat(known.answer(url(server, "/open")).verdict()).isEqualTo(RobotsAnswer.ALLOWED);
    assertThat(known.answer(url(server, "/private/page")).verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
    assertThat(known.answer(url(second, "/open"))).as("a host not read yet").isNull();
  }

  @Test
  void matchesTheAgentIgnoringCaseButNeverByPrefix(Vertx vertx) {
    // "trawl" and "trawlbotx" are other robots; "TRAWLBOT" is us.
    serveRobots(server, """
        User-agent: trawl
        Disallow: /a

        User-agent: trawlbotx
        Disallow: /b

        User-agent: TRAWLBOT
        Disallow: /c
        """);
    deploy(vertx);

    assertThat(ask(vertx, url(server, "/a")).verdict()).isEqualTo(RobotsAnswer.ALLOWED);
    assertThat(ask(vertx, url(server, "/b")).verdict()).isEqualTo(RobotsAnswer.ALLOWED);
    assertThat(ask(vertx, url(server, "/c")).verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
  }

  @Test
  void readsTheCrawlDelayOfOurGroup(Vertx vertx) {
    serveRobots(server, """
        User-agent: *
        Crawl-delay: 9

        User-agent: trawlbot
        Crawl-delay: 2.5
        Disallow: /private/
        """);
    deploy(vertx);

    RobotsAnswer answer = ask(vertx, url(server, "/page"));

    assertThat(answer.verdict()).isEqualTo(RobotsAnswer.ALLOWED);
    assertThat(answer.crawlDelayMs()).isEqualTo(2_500);
  }

  @Test
  void capsACrawlDelayOverAMinuteAtAMinuteAndStillAllows(Vertx vertx) {
    serveRobots(server, "User-agent: *\nCrawl-delay: 3600\nDisallow: /private/\n");
    deploy(vertx);

    RobotsAnswer open = ask(vertx, url(server, "/page"));

    assertThat(open.verdict()).isEqualTo(RobotsAnswer.ALLOWED);
    assertThat(open.crawlDelayMs()).isEqualTo(60_000);
    assertThat(ask(vertx, url(server, "/private/x")).verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
    assertThat(known.answer(url(server, "/private/x")).verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
  }

  /**
   * 600 KB: a rule at the top, a line the 500 KiB cap cuts right after {@code Allow: /private/},
   * and a rule past the cap.
   */
  private static String longRobots() {
    String head = "User-agent: *\nDisallow: /private/\n";
    String cut = "Allow: /private/open-only\n";
    int limit = 500 * 1024;
    StringBuilder robots = new StringBuilder(head);
    while (robots.length() < limit - "Allow: /private/".length() - 100) {
      robots.append("# ").append("x".repeat(97)).append('\n');
    }
    robots.append("#".repeat(limit - "Allow: /private/".length() - robots.length() - 1)).append('\n');
    robots.append(cut);
    while (robots.length() < 600 * 1024) {
      robots.append("# past the cap\n");
    }
    return robots.append("Disallow: /late/\n").toString();
  }

  @ParameterizedTest(name = "chunked {0}")
  @ValueSource(booleans = {false, true})
  void obeysTheFirst500KibOfALongerRobotsTxtInWholeLines(boolean chunked, Vertx vertx) {
    String robots = longRobots();
    assertThat(robots.indexOf("Allow: /private/open-only") + "Allow: /private/".length()).isEqualTo(500 * 1024);
    MockResponse.Builder response = new MockResponse.Builder().addHeader("Content-Type", "text/plain");
    server.enqueue((chunked ? response.chunkedBody(robots, 8 * 1024) : response.body(robots)).build());
    deploy(vertx);

    assertThat(ask(vertx, url(server, "/private/x")).verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
    assertThat(ask(vertx, url(server, "/private/open-only")).verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
    assertThat(ask(vertx, url(server, "/late/x")).verdict()).isEqualTo(RobotsAnswer.ALLOWED);
    assertThat(ask(vertx, url(server, "/open")).verdict()).isEqualTo(RobotsAnswer.ALLOWED);
  }

  @ParameterizedTest(name = "robots.txt {0}")
  @ValueSource(ints = {401, 403, 404, 410, 451})
  void aRobotsTxtAnswering4xxAllowsEverything(int status, Vertx vertx) {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(status).body("User-agent: *\nDisallow: /\n").build();
      }
    });
    deploy(vertx);

    RobotsAnswer answer = ask(vertx, url(server, "/anything"));

    assertThat(answer.verdict()).isEqualTo(RobotsAnswer.ALLOWED);
    assertThat(answer.failure()).isNull();
  }

  @Test
  void aRobotsTxtAnswering5xxHoldsTheHostAndIsAskedAgainOnceItsAnswerExpires(Vertx vertx) {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().body("User-agent: *\nDisallow: /private/\n").build());
    deploy(vertx, 10, 300);

    RobotsAnswer held = ask(vertx, url(server, "/page"));
    assertThat(held.verdict()).isEqualTo(RobotsAnswer.UNAVAILABLE);
    assertThat(held.failure()).isNull();
    // Within the hold the cached answer stands: robots.txt is not asked once per URL.
    assertThat(ask(vertx, url(server, "/other")).verdict()).isEqualTo(RobotsAnswer.UNAVAILABLE);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(known.answer(url(server, "/other"))).as("an answer that expires is not shared").isNull();

    await().atMost(Duration.ofSeconds(5))
        .until(() -> !ask(vertx, url(server, "/page")).verdict().equals(RobotsAnswer.UNAVAILABLE));
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(ask(vertx, url(server, "/private/x")).verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
    assertThat(known.answer(url(server, "/private/x")).verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
  }

  @Test
  void anUnreachableHostIsHeldWithItsNetworkErrorKind(Vertx vertx) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    deploy(vertx, config("500ms"), RobotsVerticle.MAX_HOSTS, LONG_HOLD_MS);

    RobotsAnswer refused = ask(vertx, "http://127.0.0.1:" + closedPort + "/page");
    RobotsAnswer stalled = ask(vertx, url(server, "/page"));

    assertThat(refused.verdict()).isEqualTo(RobotsAnswer.UNAVAILABLE);
    assertThat(refused.failure()).isEqualTo("connect");
    assertThat(stalled.verdict()).isEqualTo(RobotsAnswer.UNAVAILABLE);
    assertThat(stalled.failure()).isEqualTo("timeout");
    assertThat(known.size()).isZero();
  }

  @Test
  void anUnresolvableHostIsHeldAsDns(Vertx vertx) {
    NxDomainDns dns = NxDomainDns.start(vertx);
    Vertx resolving = Vertx.vertx(new VertxOptions().setAddressResolverOptions(dns.resolverOptions()));
    try {
      deploy(resolving);

      RobotsAnswer answer = ask(resolving, "http://no-such-host.invalid/page");

      assertThat(answer.verdict()).isEqualTo(RobotsAnswer.UNAVAILABLE);
      assertThat(answer.failure()).isEqualTo("dns");
    } finally {
      Await.result(resolving.close());
    }
  }

  @Test
  void fetchesRobotsTxtOnceForAllTheUrlsWaitingOnIt(Vertx vertx) {
    server.enqueue(new MockResponse.Builder().body("User-agent: *\nDisallow: /private/\n")
        .headersDelay(200, TimeUnit.MILLISECONDS).build());
    deploy(vertx);

    List<Future<RobotsAnswer>> answers = IntStream.range(0, 20)
        .mapToObj(i -> query(vertx, url(server, "/page" + i))).toList();

    Await.result(Future.all(answers));
    assertThat(answers).allSatisfy(answer -> assertThat(answer.result().verdict()).isEqualTo(RobotsAnswer.ALLOWED));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void keepsAtMostMaxHostsForgettingTheLeastRecentlyUsed(Vertx vertx) {
    for (MockWebServer host : List.of(server, second, third)) {
      serveRobots(host, "User-agent: *\nDisallow: /private/\n");
    }
    deploy(vertx, 2, LONG_HOLD_MS);

    ask(vertx, url(server, "/"));
    ask(vertx, url(second, "/"));
    ask(vertx, url(server, "/again"));   // server is now the most recently used
    ask(vertx, url(third, "/"));         // a third host: second, the least recently used, is dropped
    assertThat(known.answer(url(second, "/"))).as("dropped for the fetchers too").isNull();
    assertThat(known.size()).isEqualTo(2);
    ask(vertx, url(server, "/still"));
    ask(vertx, url(second, "/back"));

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(third.getRequestCount()).isEqualTo(1);
    assertThat(second.getRequestCount()).isEqualTo(2);
    assertThat(known.size()).isEqualTo(2);
  }

  @Test
  void keepsAtMostMaxWeightOfRulesForgettingTheLeastRecentlyUsed(Vertx vertx) {
    StringBuilder robots = new StringBuilder("User-agent: *\n");
    for (int i = 0; i < 1000; i++) {
      robots.append("Disallow: /private/").append(i).append("/\n");
    }
    for (MockWebServer host : List.of(server, second, third)) {
      serveRobots(host, robots.toString());
    }
    // Room for two hosts' rules of about 100 KB each, not three.
    deploy(vertx, config("5s"), RobotsVerticle.MAX_HOSTS, 250_000, LONG_HOLD_MS);

    ask(vertx, url(server, "/"));
    ask(vertx, url(second, "/"));
    ask(vertx, url(server, "/again"));
    ask(vertx, url(third, "/"));
    assertThat(known.answer(url(second, "/"))).as("dropped for the fetchers too").isNull();
    assertThat(known.answer(url(third, "/private/7/")).verdict()).isEqualTo(RobotsAnswer.DISALLOWED);
    ask(vertx, url(server, "/still"));
    ask(vertx, url(second, "/back"));

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(third.getRequestCount()).isEqualTo(1);
    assertThat(second.getRequestCount()).isEqualTo(2);
    assertThat(known.size()).isEqualTo(2);
  }
}
