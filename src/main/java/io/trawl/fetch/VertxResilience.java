package io.trawl.fetch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Drives Resilience4j's Retry and CircuitBreaker from Vert.x futures without blocking and without
 * leaving the caller's context: a retry's wait is a {@code vertx.setTimer}, a breaker is asked for
 * a permit and told the outcome. Public Resilience4j API only.
 */
final class VertxResilience {
  private VertxResilience() {}

  /** Runs {@code call}, again after each delay the retry asks for, until it is satisfied or gives up. */
  static <T> Future<T> retry(Vertx vertx, Retry retry, Supplier<Future<T>> call) {
    Promise<T> promise = Promise.promise();
    attempt(vertx, retry.asyncContext(), call, promise);
    return promise.future();
  }

  private static <T> void attempt(Vertx vertx, Retry.AsyncContext<T> context, Supplier<Future<T>> call, Promise<T> promise) {
    call.get().onComplete(ar -> {
      long delayMs;
      if (ar.succeeded()) {
        delayMs = context.onResult(ar.result());
        if (delayMs < 1) {
          context.onComplete();
          promise.complete(ar.result());
          return;
        }
      } else {
        delayMs = context.onError(ar.cause());
        if (delayMs < 1) {
          promise.fail(ar.cause());
          return;
        }
      }
      vertx.setTimer(delayMs, id -> attempt(vertx, context, call, promise));
    });
  }

  /**
   * Runs {@code call} if the breaker permits, and reports its outcome and duration. A refused call
   * fails at once as {@link FailureKind#CIRCUIT_OPEN}.
   */
  static <T> Future<T> breaker(CircuitBreaker breaker, String url, Supplier<Future<T>> call) {
    if (!breaker.tryAcquirePermission()) {
      return Future.failedFuture(new CrawlException(FailureKind.CIRCUIT_OPEN, url, "circuit breaker open for " + breaker.getName()));
    }
    long started = System.nanoTime();
    return call.get().onComplete(ar -> {
      long elapsed = System.nanoTime() - started;
      if (ar.succeeded()) {
        breaker.onResult(elapsed, TimeUnit.NANOSECONDS, ar.result());
      } else {
        breaker.onError(elapsed, TimeUnit.NANOSECONDS, ar.cause());
      }
    });
  }
}
