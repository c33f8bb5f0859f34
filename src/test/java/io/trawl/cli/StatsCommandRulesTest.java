package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.CrawlJob;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trawl stats} reports what each rule made: its rows, the items extracted and dropped as
 * incomplete and the fields most often empty, summed over the runs of a resumed crawl from what
 * each run wrote in {@code crawls.stats}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StatsCommandRulesTest {
  @TempDir Path dir;

  @Test
  void showsItemsDropsAndEmptyFieldsPerRuleSummedOverRuns() throws Exception {
    Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      // Page 1: three quotes, one without an author (dropped: required) and one without tags.
      // Page 2: two quotes, one without tags, and a broken JSON-LD block.
      ScriptedSite site = new ScriptedSite(vertx).start()
          .page("/", quote("a", "Ann", "x") + quote("b", "", "y") + quote("c", "Cy", "") + "<a href=\"/2\">next</a>")
          .page("/2", quote("d", "Di", "") + quote("e", "Ed", "z")
              + "<script type=\"application/ld+json\">{\"broken\": </script>");
      Path db = dir.resolve("trawl.db");
      Path config = Files.writeString(dir.resolve("config.yaml"), """
          crawl: {db: %s}
          fetch: {per_host_rate: 1000/s}
          rules:
            - name: quotes
              select: div.quote
              fields:
                text: span.text
                author: {css: small.author, required: true}
                tags: {css: a.tag, all: true}
                page_name: {jsonld: '$.name'}
          """.formatted(db));

      assertThat(Main.run("crawl", "-c", config.toString(), "--max-pages", "1", site.url("/"))).isEqualTo(Main.OK);
      assertThat(Main.run("crawl", "-c", config.toString(), "--resume", "--max-pages", "0", site.url("/")))
          .isEqualTo(Main.OK);

      JsonObject secondRun = new JsonObject((String) Db.rows(db, "SELECT stats FROM crawls WHERE id = 2").get(0).get("stats"));
      assertThat(secondRun.getJsonObject("rules").getJsonObject("quotes").getLong("items")).isEqualTo(2);
      assertThat(secondRun.getLong("invalidJsonLd")).isEqualTo(1);

      SmallCrawl.Result stats = SmallCrawl.execute("stats", "--db", db.toString());
      assertThat(stats.code()).as(stats.err()).isEqualTo(Main.OK);
      List<String> lines = stats.out().lines().toList();
      int section = lines.indexOf("== rules");
      assertThat(section).as(stats.out()).isNotNegative();
      assertThat(List.of(lines.get(section + 1).trim().split("\\s{2,}")))
          .containsExactly("rule", "rows", "extracted", "dropped", "most_often_empty");
      // No quote has a JSON-LD name (5), tags are empty on c and d (2), the author on b (1, dropped).
      assertThat(List.of(lines.get(section + 3).trim().split("\\s{2,}")))
          .containsExactly("quotes", "4", "4", "1", "page_name 5, tags 2, author 1");
    } finally {
      Await.result(vertx.close());
    }
  }

  private static String quote(String text, String author, String tag) {
    return "<div class=\"quote\"><span class=\"text\">" + text + "</span><small class=\"author\">" + author + "</small>"
        + (tag.isEmpty() ? "" : "<a class=\"tag\">" + tag + "</a>") + "</div>";
  }
}
