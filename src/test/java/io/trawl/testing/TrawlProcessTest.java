package io.trawl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.CrawlJob;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM started by {@link TrawlProcess} is watched for blocked event loops: any block past
 * its warm-up at the test run's limit, and a longer one during the warm-up too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrawlProcessTest {
  private static final Instant STARTED = ZonedDateTime.of(2026, 12, 3, 23, 59, 55, 0, ZoneId.systemDefault()).toInstant();

  @TempDir Path dir;

  /** A warning line as the child logs it, {@code secondsAfterStart} after {@link #STARTED}. */
  private static String warning(double secondsAfterStart, long blockedMs) {
    String time = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
        .format(STARTED.plusMillis((long) (secondsAfterStart * 1000)).atZone(ZoneId.systemDefault()));
    return time + " WARN  [vertx-blocked-thread-checker] BlockedThreadChecker - Thread vert.x-eventloop-thread-3 "
        + "has been blocked for " + blockedMs + " ms, time limit is 200 ms";
  }

  @Test
  void toleratesOnlyShortBlocksThatBeganInTheWarmUp() {
    assertThat(TrawlProcess.isWarmUp(warning(3, 350), STARTED)).isTrue();
    assertThat(TrawlProcess.isWarmUp(warning(30.3, 400), STARTED)).as("began at 29.9 s").isTrue();
    // Past midnight: 23:59:55 + 8 s is 00:00:03 the next day.
    assertThat(TrawlProcess.isWarmUp(warning(8, 300), STARTED)).isTrue();
    assertThat(TrawlProcess.isWarmUp(warning(3, 1_200), STARTED)).as("too long even for a warm-up").isFalse();
    assertThat(TrawlProcess.isWarmUp(warning(32, 250), STARTED)).as("after the warm-up").isFalse();
    assertThat(TrawlProcess.isWarmUp("Thread vert.x-eventloop-thread-0 has been blocked for 250 ms", STARTED))
        .as("a line it cannot read").isFalse();
  }

  @Test
  void toleratesAWarmUpThatTheMachineStretchedButNotOneThatWaited() {
    // The verdict lines of a ResumeIT child at load 37: 206 ms of class loading over 4.5 s.
    assertThat(TrawlProcess.isWarmUp(verdict(4, 4_537, 206), STARTED)).isTrue();
    assertThat(TrawlProcess.isWarmUp(verdict(4, 4_537, 1_100), STARTED)).as("too much CPU even for a warm-up").isFalse();
    assertThat(TrawlProcess.isWarmUp(verdict(4, 4_537, 3), STARTED)).as("waited in a blocking call").isFalse();
    assertThat(TrawlProcess.isWarmUp(verdict(36, 4_537, 206), STARTED)).as("began after the warm-up").isFalse();
  }

  /** A verdict line of the child's {@link BlockedThreadWatch}, logged {@code secondsAfterStart} after {@link #STARTED}. */
  private static String verdict(double secondsAfterStart, long blockedMs, long cpuMs) {
    String time = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
        .format(STARTED.plusMillis((long) (secondsAfterStart * 1000)).atZone(ZoneId.systemDefault()));
    return time + " " + BlockedThreadWatch.VERDICT + "BLOCKING cpu=" + cpuMs + "ms Thread vert.x-eventloop-thread-3 "
        + "has been blocked for " + blockedMs + " ms, time limit is 200 ms";
  }

  @Test
  void failsWhenTheChildBlockedAnEventLoopLongerThanAWarmUpMay() throws Exception {
    try (TrawlProcess child = TrawlProcess.startMain("64m", dir.resolve("child.log"), BlocksAnEventLoop.class.getName())) {
      assertThatThrownBy(() -> child.exitCode(Duration.ofSeconds(30)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("blocked in the child process");
      assertThat(child.isAlive()).isFalse();
    }
  }

  /** A child main: holds an event loop of a crawl's Vert.x for 1.2 s, then exits 0. */
  public static final class BlocksAnEventLoop {
    private BlocksAnEventLoop() {}

    public static void main(String[] args) throws Exception {
      Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
      Promise<Void> held = Promise.promise();
      vertx.runOnContext(v -> {
        BlockedThreadWatchTest.busyFor(TrawlProcess.WARM_UP_LIMIT_MS + 200);
        held.complete();
      });
      Await.result(held.future());
      Await.result(vertx.close());
    }
  }

  @Test
  void tellsAProcessThatIgnoresSigintFromOneThatDoesNot() throws Exception {
    Process ignoring = new ProcessBuilder("sh", "-c", "trap '' INT; echo ready; exec sleep 60").start();
    Process plain = new ProcessBuilder("sh", "-c", "echo ready; exec sleep 60").start();
    try {
      for (Process p : new Process[] {ignoring, plain}) {
        assertThat(new String(p.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("ready\n");
      }
      assertThat(TrawlProcess.ignoresSigint(ignoring.pid())).isTrue();
      // A child ignores SIGINT also when the tests were started so; then only the first answer tells.
      assertThat(TrawlProcess.ignoresSigint(plain.pid())).isEqualTo(TrawlProcess.ignoresSigint(ProcessHandle.current().pid()));
    } finally {
      ignoring.destroyForcibly();
      plain.destroyForcibly();
    }
  }
}
