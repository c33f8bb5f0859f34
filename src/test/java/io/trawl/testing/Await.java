package io.trawl.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Waits for a future from a test's own thread (never from an event loop). */
public final class Await {
  private Await() {}

  public static <T> T result(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete", e);
    }
  }

  /** The result of the future {@code work} makes when run on {@code context} (whose event loop it must use). */
  public static <T> T on(Context context, Supplier<Future<T>> work) {
    return result(Future.<T>future(p -> context.runOnContext(v -> work.get().onComplete(p))));
  }

  /** The failure of the future {@code work} makes on {@code context}; an AssertionError if it succeeds. */
  public static Throwable failureOn(Context context, Supplier<Future<?>> work) {
    Throwable failure = result(Future.<Throwable>future(p -> context.runOnContext(v ->
        work.get().onComplete(ar -> p.complete(ar.failed() ? ar.cause() : null)))));
    if (failure == null) {
      throw new AssertionError("expected a failure, got a success");
    }
    return failure;
  }
}
