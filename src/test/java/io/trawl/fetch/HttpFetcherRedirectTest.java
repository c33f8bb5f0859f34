package io.trawl.fetch;

import static io.trawl.fetch.FetchChecks.config;
import static io.trawl.fetch.FetchChecks.failsAs;
import static io.trawl.fetch.FetchChecks.succeeds;
import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.core.FailureKind;
import io.trawl.core.Scope;
import io.trawl.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HttpFetcher}'s redirects, followed by hand: each hop checked against the scope and the
 * schemes we fetch, loops and long chains stopped, unusable Locations refused, never requested.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class HttpFetcherRedirectTest {
  @StartStop public final MockWebServer server = new MockWebServer();
  private final LogCapture vertxLog = LogCapture.of("io.vertx.core");

  @AfterEach
  void vertxLoggedNoUnhandledError() {
    vertxLog.close();
    assertThat(vertxLog.lines()).noneMatch(line -> line.startsWith("ERROR"));
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  private Future<FetchResult> fetch(Vertx vertx, String path) {
    return new HttpFetcher(vertx, config()).fetch(url(path), u -> true);
  }

  private static MockResponse redirect(int status, String location) {
    return new MockResponse.Builder().code(status).setHeader("Location", location).build();
  }

  @Test
  void followsEveryRedirectStatusUpToMaxRedirectsAndReportsTheFinalUrl(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(redirect(301, "/one"));
    server.enqueue(redirect(302, "two"));
    server.enqueue(redirect(303, url("/three")));
    server.enqueue(redirect(307, "/four?x=1#ignored"));
    server.enqueue(redirect(308, "//127.0.0.1:" + server.getPort() + "/final"));
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html").body("<title>end</title>").build());
    HttpFetcher fetcher = new HttpFetcher(vertx, config("fetch.max_redirects", "5"));

    succeeds(fetcher.fetch(url("/start"), u -> true), ctx, result -> {
      assertThat(result.status()).isEqualTo(200);
      assertThat(result.url()).isEqualTo(url("/start"));
      assertThat(result.finalUrl()).isEqualTo(url("/final"));
      assertThat(result.redirects()).isEqualTo(5);
      assertThat(server.getRequestCount()).isEqualTo(6);
    });
  }

  @Test
  void stopsARedirectLoop(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(redirect(302, "/b"));
    server.enqueue(redirect(302, "/a"));

    failsAs(vertx, fetch(vertx, "/a"), FailureKind.REDIRECT_LOOP, ctx,
        () -> assertThat(server.getRequestCount()).isEqualTo(2));
  }

  @Test
  void stopsAChainLongerThanMaxRedirects(Vertx vertx, VertxTestContext ctx) {
    for (int i = 1; i <= 10; i++) {
      server.enqueue(redirect(302, "/r" + i));
    }

    // fetch.max_redirects is 3: the first request and three redirects followed, the fourth refused.
    failsAs(vertx, fetch(vertx, "/r0"), FailureKind.TOO_MANY_REDIRECTS, ctx,
        () -> assertThat(server.getRequestCount()).isEqualTo(4));
  }

  @Test
  void refusesARedirectWhoseBodyPassesTheCap(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/next").body("b".repeat(2_000)).build());
    server.enqueue(new MockResponse.Builder().body("<title>next</title>").build());
    HttpFetcher fetcher = new HttpFetcher(vertx, config("fetch.max_body_size", "1KB"));

    failsAs(vertx, fetcher.fetch(url("/fat-redirect"), u -> true), FailureKind.TOO_LARGE, ctx);
  }

  @ParameterizedTest(name = "Location: {0}")
  @ValueSource(strings = {"", "   ", "http://[::1", "http:///no-host", "http://exa mple.com/", "http://127.0.0.1:99999/"})
  void refusesARedirectWithoutAUsableLocation(String location, Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().code(302).addHeaderLenient("Location", location).build());

    failsAs(vertx, fetch(vertx, "/bad"), FailureKind.BAD_REDIRECT, ctx,
        () -> assertThat(server.getRequestCount()).isEqualTo(1));
  }

  @Test
  void refusesARedirectWithNoLocationAtAll(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().code(301).build());

    failsAs(vertx, fetch(vertx, "/nowhere"), FailureKind.BAD_REDIRECT, ctx);
  }

  @ParameterizedTest(name = "Location: {0}")
  @ValueSource(strings = {"ftp://127.0.0.1/file", "javascript:alert(1)", "mailto:x@example.com", "file:///etc/passwd"})
  void refusesARedirectToASchemeOtherThanHttpAsOutOfScope(String location, Vertx vertx, VertxTestContext ctx) {
    server.enqueue(redirect(302, location));

    failsAs(vertx, fetch(vertx, "/scheme"), FailureKind.REDIRECT_OUT_OF_SCOPE, ctx,
        () -> assertThat(server.getRequestCount()).isEqualTo(1));
  }

  @Test
  void refusesARedirectOutOfTheCrawlsScopeWithoutRequestingIt(Vertx vertx, VertxTestContext ctx) {
    Predicate<String> scope = new Scope(List.of("127.0.0.1"), List.of(), List.of(Pattern.compile("/private")))::allows;
    // localhost is the same server under a name outside the scope: a request there would be counted.
    server.enqueue(redirect(302, "http://localhost:" + server.getPort() + "/elsewhere"));
    server.enqueue(redirect(302, "/private/page"));
    HttpFetcher fetcher = new HttpFetcher(vertx, config());

    fetcher.fetch(url("/leave"), scope)
        .onComplete(ctx.failing(err -> ctx.verify(
            () -> assertThat(FailureKind.of(err)).isEqualTo(FailureKind.REDIRECT_OUT_OF_SCOPE))))
        .recover(err -> fetcher.fetch(url("/excluded"), scope))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(FailureKind.of(err)).isEqualTo(FailureKind.REDIRECT_OUT_OF_SCOPE);
          assertThat(server.getRequestCount()).isEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  void refusesARedirectWhoseUserInfoHidesAnotherHostWithoutContactingIt(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    // 127.0.0.2 is loopback on Linux: a second server there proves the request never leaves.
    MockWebServer elsewhere = new MockWebServer();
    elsewhere.start(InetAddress.getByName("127.0.0.2"), 0);
    elsewhere.enqueue(new MockResponse.Builder().body("<title>secret</title>").build());
    Predicate<String> scope = new Scope(List.of("127.0.0.1"), List.of(), List.of())::allows;
    server.enqueue(redirect(302, "http://127.0.0.1:1@127.0.0.2:" + elsewhere.getPort() + "/secret"));

    new HttpFetcher(vertx, config()).fetch(url("/start"), scope)
        .eventually(() -> vertx.executeBlocking(() -> {
          elsewhere.close();
          return null;
        }))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(FailureKind.of(err)).isEqualTo(FailureKind.USER_INFO);
          assertThat(elsewhere.getRequestCount()).isZero();
          assertThat(server.getRequestCount()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @ParameterizedTest(name = "Location: {0}")
  @ValueSource(strings = {"http://user:pw@127.0.0.1:{port}/in-scope", "//user@127.0.0.1:{port}/relative",
      "http://127.0.0.1:{port}@127.0.0.1:{port}/same"})
  void refusesARedirectWithUserInfoEvenToItsOwnHost(String location, Vertx vertx, VertxTestContext ctx) {
    server.enqueue(redirect(302, location.replace("{port}", String.valueOf(server.getPort()))));

    failsAs(vertx, fetch(vertx, "/start"), FailureKind.USER_INFO, ctx,
        () -> assertThat(server.getRequestCount()).isEqualTo(1));
  }

  @Test
  void refusesARedirectLongerThanTheUrlCap(Vertx vertx, VertxTestContext ctx) {
    String longest = "/" + "a".repeat(100 - url("/").length());
    server.enqueue(redirect(302, longest));
    server.enqueue(redirect(302, longest + "b"));
    server.enqueue(new MockResponse.Builder().body("<title>end</title>").build());
    HttpFetcher fetcher = new HttpFetcher(vertx, config("fetch.max_url_length", "100"));

    failsAs(vertx, fetcher.fetch(url("/start"), u -> true), FailureKind.BAD_REDIRECT, ctx, () -> {
      assertThat(url(longest)).hasSize(100);
      assertThat(server.getRequestCount()).isEqualTo(2);
    });
  }

  @Test
  void checksTheScopeOnTheNormalizedTargetAndRequestsThatSame(Vertx vertx, VertxTestContext ctx) {
    List<String> checked = new java.util.concurrent.CopyOnWriteArrayList<>();
    Predicate<String> scope = target -> checked.add(target);
    server.enqueue(redirect(302, "/a/../b c/./d?e=%7e#frag"));
    server.enqueue(new MockResponse.Builder().body("<title>end</title>").build());

    new HttpFetcher(vertx, config()).fetch(url("/start"), scope)
        .compose(result -> vertx.executeBlocking(() -> {
          assertThat(checked).containsExactly(url("/b%20c/d?e=~"));
          assertThat(result.finalUrl()).isEqualTo(url("/b%20c/d?e=~"));
          server.takeRequest();
          assertThat(server.takeRequest().getTarget()).isEqualTo("/b%20c/d?e=~");
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
