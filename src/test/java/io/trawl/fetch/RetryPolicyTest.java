package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.ConfigLoader;
import io.trawl.core.FailureKind;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RetryPolicy} as the README's "Retries" describes it: {@code retry.initial_delay} x
 * {@code retry.multiplier}^n with jitter, never past {@code retry.max_delay}; Retry-After read as
 * seconds or an HTTP date, capped, and ignored when it cannot be read. Plain values, no Vert.x.
 */
class RetryPolicyTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final int SAMPLES = 2_000;

  private static RetryPolicy policy(String initialDelay, String multiplier, String maxDelay) {
    return new RetryPolicy(ConfigLoader.fromYaml("", Map.of(
        "retry.initial_delay", initialDelay,
        "retry.multiplier", multiplier,
        "retry.max_delay", maxDelay,
        "retry.max_attempts", "5")).retry());
  }

  private static LongSummaryStatistics backoffs(RetryPolicy policy, int attempt) {
    return IntStream.range(0, SAMPLES).mapToLong(i -> policy.backoffMs(attempt)).summaryStatistics();
  }

  @Test
  void backsOffByTheMultiplierWithJitterOfHalfTheWaitEitherWay() {
    RetryPolicy policy = policy("1s", "2.0", "1h");

    for (int attempt = 1; attempt <= 4; attempt++) {
      long base = 1000L << (attempt - 1);
      LongSummaryStatistics waits = backoffs(policy, attempt);
      assertThat(waits.getMin()).as("shortest wait after try %d", attempt).isGreaterThanOrEqualTo(base / 2);
      assertThat(waits.getMax()).as("longest wait after try %d", attempt).isLessThanOrEqualTo(base * 3 / 2);
      // Jittered, not fixed: over 2,000 draws both ends of the range are reached.
      assertThat(waits.getMin()).as("jitter below %d", base).isLessThan(base * 6 / 10);
      assertThat(waits.getMax()).as("jitter above %d", base).isGreaterThan(base * 14 / 10);
    }
  }

  @Test
  void neverWaitsLongerThanMaxDelayJitterIncluded() {
    RetryPolicy policy = policy("1s", "3.0", "5s");

    // After the second try the base is 3 s, jittered up to 4.5 s; after the third, 9 s, capped.
    assertThat(backoffs(policy, 2).getMax()).isBetween(4_000L, 4_500L);
    for (int attempt = 3; attempt <= 10; attempt++) {
      assertThat(backoffs(policy, attempt).getMax()).as("after try %d", attempt).isLessThanOrEqualTo(5_000);
    }
    assertThat(backoffs(policy, 10).getMin()).isEqualTo(5_000);
  }

  @Test
  void readsRetryAfterInSecondsCappedAtMaxDelay() {
    RetryPolicy policy = policy("1s", "2.0", "30s");

    assertThat(policy.retryAtMs("5", NOW)).isEqualTo(NOW + 5_000);
    assertThat(policy.retryAtMs(" 12 ", NOW)).isEqualTo(NOW + 12_000);
    assertThat(policy.retryAtMs("120", NOW)).as("capped").isEqualTo(NOW + 30_000);
    assertThat(policy.retryAtMs("99999999999999999999", NOW)).as("too long for a long").isEqualTo(NOW + 30_000);
    assertThat(policy.retryAtMs("0", NOW)).as("at once, yet still the server's answer").isEqualTo(NOW + 1);
  }

  @Test
  void readsRetryAfterAsAnHttpDateCappedAtMaxDelay() {
    RetryPolicy policy = policy("1s", "2.0", "30s");
    ZonedDateTime now = ZonedDateTime.ofInstant(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    DateTimeFormatter http = DateTimeFormatter.RFC_1123_DATE_TIME;

    assertThat(policy.retryAtMs(http.format(now.plusSeconds(20)), NOW)).isEqualTo(NOW + 20_000);
    assertThat(policy.retryAtMs(http.format(now.plusHours(1)), NOW)).as("capped").isEqualTo(NOW + 30_000);
    // NOW is 2027-01-15T08:00:00Z.
    assertThat(policy.retryAtMs("Fri, 15 Jan 2027 08:00:10 GMT", NOW)).isEqualTo(NOW + 10_000);
  }

  @Test
  void aRetryAfterDateInThePastAllowsTheNextTryAtOnce() {
    RetryPolicy policy = policy("1s", "2.0", "30s");

    assertThat(policy.retryAtMs("Thu, 01 Jan 1970 00:00:00 GMT", NOW)).isEqualTo(NOW + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "soon", "-5", "1.5", "5s", "2027-01-15T08:00:00Z", "Fri, 32 Jan 2027 08:00:00 GMT"})
  void ignoresARetryAfterItCannotRead(String header) {
    RetryPolicy policy = policy("1s", "2.0", "30s");

    assertThat(policy.retryAtMs(header, NOW)).isZero();
    assertThat(policy.retryAtMs(null, NOW)).isZero();
  }

  @Test
  void retriesNetworkFailuresAndTheConfiguredStatusesOnly() {
    RetryPolicy policy = policy("1s", "2.0", "30s");

    assertThat(policy.retryable(FailureKind.TIMEOUT)).isTrue();
    assertThat(policy.retryable(FailureKind.CONNECT)).isTrue();
    assertThat(policy.retryable(FailureKind.RESET)).isTrue();
    assertThat(policy.retryable(FailureKind.DNS)).isFalse();
    assertThat(policy.retryable(FailureKind.TOO_LARGE)).isFalse();
    assertThat(policy.retryable(FailureKind.CIRCUIT_OPEN)).as("the host waits instead").isFalse();
    assertThat(IntStream.of(429, 500, 502, 503, 504)).allMatch(policy::retryableStatus);
    assertThat(IntStream.of(400, 401, 403, 404, 410, 501)).noneMatch(policy::retryableStatus);
  }
}
