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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The database stops taking writes in the middle of a crawl: the crawl fails as a whole (exit 1),
 * what it reported stored is still there, and {@code --resume}, once the database can grow again,
 * ends the crawl with every page stored once. The writes fail on the process's file size limit,
 * which, unlike a file's mode, also stops root.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StoreFailureIT {
  private static final int PAGES = 1_500;

  @TempDir Path dir;
  private Vertx vertx;
  private GeneratedSite site;
  private Path config;
  private Path db;

  @BeforeEach
  void startSite() throws Exception {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = Await.result(new GeneratedSite(vertx, PAGES, 2000, 8, 0).start());
    db = dir.resolve("trawl.db");
    Files.writeString(dir.resolve("seeds.txt"), site.url(0) + "\n");
    config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: %s
          max_depth: 1000
        fetch:
          concurrency: 8
          per_host_concurrency: 8
          per_host_rate: 100000/s
        """.formatted(dir.resolve("seeds.txt"), db));
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  @Test
  void aDatabaseThatCannotBeWrittenMidCrawlFailsTheCrawlWithExit1AndLosesNothingStored() throws Exception {
    try (TrawlProcess crawl = TrawlProcess.startLimitingFileSize(1024, dir.resolve("crawl.log"),
        "crawl", "-c", config.toString())) {
      assertThat(crawl.exitCode(Duration.ofSeconds(120))).as(crawl.output()).isEqualTo(Main.FAILED);
      assertThat(crawl.output()).contains("crawl failed");
    }
    assertThat(Db.rows(db, "PRAGMA integrity_check")).extracting(r -> r.values().iterator().next()).containsExactly("ok");
    Set<String> stored = new HashSet<>();
    Db.rows(db, "SELECT url FROM pages").forEach(r -> stored.add((String) r.get("url")));
    assertThat(stored.size()).as("the crawl had stored pages before the database stopped growing")
        .isPositive().isLessThan(PAGES);
    LoggerFactory.getLogger(StoreFailureIT.class).warn("the database stopped growing after {} pages", stored.size());

    assertThat(Main.run("crawl", "-c", config.toString(), "--resume")).isEqualTo(Main.OK);

    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(PAGES);
    assertThat(Db.count(db, "SELECT count(DISTINCT url) FROM pages")).isEqualTo(PAGES);
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE error IS NOT NULL")).isZero();
    Set<String> after = new HashSet<>();
    Db.rows(db, "SELECT url FROM pages").forEach(r -> after.add((String) r.get("url")));
    assertThat(after).containsAll(stored);
    assertThat(Db.rows(db, "SELECT outcome FROM crawls ORDER BY id")).extracting(r -> r.get("outcome"))
        .last().isEqualTo("finished");
  }
}
