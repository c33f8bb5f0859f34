package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.trawl.testing.TrawlProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeds file that never ends ({@code --set crawl.seeds=/dev/zero}) is refused as bad input in a
 * child JVM with a small heap, instead of reading until the heap runs out (issue 11, item 11).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrawlCommandSeedsTest {
  @TempDir Path dir;

  @Test
  void refusesAnEndlessSeedsFileWithExit2NamingTheFileAndTheCap() throws Exception {
    Path endless = Path.of("/dev/zero");
    assumeTrue(Files.isReadable(endless), "needs /dev/zero");
    Path config = Files.writeString(dir.resolve("config.yaml"), "");
    Path log = dir.resolve("crawl.log");

    String output;
    try (TrawlProcess crawl = TrawlProcess.start("64m", log, "crawl", "-c", config.toString(),
        "--db", dir.resolve("trawl.db").toString(), "--set", "crawl.seeds=" + endless)) {
      assertThat(crawl.exitCode(Duration.ofSeconds(50))).as(crawl.output()).isEqualTo(Main.BAD_INPUT);
      output = crawl.output();
    }
    assertThat(output).contains("/dev/zero").contains(String.valueOf(8192)).doesNotContain("OutOfMemoryError");
    assertThat(dir.resolve("trawl.db")).as("nothing was created").doesNotExist();
  }
}
