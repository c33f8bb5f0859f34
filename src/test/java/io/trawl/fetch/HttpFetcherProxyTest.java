package io.trawl.fetch;

import static io.trawl.fetch.FetchChecks.config;
import static io.trawl.fetch.FetchChecks.failsAs;
import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import io.trawl.testing.ForwardProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link HttpFetcher} through proxies started by the test: plain http relayed by an HTTP proxy
 * (with its credentials), https through CONNECT, a proxy that cannot be reached or answers 407
 * benched and the request sent through the next one, and a {@code hosts:} entry going direct.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HttpFetcherProxyTest {
  @StartStop public final MockWebServer server = new MockWebServer();

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().addHeader("Content-Type", "text/html").body("<title>ok</title>").build();
  }

  private static TrawlConfig crawlConfig(String... overrides) {
    Map<String, String> values = new HashMap<>(Map.of("fetch.request_timeout", "5s", "fetch.connect_timeout", "5s"));
    for (int i = 0; i < overrides.length; i += 2) {
      values.put(overrides[i], overrides[i + 1]);
    }
    return ConfigLoader.fromYaml("", values);
  }

  private static HttpFetcher fetcher(Vertx vertx, TrawlConfig config) {
    return new HttpFetcher(vertx, config.fetch(), FetchContext.of(config));
  }

  /** A port on 127.0.0.1 nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  @Test
  void relaysPlainHttpThroughTheProxyWithItsCredentials(Vertx vertx, VertxTestContext ctx) {
    ForwardProxy proxy = ForwardProxy.withCredentials(vertx, "ann", "p@ss");
    server.enqueue(ok());
    HttpFetcher fetcher = fetcher(vertx, crawlConfig("fetch.proxy", "http://ann:p%40ss@127.0.0.1:" + proxy.port()));

    fetcher.fetch(url("/a"), u -> true).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(result.status()).isEqualTo(200);
      assertThat(new String(result.body(), StandardCharsets.UTF_8)).contains("ok");
      assertThat(proxy.log()).singleElement().satisfies(entry -> {
        assertThat(entry.line()).isEqualTo("GET " + url("/a"));
        assertThat(entry.proxyAuthorization()).isEqualTo("Basic "
            + Base64.getEncoder().encodeToString("ann:p@ss".getBytes(StandardCharsets.UTF_8)));
      });
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void tunnelsHttpsThroughConnect(Vertx vertx, VertxTestContext ctx) {
    ForwardProxy proxy = ForwardProxy.open(vertx);
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions())
            .setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> req.response().putHeader("Content-Type", "text/html").end("<title>secret</title>"))
        .listen()
        .compose(https -> fetchOver(vertx, proxy, certificate, https))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.status()).isEqualTo(200);
          assertThat(new String(result.body(), StandardCharsets.UTF_8)).contains("secret");
          assertThat(proxy.lines()).containsExactly("CONNECT 127.0.0.1:" + portOf(result.url()));
          ctx.completeNow();
        })));
  }

  private static Future<FetchResult> fetchOver(Vertx vertx, ForwardProxy proxy, SelfSignedCertificate certificate,
      HttpServer https) {
    TrawlConfig config = crawlConfig("fetch.proxy", "http://127.0.0.1:" + proxy.port());
    HttpFetcher fetcher = HttpFetcher.trusting(vertx, config.fetch(), FetchContext.of(config),
        certificate.trustOptions());
    return fetcher.fetch("https://127.0.0.1:" + https.actualPort() + "/private", u -> true);
  }

  private static int portOf(String url) {
    String rest = url.substring(url.lastIndexOf(':') + 1);
    return Integer.parseInt(rest.substring(0, rest.indexOf('/')));
  }

  @Test
  void benchesAProxyThatCannotBeReachedAndSendsTheRequestThroughTheNext(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    ForwardProxy working = ForwardProxy.open(vertx);
    String dead = "http://127.0.0.1:" + closedPort();
    server.enqueue(ok());
    server.enqueue(ok());
    TrawlConfig config = ConfigLoader.fromYaml("""
        fetch:
          request_timeout: 5s
          proxies: ["%s", "http://127.0.0.1:%d"]
        """.formatted(dead, working.port()), Map.of());
    FetchContext context = FetchContext.of(config);
    HttpFetcher fetcher = new HttpFetcher(vertx, config.fetch(), context);

    fetcher.fetch(url("/one"), u -> true)
        .compose(first -> fetcher.fetch(url("/two"), u -> true))
        .onComplete(ctx.succeeding(second -> ctx.verify(() -> {
          assertThat(second.status()).isEqualTo(200);
          assertThat(working.lines()).containsExactly("GET " + url("/one"), "GET " + url("/two"));
          assertThat(context.proxies().isBenched(config.fetch().proxies().get(0))).isTrue();
          assertThat(context.proxies().isBenched(config.fetch().proxies().get(1))).isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  void failsAsProxyNamingItWithoutItsPasswordWhenTheOnlyProxyAnswers407(Vertx vertx, VertxTestContext ctx) {
    ForwardProxy proxy = ForwardProxy.withCredentials(vertx, "ann", "right");
    HttpFetcher fetcher = fetcher(vertx, crawlConfig("fetch.proxy", "http://ann:wrong-pw@127.0.0.1:" + proxy.port()));

    fetcher.fetch(url("/a"), u -> true).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertThat(FailureKind.of(err)).isEqualTo(FailureKind.PROXY);
      assertThat(err.getMessage()).contains("127.0.0.1:" + proxy.port()).doesNotContain("wrong-pw");
      assertThat(proxy.lines()).hasSize(1);
      assertThat(server.getRequestCount()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void aHostEntryWithProxyDirectBypassesTheProxy(Vertx vertx, VertxTestContext ctx) {
    ForwardProxy proxy = ForwardProxy.open(vertx);
    server.enqueue(ok());
    TrawlConfig config = ConfigLoader.fromYaml("""
        fetch:
          request_timeout: 5s
          proxy: "http://127.0.0.1:%d"
        hosts:
          127.0.0.1: {proxy: direct}
        """.formatted(proxy.port()), Map.of());

    fetcher(vertx, config).fetch(url("/a"), u -> true).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(result.status()).isEqualTo(200);
      assertThat(proxy.lines()).isEmpty();
      assertThat(server.getRequestCount()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void withoutAProxyTheRequestGoesDirect(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(ok());
    new HttpFetcher(vertx, config()).fetch(url("/a"), u -> true).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertThat(result.status()).isEqualTo(200);
      ctx.completeNow();
    })));
  }
}
