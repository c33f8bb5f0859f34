package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bench.GeneratedSite;
import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A frontier of over a million discovered URLs fits the launcher's default heap: the queue lives in
 * SQLite with only a window in memory, and dedup is the table's unique index plus a fixed-size
 * fingerprint set.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BigFrontierIT {
  @TempDir Path dir;

  @Test
  void aMillionUrlFrontierStaysWithinTheDefaultHeap() throws Exception {
    Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      GeneratedSite site = Await.result(new GeneratedSite(vertx, 3_000_000, 600, 320, 0).start());
      Path db = dir.resolve("big.db");
      Files.writeString(dir.resolve("seeds.txt"), site.url(0) + "\n");
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, """
          crawl:
            seeds: %s
            db: %s
            max_depth: 1000
            max_pages: 5000
          fetch:
            concurrency: 32
            per_host_concurrency: 32
            per_host_rate: 100000/s
          """.formatted(dir.resolve("seeds.txt"), db));
      Path log = dir.resolve("crawl.log");

      String output;
      try (TrawlProcess crawl = TrawlProcess.start("512m", log, "crawl", "-c", config.toString())) {
        assertThat(crawl.exitCode(Duration.ofSeconds(240))).as(crawl.output()).isEqualTo(Main.OK);
        output = crawl.output();
      }

      assertThat(Db.count(db, "SELECT count(*) FROM frontier")).isGreaterThan(1_000_000);
      assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(5000);
      assertThat(output).doesNotContain("OutOfMemoryError").contains("peak heap");
      LoggerFactory.getLogger(BigFrontierIT.class).warn("1M frontier: {}", output.lines()
          .filter(line -> line.contains("peak heap")).findFirst().orElse(""));
    } finally {
      Await.result(vertx.close());
    }
  }
}
