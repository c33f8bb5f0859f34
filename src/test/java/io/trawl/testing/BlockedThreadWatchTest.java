package io.trawl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.CrawlJob;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guard against blocked event loops is live in the test JVM: an event-loop task of 400 ms,
 * a fifth of Vert.x's own 2 s limit, is reported, on the Vert.x the tests are given and on a
 * crawl's. Were the limit back at 2 s, or the logger renamed, these would fail.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BlockedThreadWatchTest {
  static final long BLOCK_MS = 400;

  @Test
  void catchesAFewHundredMillisecondsOnTheTestsVertx(Vertx vertx) {
    vertx.runOnContext(v -> holdTheThread(BLOCK_MS));

    await().atMost(Duration.ofSeconds(10)).until(() -> !BlockedThreadWatch.take().isEmpty());
  }

  @Test
  void catchesAFewHundredMillisecondsOnACrawlsVertx() {
    Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      vertx.runOnContext(v -> holdTheThread(BLOCK_MS));

      await().atMost(Duration.ofSeconds(10)).until(() -> BlockedThreadWatch.take().stream()
          .anyMatch(warning -> warning.contains(TrawlProcess.BLOCKED_WARNING)));
    } finally {
      Await.result(vertx.close());
    }
    assertThat(BlockedThreadWatch.take()).allMatch(w -> w.contains(TrawlProcess.BLOCKED_WARNING));
  }

  /** Busy, as a CPU-bound task on an event loop would be. */
  static void holdTheThread(long ms) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }
}
