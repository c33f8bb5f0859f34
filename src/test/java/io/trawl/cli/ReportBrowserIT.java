package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.testing.Db;
import io.trawl.testing.OpenPage;
import io.trawl.testing.SharedChromium;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report opened from its file in a real headless Chromium, offline: no console error, every
 * chart drawn, the figures shown equal to the database's, and page text left as text. Its
 * screenshot is kept as target/report-browser.png. Skipped, with the reason, where there is no
 * Chromium.
 */
@ExtendWith({VertxExtension.class, SharedChromium.class})
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReportBrowserIT {
  @TempDir static Path dir;
  private static String db;
  private static Path report;

  @BeforeAll
  static void crawlAndReport() throws Exception {
    SmallCrawl crawl = SmallCrawl.run(dir);
    db = crawl.copyWith(dir.resolve("with-item.db"),
        "INSERT INTO items (page_url, rule, data, extracted_at) VALUES (?, 'quotes', ?, '2026-01-01T00:00:00Z')",
        crawl.home, new JsonObject().put("text", ReportCommandTest.HOSTILE).encode());
    report = dir.resolve("report.html");
    SmallCrawl.Result result = SmallCrawl.execute("report", "--db", db, "-o", report.toString());
    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
  }

  @Test
  void drawsItsChartsAndShowsTheDatabasesFiguresWithoutAnError(Vertx vertx, SharedChromium.Endpoint chromium)
      throws Exception {
    try (OpenPage page = OpenPage.open(vertx, chromium, report.toUri().toString(), 1200, 900)) {
      assertThat(page.evaluate("document.body.getAttribute('data-drawn')")).isEqualTo("true");

      assertThat(page.paintedPixelsPerCanvas()).as("throughput, status and depth charts").hasSize(3).allMatch(n -> n > 0);
      assertThat(page.evaluate("document.getElementById('total-pages').textContent"))
          .isEqualTo(String.format(Locale.US, "%,d", Db.count(db, "SELECT count(*) FROM pages")));
      assertThat(page.evaluate("document.getElementById('total-failed').textContent"))
          .isEqualTo(String.valueOf(Db.count(db, "SELECT count(*) FROM pages WHERE error IS NOT NULL")));
      assertThat(page.evaluate("document.getElementById('total-hosts').textContent")).isEqualTo("2");
      assertThat(page.evaluate("Array.from(document.querySelectorAll('#errors tr')).map(r => r.cells[0].textContent + '=' + r.cells[1].textContent).sort().join()"))
          .isEqualTo("connect=1,http_404=1");
      assertThat(page.evaluate("Array.from(document.querySelectorAll('#statuses tr')).map(r => r.cells[0].textContent + '=' + r.cells[1].textContent).join()"))
          .isEqualTo("200=3,404=1,no response=1");
      assertThat((String) page.evaluate("document.querySelector('#rules pre').textContent"))
          .as("page text stays text").contains(ReportCommandTest.HOSTILE);
      assertThat(page.evaluate("document.title")).isEqualTo("trawl report: " + db);
      page.screenshot(Path.of("target/report-browser.png"));
      assertThat(page.errors()).as("console errors, exceptions, failed loads").isEmpty();
    }
  }
}
