package io.trawl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.CrawlJob;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM started by {@link TrawlProcess} is watched for blocked event loops as closely as this one. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrawlProcessTest {
  @TempDir Path dir;

  @Test
  void failsWhenTheChildBlockedAnEventLoop() throws Exception {
    try (TrawlProcess child = TrawlProcess.startMain("64m", dir.resolve("child.log"), BlocksAnEventLoop.class.getName())) {
      assertThatThrownBy(() -> child.exitCode(Duration.ofSeconds(30)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("blocked in the child process");
      assertThat(child.isAlive()).isFalse();
    }
  }

  /** A child main: holds an event loop of a crawl's Vert.x for 400 ms, then exits 0. */
  public static final class BlocksAnEventLoop {
    private BlocksAnEventLoop() {}

    public static void main(String[] args) throws Exception {
      Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
      Promise<Void> held = Promise.promise();
      vertx.runOnContext(v -> {
        BlockedThreadWatchTest.holdTheThread(BlockedThreadWatchTest.BLOCK_MS);
        held.complete();
      });
      Await.result(held.future());
      Await.result(vertx.close());
    }
  }
}
