package io.trawl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.CrawlJob;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guard against blocked event loops is live in the test JVM: an event-loop task that runs for
 * 400 ms of CPU (a fifth of Vert.x's own 2 s limit), or sleeps 400 ms, is reported as blocking, on
 * the Vert.x the tests are given and on a crawl's. Were the limit back at 2 s, the logger renamed,
 * or the verdict blind to CPU or to waiting, these would fail.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlockedThreadWatchTest {
  static final long BLOCK_MS = 400;

  /**
   * Runs {@code task} on {@code vertx}'s event loop and returns the blocking warnings it caused, all
   * of them: the checker warns again at each check while the task runs, so they are taken once it
   * has ended and the checker has had time for a last look.
   */
  private static List<String> blockingWarningsOf(Vertx vertx, Runnable task) {
    Promise<Void> ended = Promise.promise();
    vertx.runOnContext(v -> {
      task.run();
      ended.complete();
    });
    Await.result(ended.future());
    List<String> warnings = new ArrayList<>();
    await().atMost(Duration.ofSeconds(10)).until(() -> warnings.addAll(BlockedThreadWatch.take()) || !warnings.isEmpty());
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
        .until(() -> warnings.addAll(BlockedThreadWatch.take()) || true);
    return warnings;
  }

  @Test
  void catchesATaskRunningAFewHundredMillisecondsOnTheTestsVertx(Vertx vertx) {
    assertThat(blockingWarningsOf(vertx, () -> busyFor(BLOCK_MS))).first().asString().contains("has been blocked for");
  }

  @Test
  void catchesATaskRunningAFewHundredMillisecondsOnACrawlsVertx() {
    Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      assertThat(blockingWarningsOf(vertx, () -> busyFor(BLOCK_MS))).first().asString()
          .contains("has been blocked for");
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void catchesATaskWaitingAFewHundredMillisecondsWithoutCpu(Vertx vertx) {
    List<String> warnings = blockingWarningsOf(vertx, () -> {
      try {
        Thread.sleep(BLOCK_MS); // the blocking call under test, on purpose on the event loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    assertThat(warnings).first().asString().contains("java.lang.Thread.sleep");
  }

  /** Runs on the CPU for {@code cpuMs} of this thread's own CPU time, however long that takes on a busy machine. */
  static void busyFor(long cpuMs) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long until = threads.getCurrentThreadCpuTime() + TimeUnit.MILLISECONDS.toNanos(cpuMs);
    while (threads.getCurrentThreadCpuTime() < until) {
      Thread.onSpinWait();
    }
  }
}
