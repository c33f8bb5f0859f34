package io.trawl.fetch;

import static io.trawl.fetch.FetchChecks.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.testing.LoopbackDns;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What {@link HttpFetcher} sends besides the URL: the crawl's cookies (kept across redirects and
 * requests, scoped by path, deleted by their server, none when {@code fetch.cookies} is off),
 * {@code fetch.headers}, and a {@code hosts:} entry's headers, user agent and credentials, sent
 * to the hosts it matches only, never on a redirect to another host.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HttpFetcherSessionTest {
  @StartStop public final MockWebServer server = new MockWebServer();
  @StartStop public final MockWebServer other = new MockWebServer();

  @BeforeAll
  static void loadThePublicSuffixListOffTheEventLoop() {
    PublicSuffixes.load();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().addHeader("Content-Type", "text/html").body("<title>ok</title>").build();
  }

  /** Runs {@code check} on a worker once {@code done} succeeded: takeRequest blocks. */
  private static void then(Vertx vertx, Future<?> done, VertxTestContext ctx, Callable<Void> check) {
    done.compose(v -> vertx.executeBlocking(check, false)).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void sendsACookieSetOnARedirectToTheNextHopAndLaterRequests(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/home")
        .addHeader("Set-Cookie", "sid=abc; Path=/; HttpOnly").build());
    server.enqueue(ok());
    server.enqueue(ok());
    HttpFetcher fetcher = new HttpFetcher(vertx, config());

    Future<?> done = fetcher.fetch(url("/login"), u -> true)
        .compose(first -> fetcher.fetch(url("/other"), u -> true));

    then(vertx, done, ctx, () -> {
      assertThat(server.takeRequest().getHeaders().get("Cookie")).isNull();
      assertThat(server.takeRequest().getHeaders().get("Cookie")).isEqualTo("sid=abc");
      assertThat(server.takeRequest().getHeaders().get("Cookie")).isEqualTo("sid=abc");
      return null;
    });
  }

  @Test
  void scopesCookiesByPathAndForgetsOneItsServerExpires(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/html")
        .addHeader("Set-Cookie", "cart=1; Path=/shop").addHeader("Set-Cookie", "lang=de").body("x").build());
    server.enqueue(ok());
    server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "lang=; Max-Age=0").body("x").build());
    server.enqueue(ok());
    HttpFetcher fetcher = new HttpFetcher(vertx, config());

    Future<?> done = fetcher.fetch(url("/start"), u -> true)
        .compose(r -> fetcher.fetch(url("/shop/basket"), u -> true))
        .compose(r -> fetcher.fetch(url("/news"), u -> true))
        .compose(r -> fetcher.fetch(url("/news/2"), u -> true));

    then(vertx, done, ctx, () -> {
      server.takeRequest();
      assertThat(server.takeRequest().getHeaders().get("Cookie")).isEqualTo("cart=1; lang=de");
      assertThat(server.takeRequest().getHeaders().get("Cookie")).isEqualTo("lang=de");
      assertThat(server.takeRequest().getHeaders().get("Cookie")).isNull();
      return null;
    });
  }

  @Test
  void sendsNoCookieWhenCookiesAreOff(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/home")
        .addHeader("Set-Cookie", "sid=abc").build());
    server.enqueue(ok());
    HttpFetcher fetcher = new HttpFetcher(vertx, config("fetch.cookies", "false"));

    then(vertx, fetcher.fetch(url("/login"), u -> true), ctx, () -> {
      server.takeRequest();
      assertThat(server.takeRequest().getHeaders().get("Cookie")).isNull();
      return null;
    });
  }

  @Test
  void sendsHeadersAndCredentialsOnlyToTheHostsTheyAreFor(Vertx vertx, VertxTestContext ctx) {
    LoopbackDns dns = LoopbackDns.start(vertx);
    Vertx resolving = Vertx.vertx(new VertxOptions().setAddressResolverOptions(dns.resolverOptions()));
    TrawlConfig config = ConfigLoader.fromYaml("""
        fetch:
          request_timeout: 5s
          headers: {Accept-Language: de}
        hosts:
          shop.test:
            headers: {X-Api-Key: key-1}
            auth: {basic: {user: ann, password: s3cret}}
          "*.other.test":
            user_agent: otherbot/1
            auth: {bearer: token-2}
        """, Map.of());
    HttpFetcher fetcher = new HttpFetcher(resolving, config.fetch(), FetchContext.of(config));
    String otherUrl = "http://www.other.test:" + other.getPort() + "/landing";
    server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", otherUrl)
        .addHeader("Set-Cookie", "sid=shop-only").build());
    other.enqueue(new MockResponse.Builder().code(302)
        .setHeader("Location", "http://shop.test:" + server.getPort() + "/back").build());
    server.enqueue(ok());

    Future<?> done = fetcher.fetch("http://shop.test:" + server.getPort() + "/start", u -> true)
        .eventually(resolving::close);

    then(vertx, done, ctx, () -> {
      String basic = "Basic " + Base64.getEncoder().encodeToString("ann:s3cret".getBytes(StandardCharsets.UTF_8));
      RecordedRequest shop = server.takeRequest();
      assertThat(shop.getHeaders().get("Authorization")).isEqualTo(basic);
      assertThat(shop.getHeaders().get("X-Api-Key")).isEqualTo("key-1");
      assertThat(shop.getHeaders().get("Accept-Language")).isEqualTo("de");
      assertThat(shop.getHeaders().get("User-Agent")).startsWith("trawl/");
      RecordedRequest elsewhere = other.takeRequest();
      assertThat(elsewhere.getHeaders().get("Authorization")).isEqualTo("Bearer token-2");
      assertThat(elsewhere.getHeaders().get("X-Api-Key")).isNull();
      assertThat(elsewhere.getHeaders().get("Cookie")).isNull();
      assertThat(elsewhere.getHeaders().get("Accept-Language")).isEqualTo("de");
      assertThat(elsewhere.getHeaders().get("User-Agent")).isEqualTo("otherbot/1");
      RecordedRequest back = server.takeRequest();
      assertThat(back.getHeaders().get("Authorization")).isEqualTo(basic);
      assertThat(back.getHeaders().get("Cookie")).isEqualTo("sid=shop-only");
      return null;
    });
  }
}
