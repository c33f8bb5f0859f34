package io.trawl.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.CrawlJob;
import io.trawl.Extensions;
import io.trawl.bench.GeneratedSite;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.trawl.metrics.CrawlMetrics;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.OpenPage;
import io.trawl.testing.SharedChromium;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard of a real crawl in a real headless Chromium: no console error, its counter
 * moves while the crawl runs, its charts draw, and at the end it shows the database's count. Its
 * screenshot is kept as target/dashboard-browser.png. Skipped, with the reason, where there is no
 * Chromium.
 */
@ExtendWith({VertxExtension.class, SharedChromium.class})
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardBrowserIT {
  private static final int PAGES = 600;
  private static final String STORED = "document.getElementById('stored').textContent";

  @TempDir Path dir;

  @Test
  void itsCounterMovesWhileTheCrawlRunsAndEndsAtTheDatabasesCount(Vertx vertx, SharedChromium.Endpoint chromium)
      throws Exception {
    // 40 ms a response, 4 at a time: about six seconds of crawl to watch.
    GeneratedSite site = Await.result(new GeneratedSite(vertx, PAGES, 2000, 8, 40).start());
    List<String> seeds = List.of(site.url(0), "http://127.0.0.1:" + site.port() + "/missing");
    TrawlConfig config = ConfigLoader.load(null, Map.of(
        "crawl.db", dir.resolve("trawl.db").toString(),
        "crawl.max_depth", "50",
        "crawl.ui", "127.0.0.1:0",
        "fetch.concurrency", "4",
        "fetch.per_host_concurrency", "4",
        "fetch.per_host_rate", "100000/s"));
    Vertx crawlVertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      CrawlJob job = new CrawlJob(crawlVertx, config, seeds, Scope.of(config.crawl(), seeds), false,
          Extensions.NONE, CrawlMetrics.forConfig(config));
      Await.result(job.start());
      try (OpenPage page = OpenPage.open(vertx, chromium, "http://127.0.0.1:" + job.uiPort() + "/", 1200, 1000)) {
        long first = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> shown(page.evaluate(STORED)), n -> n > 0);
        long later = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> shown(page.evaluate(STORED)), n -> n > first);
        boolean movedWhileRunning = !job.finished().isComplete();

        Await.result(job.finished());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> page.evaluate("document.getElementById('state').textContent"), "finished: done"::equals);

        assertThat(movedWhileRunning).as("the counter moved from %d to %d while the crawl ran", first, later).isTrue();
        long stored = Db.count(config.crawl().db(), "SELECT count(*) FROM pages");
        assertThat(stored).isEqualTo(PAGES + 1);
        assertThat(page.evaluate(STORED)).isEqualTo(String.format(Locale.US, "%,d", stored));
        assertThat(page.evaluate("document.getElementById('failed').textContent")).isEqualTo("1");
        assertThat(page.evaluate("document.querySelector('#failures-table td.url').textContent"))
            .isEqualTo("http://127.0.0.1:" + site.port() + "/missing");
        assertThat(page.evaluate("document.querySelector('#hosts-table td').textContent"))
            .isEqualTo("127.0.0.1:" + site.port());
        assertThat(page.paintedPixelsPerCanvas()).as("pages/s, errors and queue charts").hasSize(3).allMatch(n -> n > 0);
        page.screenshot(Path.of("target/dashboard-browser.png"));
        assertThat(page.errors()).as("console errors, exceptions, failed loads").isEmpty();
      }
    } finally {
      Await.result(crawlVertx.close());
    }
  }

  private static long shown(Object text) {
    String digits = String.valueOf(text).replace(",", "");
    return digits.matches("[0-9]+") ? Long.parseLong(digits) : -1;
  }
}
