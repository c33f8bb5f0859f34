package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** How the HttpFetcher tests configure a fetcher and wait on what it returns. */
final class FetchChecks {
  private FetchChecks() {}

  /**
   * fetch.* for a test: a long request timeout (the first request in a JVM is slow), a 1 MB body
   * cap, three redirects; {@code overrides} are key, value pairs.
   */
  static TrawlConfig.Fetch config(String... overrides) {
    Map<String, String> values = new HashMap<>(Map.of(
        "fetch.request_timeout", "5s",
        "fetch.connect_timeout", "500ms",
        "fetch.max_body_size", "1MB",
        "fetch.max_redirects", "3"));
    for (int i = 0; i < overrides.length; i += 2) {
      values.put(overrides[i], overrides[i + 1]);
    }
    return ConfigLoader.fromYaml("", values).fetch();
  }

  /**
   * Completes the test once {@code future} has failed as {@code kind} and {@code then} holds;
   * {@code then} runs on a worker, so it may wait (Awaitility) without blocking an event loop.
   */
  static void failsAs(Vertx vertx, Future<FetchResult> future, FailureKind kind, VertxTestContext ctx, Runnable then) {
    future.onComplete(ctx.failing(err -> vertx.executeBlocking(() -> {
      assertThat(FailureKind.of(err)).as("kind of %s", err).isEqualTo(kind);
      then.run();
      return null;
    }).onComplete(ctx.succeedingThenComplete())));
  }

  static void failsAs(Vertx vertx, Future<FetchResult> future, FailureKind kind, VertxTestContext ctx) {
    failsAs(vertx, future, kind, ctx, () -> { });
  }

  /** Completes the test once {@code future} has succeeded and {@code check} holds. */
  static void succeeds(Future<FetchResult> future, VertxTestContext ctx, Consumer<FetchResult> check) {
    future.onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      check.accept(result);
      ctx.completeNow();
    })));
  }
}
