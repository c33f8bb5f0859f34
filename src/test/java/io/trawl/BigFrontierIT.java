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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A frontier of over a million discovered URLs stays within the README's heap budget under the
 * launcher's JVM flags: the queue lives in SQLite with only a window in memory, and dedup is the
 * table's unique index plus a bounded fingerprint set.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BigFrontierIT {
  /**
   * The README's bound. Measured with the launcher's flags: 85-86 MB (2026-12-03), 95 MB before the
   * SQLite writer kept URL ids and 114-124 MB with them (2026-12-05); with the whole frontier paged
   * into memory (the window raised from 20,000 rows to 2 million) it read 246 MB.
   */
  private static final long PEAK_HEAP_BUDGET_MB = 150;

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
      try (TrawlProcess crawl = TrawlProcess.startLikeLauncher(log, Main.class.getName(),
          "crawl", "-c", config.toString())) {
        // 1.5-2 min alone on the 2-core VM; 4 min was too little beside the other test JVM at load 14.
        assertThat(crawl.exitCode(Duration.ofSeconds(480))).as(crawl.output()).isEqualTo(Main.OK);
        output = crawl.output();
      }

      assertThat(Db.count(db, "SELECT count(*) FROM frontier")).isGreaterThan(1_000_000);
      assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(5000);
      Matcher peak = Pattern.compile("peak heap (\\d+) MB").matcher(output);
      assertThat(peak.find()).as(output).isTrue();
      LoggerFactory.getLogger(BigFrontierIT.class).warn(
          "1M frontier with the launcher's flags (-Xmx512m): peak heap {} MB (budget {} MB)", peak.group(1),
          PEAK_HEAP_BUDGET_MB);
      assertThat(Long.parseLong(peak.group(1))).as(output).isLessThanOrEqualTo(PEAK_HEAP_BUDGET_MB);
    } finally {
      Await.result(vertx.close());
    }
  }
}
