package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.trawl.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-host circuit breakers driven through {@link VertxResilience#breaker}: which outcomes
 * count as failures, opening, rejecting as circuit_open, the half-open probe after
 * circuit.open_for, closing again. Plain futures, no Vert.x instance; Awaitility for the clock.
 */
class HostBreakersTest {
  private static final long OPEN_FOR_MS = 300;
  private static final String URL = "http://a.test/page";

  private final LogCapture log = LogCapture.of("io.trawl.fetch.HostBreakers", Level.INFO);
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void stopCapturing() {
    log.close();
  }

  private static HostBreakers breakers() {
    TrawlConfig config = ConfigLoader.fromYaml("", Map.of(
        "circuit.failure_rate", "50",
        "circuit.minimum_calls", "4",
        "circuit.open_for", OPEN_FOR_MS + "ms"));
    return new HostBreakers(config.circuit(), config.retry());
  }

  private static FetchResult status(int status) {
    return new FetchResult(URL, URL, status, "text/html", new byte[0], 1, 0, null, null);
  }

  private static Supplier<Future<FetchResult>> failing(FailureKind kind) {
    return () -> Future.failedFuture(new CrawlException(kind, URL, "scripted"));
  }

  private static Supplier<Future<FetchResult>> answering(int status) {
    return () -> Future.succeededFuture(status(status));
  }

  /** One call through the breaker; counts the calls it let through. */
  private Future<FetchResult> call(CircuitBreaker breaker, Supplier<Future<FetchResult>> outcome) {
    return VertxResilience.breaker(breaker, URL, () -> {
      calls.incrementAndGet();
      return outcome.get();
    });
  }

  private static boolean rejected(Future<?> future) {
    return future.failed() && FailureKind.of(future.cause()).equals(FailureKind.CIRCUIT_OPEN);
  }

  /** Opens {@code breaker}: two answers and two timeouts, half of circuit.minimum_calls failed. */
  private void open(CircuitBreaker breaker) {
    call(breaker, answering(200));
    call(breaker, failing(FailureKind.TIMEOUT));
    call(breaker, answering(200));
    assertThat(breaker.getState()).as("below circuit.minimum_calls").isEqualTo(CircuitBreaker.State.CLOSED);
    call(breaker, failing(FailureKind.TIMEOUT));
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void opensAtTheFailureRateOnceMinimumCallsAreSeenAndRejectsWithoutCalling() {
    CircuitBreaker breaker = breakers().of("a.test");
    open(breaker);

    Future<FetchResult> refused = call(breaker, answering(200));

    assertThat(rejected(refused)).isTrue();
    assertThat(calls.get()).isEqualTo(4);
  }

  @Test
  void countsRetryableStatusesAndNetworkFailuresButNotVerdicts() {
    HostBreakers breakers = breakers();
    CircuitBreaker unavailable = breakers.of("unavailable.test");
    CircuitBreaker missing = breakers.of("missing.test");
    CircuitBreaker tooLarge = breakers.of("too-large.test");
    CircuitBreaker resets = breakers.of("resets.test");
    for (int i = 0; i < 4; i++) {
      call(unavailable, answering(503));
      call(missing, answering(404));
      call(tooLarge, failing(FailureKind.TOO_LARGE));
      call(resets, failing(FailureKind.RESET));
    }

    assertThat(unavailable.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(resets.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(missing.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(tooLarge.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void judgesEachHostOnItsOwn() {
    HostBreakers breakers = breakers();
    open(breakers.of("a.test"));

    assertThat(breakers.of("a.test").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(rejected(call(breakers.of("b.test"), answering(200)))).isFalse();
  }

  @Test
  void letsOneProbeThroughAfterOpenForAndClosesWhenItSucceeds() {
    CircuitBreaker breaker = breakers().of("a.test");
    // Taken before the breaker opens, so a pause of this thread cannot shorten the wait measured.
    long beforeOpening = System.nanoTime();
    open(breaker);
    Promise<FetchResult> probe = Promise.promise();

    await().atMost(Duration.ofSeconds(5)).until(() -> !rejected(call(breaker, probe::future)));
    long waitedMs = (System.nanoTime() - beforeOpening) / 1_000_000;

    assertThat(waitedMs).isGreaterThanOrEqualTo(OPEN_FOR_MS - 1);
    assertThat(calls.get()).isEqualTo(5);
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    // While the probe is out, nothing else goes.
    assertThat(rejected(call(breaker, answering(200)))).isTrue();
    probe.complete(status(200));
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(rejected(call(breaker, answering(200)))).isFalse();
    // Logged once as it opens and once as it closes, nothing for the half-open step in between.
    assertThat(log.lines()).hasSize(2).allMatch(line -> line.contains("host=a.test"));
    assertThat(log.lines().get(0)).startsWith("WARN");
    assertThat(log.lines().get(1)).startsWith("INFO");
  }

  @Test
  void opensAgainWhenTheProbeFails() {
    CircuitBreaker breaker = breakers().of("a.test");
    open(breaker);

    await().atMost(Duration.ofSeconds(5)).until(() -> !rejected(call(breaker, answering(503))));

    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(rejected(call(breaker, answering(200)))).isTrue();
  }
}
