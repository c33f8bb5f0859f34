package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.GcLog;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Pages of nested tags, each of which Jsoup would turn into a document of over 600 MB, crawled
 * under the launcher's heap and JVM flags: each ends as a {@code too_complex} row, the crawl goes
 * on to the other pages and ends with exit 0, and nothing runs out of memory or blocks an event
 * loop.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ParseBudgetIT {
  /** Under fetch.max_body_size (10 MB), so the fetch keeps it and the parse must cope. */
  private static final String NESTED = "<html><title>deep</title>" + "<b>".repeat(3_333_000);
  private static final int NESTED_PAGES = 4;
  private static final int ORDINARY_PAGES = 20;

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    Buffer nested = Buffer.buffer(NESTED);
    String links = IntStream.range(0, NESTED_PAGES).mapToObj(i -> "<a href=\"/nested/" + i + "\">n</a>")
        .collect(Collectors.joining()) + IntStream.range(0, ORDINARY_PAGES)
        .mapToObj(i -> "<a href=\"/ok/" + i + "\">o</a>").collect(Collectors.joining());
    site = new ScriptedSite(vertx).page("/", "<title>home</title>" + links);
    for (int i = 0; i < NESTED_PAGES; i++) {
      site.route("/nested/" + i, req -> req.response().putHeader("content-type", "text/html").end(nested));
    }
    for (int i = 0; i < ORDINARY_PAGES; i++) {
      site.page("/ok/" + i, "<title>ok " + i + "</title><p>" + "text ".repeat(2_000) + "</p>");
    }
    site.start();
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  @Test
  void pagesOfNestedTagsEndAsTooComplexAndTheCrawlGoesOn() throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
    Path db = dir.resolve("trawl.db");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: %s
        fetch:
          per_host_concurrency: 8
          per_host_rate: 1000/s
        """.formatted(dir.resolve("seeds.txt"), db));
    Path log = dir.resolve("crawl.log");
    Path gcLog = dir.resolve("gc.log");

    String output;
    try (TrawlProcess crawl = TrawlProcess.startLikeLauncher(log, List.of(GcLog.flag(gcLog)), Main.class.getName(),
        "crawl", "-c", config.toString())) {
      assertThat(crawl.exitCode(Duration.ofSeconds(240))).as(Files.readString(log, StandardCharsets.UTF_8))
          .isEqualTo(Main.OK);
      output = crawl.output();
    }
    assertThat(output).doesNotContain("OutOfMemoryError");
    assertThat(Db.rows(db, "SELECT coalesce(error, 'ok') error, count(*) n FROM pages GROUP BY 1 ORDER BY 1"))
        .containsExactly(Map.of("error", "ok", "n", 1 + ORDINARY_PAGES), Map.of("error", "too_complex", "n", NESTED_PAGES));
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE url LIKE '%/nested/%' AND status = 200 AND bytes = "
        + NESTED.length())).isEqualTo(NESTED_PAGES);
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state NOT IN ('done', 'failed')")).isZero();
    LoggerFactory.getLogger(ParseBudgetIT.class).warn("{} pages of {} MB of nested <b> under the launcher's heap: "
        + "live heap after full GCs at most {} MB ({} full GCs); {}", NESTED_PAGES, NESTED.length() / 1_000_000,
        GcLog.maxLiveAfterFullGcMb(gcLog), GcLog.fullCollections(gcLog),
        output.lines().filter(line -> line.contains("peak heap")).findFirst().orElse(""));
  }
}
