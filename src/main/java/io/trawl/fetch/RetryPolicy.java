package io.trawl.fetch;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * What is retried and how long to wait, built once from {@code retry.*}: exponential backoff with
 * jitter on network failures and on the configured statuses, never on other 4xx. A response that
 * carries a readable {@code Retry-After} is not retried here: the URL goes back to the frontier
 * with a not-before, so no fetcher is held while the server asks us to wait. Thread-safe.
 */
final class RetryPolicy {
  private static final double JITTER = 0.5;

  private final TrawlConfig.Retry config;
  private final Set<Integer> statuses;
  private final Retry[] byRemaining;
  private final IntervalFunction backoff;

  RetryPolicy(TrawlConfig.Retry config) {
    this.config = config;
    this.statuses = Set.copyOf(config.statuses());
    this.byRemaining = new Retry[config.maxAttempts() + 1];
    this.backoff = IntervalFunction.ofExponentialRandomBackoff(
        config.initialDelay(), config.multiplier(), JITTER, config.maxDelay());
    for (int remaining = 1; remaining <= config.maxAttempts(); remaining++) {
      byRemaining[remaining] = Retry.of("fetch-" + remaining, RetryConfig.<FetchResult>custom()
          .maxAttempts(remaining)
          .intervalFunction(backoff)
          .retryOnException(err -> retryable(FailureKind.of(err)))
          .retryOnResult(result -> retriesHere(result))
          .failAfterMaxAttempts(false)
          .build());
    }
  }

  /** The backoff before try {@code attempt + 1}, with jitter, for waits the frontier keeps. */
  long backoffMs(int attempt) {
    return backoff.apply(Math.max(1, attempt));
  }

  int maxAttempts() {
    return config.maxAttempts();
  }

  /** A retry allowing the attempts left after {@code attemptsMade}; at least one. */
  Retry retryFor(int attemptsMade) {
    int remaining = Math.max(1, config.maxAttempts() - attemptsMade);
    return byRemaining[remaining];
  }

  boolean retryable(FailureKind kind) {
    return kind.retryable() && !kind.equals(FailureKind.CIRCUIT_OPEN);
  }

  /** A status the policy retries (429, 5xx by default). */
  boolean retryableStatus(int status) {
    return statuses.contains(status);
  }

  /** A Retry-After that cannot be read is no instruction: such a status is retried here like any other. */
  private boolean retriesHere(FetchResult result) {
    return retryableStatus(result.status()) && retryAtMs(result.retryAfter(), System.currentTimeMillis()) == 0;
  }

  /**
   * Epoch millis at which a response's {@code Retry-After} allows the next try, capped by
   * {@code retry.max_delay}; 0 when the header is absent or unreadable.
   */
  long retryAtMs(String retryAfter, long nowMs) {
    if (retryAfter == null || retryAfter.isBlank()) {
      return 0;
    }
    long waitMs;
    String value = retryAfter.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      waitMs = value.length() > 9 ? Long.MAX_VALUE / 2 : Long.parseLong(value) * 1000;
    } else {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        waitMs = at.toEpochMilli() - nowMs;
      } catch (DateTimeParseException e) {
        return 0;
      }
    }
    return nowMs + Math.max(1, Math.min(waitMs, config.maxDelay().toMillis()));
  }
}
