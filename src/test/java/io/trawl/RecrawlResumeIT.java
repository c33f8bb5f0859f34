package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.bench.GeneratedSite;
import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.CrawlFiles;
import io.trawl.testing.Db;
import io.trawl.testing.TestBackend;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A recrawl killed (SIGKILL) in the middle and finished with {@code --resume} neither skips nor
 * repeats: every page has exactly one version in the recrawl's pass, the tenth of the site that
 * changed is counted changed and the rest unchanged, and only the pages in flight at the kill are
 * requested twice. On both store backends.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RecrawlResumeIT {
  private static final int PAGES = 5_000;
  private static final int CONCURRENCY = 16;

  @Parameter TestBackend backend;
  @TempDir Path dir;
  private Vertx vertx;
  private GeneratedSite site;
  private Path config;
  private String db;

  @BeforeEach
  void startSite() throws Exception {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = Await.result(new GeneratedSite(vertx, PAGES, 1500, 8, 0).withValidators().start());
    db = backend.freshDatabase(dir);
    config = CrawlFiles.config(dir, db, """
        crawl:
          max_depth: 1000
        fetch:
          concurrency: %d
          per_host_concurrency: %d
          per_host_rate: 100000/s
        """.formatted(CONCURRENCY, CONCURRENCY), site.url(0));
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  private long versionsOfRun(long run) {
    return Db.count(db, "SELECT count(*) FROM page_versions WHERE crawl_id = " + run);
  }

  @Test
  void aKilledRecrawlResumesWithoutSkippingOrRepeatingAPage() throws Exception {
    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(PAGES);
    int edited = site.edit(10);
    long requestsBefore = site.requests();

    try (TrawlProcess recrawl = TrawlProcess.start("256m", dir.resolve("recrawl.log"), "crawl", "-c", config.toString(),
        "--recrawl")) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> versionsOfRun(2) >= 1000);
      recrawl.kill();
    }
    long storedAtKill = versionsOfRun(2);
    assertThat(storedAtKill).as(Files.readString(dir.resolve("recrawl.log"))).isLessThan(PAGES);

    assertThat(Main.run("crawl", "-c", config.toString(), "--resume")).isEqualTo(Main.OK);

    assertThat(Db.count(db, "SELECT count(*) FROM page_versions WHERE crawl_id >= 2")).as("one version per page")
        .isEqualTo(PAGES);
    assertThat(Db.count(db, "SELECT count(DISTINCT url) FROM page_versions WHERE crawl_id >= 2")).isEqualTo(PAGES);
    assertThat(versionsOfRun(2)).isEqualTo(storedAtKill);
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state <> 'done'")).isZero();
    Map<String, Long> changes = Db.rows(db, "SELECT change, count(*) n FROM page_versions WHERE crawl_id >= 2 GROUP BY change")
        .stream().collect(Collectors.toMap(r -> (String) r.get("change"), r -> ((Number) r.get("n")).longValue()));
    assertThat(changes).containsOnly(Map.entry("changed", (long) edited), Map.entry("unchanged", (long) PAGES - edited));
    long refetched = site.requests() - requestsBefore - PAGES - 2; // and robots.txt once a run
    assertThat(refetched).as("pages requested twice (in flight at the kill)").isBetween(0L, 2L * CONCURRENCY);
    assertThat(Db.rows(db, "SELECT kind, outcome FROM crawls ORDER BY id"))
        .extracting(r -> r.get("kind") + " " + r.get("outcome"))
        .containsExactly("crawl finished", "recrawl null", "resume finished");
  }
}
