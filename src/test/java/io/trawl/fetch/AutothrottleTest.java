package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Autothrottle} on a clock the test moves: slower on 429/503 and slow answers, faster again on clean ones. */
class AutothrottleTest {
  private static final long RATE_NANOS = TimeUnit.MILLISECONDS.toNanos(100); // 10/s
  private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
  private final Autothrottle throttle = new Autothrottle(Duration.ofSeconds(2), now::get);

  private long interval() {
    return throttle.intervalNanos("a:80", RATE_NANOS);
  }

  private void answer(int status, long latencyMs) {
    throttle.answered("a:80", RATE_NANOS, status, latencyMs);
    now.addAndGet(interval());
  }

  @Test
  void halvesTheRateOnA429OncePerIntervalAndNeverGoesPastTheSlowestPace() {
    answer(200, 10);
    assertThat(interval()).isEqualTo(RATE_NANOS);

    throttle.answered("a:80", RATE_NANOS, 429, 10);
    throttle.answered("a:80", RATE_NANOS, 429, 10); // an answer to a request already out: no second cut
    assertThat(interval()).isEqualTo(2 * RATE_NANOS);
    for (int i = 0; i < 10; i++) {
      answer(503, 10);
    }
    assertThat(interval()).isEqualTo(TimeUnit.SECONDS.toNanos(2));
  }

  @Test
  void speedsUpAdditivelyOnCleanAnswersBackToTheConfiguredRateAndNoFurther() {
    answer(429, 10);
    answer(429, 10);
    long slowed = interval();
    assertThat(slowed).isEqualTo(4 * RATE_NANOS);

    answer(200, 10);
    assertThat(interval()).isLessThan(slowed).isGreaterThan(RATE_NANOS);
    for (int i = 0; i < 1000; i++) {
      answer(i % 2 == 0 ? 200 : 404, 10);
    }
    assertThat(interval()).isEqualTo(RATE_NANOS);
  }

  @Test
  void slowsDownWhenResponseTimesRiseWellOverTheFastestSeen() {
    for (int i = 0; i < 5; i++) {
      answer(200, 20);
    }
    for (int i = 0; i < 20; i++) {
      answer(200, 2000);
    }

    assertThat(interval()).isGreaterThan(RATE_NANOS);
  }

  @Test
  void reportsEachHostsPaceSlowestFirst() {
    answer(429, 10);
    throttle.answered("b:80", RATE_NANOS, 200, 10);

    JsonObject paces = throttle.paces(10);

    assertThat(paces.fieldNames()).containsExactly("a:80", "b:80");
    assertThat(paces.getJsonObject("a:80").getDouble("perSecond")).isEqualTo(5.0);
    assertThat(paces.getJsonObject("a:80").getDouble("configuredPerSecond")).isEqualTo(10.0);
    assertThat(paces.getJsonObject("a:80").getInteger("slowdowns")).isEqualTo(1);
    assertThat(paces.getJsonObject("b:80").getInteger("slowdowns")).isZero();
  }
}
