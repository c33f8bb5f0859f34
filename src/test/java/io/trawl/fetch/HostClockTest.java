package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The turns of {@link HostClock} on a clock the test moves by hand; the gaps themselves are measured in PolitenessIT. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HostClockTest {
  private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);
  private final AtomicLong now = new AtomicLong(1_000);
  private final HostClock clock = new HostClock(now::get);

  @Test
  void oneRequestOfAHostHoldsTheTurnUntilItIsSentOrGivesItUp(Vertx vertx) {
    HostClock.Turn first = Await.result(clock.turn(vertx, "a:80", 0));
    Future<HostClock.Turn> second = clock.turn(vertx, "a:80", 0);
    Future<HostClock.Turn> third = clock.turn(vertx, "a:80", 0);
    HostClock.Turn otherHost = Await.result(clock.turn(vertx, "b:80", HOUR_NANOS));

    assertThat(second.isComplete()).isFalse();
    first.release();
    HostClock.Turn granted = Await.result(second);
    assertThat(third.isComplete()).as("in line behind the second").isFalse();
    granted.sent();
    Await.result(third).sent();
    assertThat(otherHost).isNotNull();
  }

  @Test
  void aSentRequestHoldsTheNextForItsIntervalAndAReleasedOneDoesNot(Vertx vertx) {
    Await.result(clock.turn(vertx, "a:80", HOUR_NANOS)).release();
    HostClock.Turn afterRelease = Await.result(clock.turn(vertx, "a:80", HOUR_NANOS));
    afterRelease.sent();
    Future<HostClock.Turn> next = clock.turn(vertx, "a:80", HOUR_NANOS);

    Await.result(vertx.timer(50));
    assertThat(next.isComplete()).as("an hour to wait on the clock").isFalse();
  }

  @Test
  void forgetsHostsNobodyWaitsForOnceItKnowsTooMany(Vertx vertx) {
    for (int i = 0; i < HostClock.PRUNE_ABOVE + 10; i++) {
      Await.result(clock.turn(vertx, "h" + i + ":80", 1)).sent();
      now.addAndGet(10);
    }

    assertThat(clock.hosts()).isLessThan(HostClock.PRUNE_ABOVE);
  }
}
