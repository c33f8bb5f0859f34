package io.trawl.fetch;

import static io.trawl.fetch.FetchChecks.config;
import static io.trawl.fetch.FetchChecks.failsAs;
import static io.trawl.fetch.FetchChecks.succeeds;
import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.core.FailureKind;
import io.trawl.testing.LoopbackDns;
import io.trawl.testing.TrapServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code fetch.block_private_addresses}: the address a request would connect to is checked after
 * resolution, on every hop, and a refused one is never connected to. Every server of a test is on
 * loopback, so "refused" is shown with the option on and a 127.0.0.1 URL, and "every hop" with a
 * fetcher that refuses only 127.0.0.2.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class HttpFetcherAddressTest {
  @StartStop public final MockWebServer server = new MockWebServer();

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  @Test
  void refusesALoopbackAddressWithoutConnectingWhenAsked(Vertx vertx, VertxTestContext ctx) {
    TrapServer trap = TrapServer.start(vertx, "127.0.0.1");
    HttpFetcher fetcher = new HttpFetcher(vertx, config("fetch.block_private_addresses", "true"));

    failsAs(vertx, fetcher.fetch("http://127.0.0.1:" + trap.port() + "/", u -> true), FailureKind.BLOCKED_ADDRESS, ctx,
        () -> assertThat(trap.connections()).isZero());
  }

  @Test
  void fetchesALoopbackAddressByDefault(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().body("<title>local</title>").build());

    succeeds(new HttpFetcher(vertx, config()).fetch(url("/"), u -> true), ctx,
        result -> assertThat(result.status()).isEqualTo(200));
  }

  @Test
  void fetchesThroughTheCheckedAddressWhenItIsAllowed(Vertx vertx, VertxTestContext ctx) {
    server.enqueue(new MockResponse.Builder().body("<title>allowed</title>").build());
    HttpFetcher fetcher = HttpFetcher.blocking(vertx, config(), address -> false);

    succeeds(fetcher.fetch(url("/page"), u -> true), ctx, result -> {
      assertThat(result.status()).isEqualTo(200);
      assertThat(server.getRequestCount()).isEqualTo(1);
    });
  }

  @Test
  void checksEveryRedirectHop(Vertx vertx, VertxTestContext ctx) throws Exception {
    TrapServer trap = TrapServer.start(vertx, "127.0.0.2");
    server.enqueue(new MockResponse.Builder().code(302)
        .setHeader("Location", "http://127.0.0.2:" + trap.port() + "/inside").build());
    InetAddress refused = InetAddress.getByName("127.0.0.2");
    HttpFetcher fetcher = HttpFetcher.blocking(vertx, config(), refused::equals);

    failsAs(vertx, fetcher.fetch(url("/out"), u -> true), FailureKind.BLOCKED_ADDRESS, ctx, () -> {
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(trap.connections()).isZero();
    });
  }

  @Test
  void refusesAHostNameByTheAddressItResolvesTo(Vertx vertx, VertxTestContext ctx) {
    LoopbackDns dns = LoopbackDns.start(vertx);
    Vertx resolving = Vertx.vertx(new VertxOptions().setAddressResolverOptions(dns.resolverOptions()));
    TrapServer trap = TrapServer.start(vertx, "127.0.0.1");
    server.enqueue(new MockResponse.Builder().body("<title>by name</title>").build());
    String byName = "http://looks-public.example:" + server.getPort() + "/";

    HttpFetcher open = new HttpFetcher(resolving, config());
    HttpFetcher guarded = new HttpFetcher(resolving, config("fetch.block_private_addresses", "true"));
    open.fetch(byName, u -> true)
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> assertThat(result.status()).isEqualTo(200))))
        .compose(result -> guarded.fetch("http://looks-public.example:" + trap.port() + "/", u -> true))
        .eventually(() -> resolving.close())
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(FailureKind.of(err)).isEqualTo(FailureKind.BLOCKED_ADDRESS);
          assertThat(trap.connections()).isZero();
          assertThat(dns.queries()).isPositive();
          ctx.completeNow();
        })));
  }
}
