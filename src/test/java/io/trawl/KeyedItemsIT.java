package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A rule with {@code key:} keeps one items row per key: the same product seen on a page fetched
 * under two URLs, on two listing pages, and again in a {@code --resume}d run updates its row
 * instead of adding one; a rule without a key still adds a row per sighting. On SQLite and on
 * PostgreSQL.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeyedItemsIT {
  private static final String RULES = """
      crawl:
        seeds: %s
        db: %s
      fetch:
        per_host_concurrency: 1
        per_host_rate: 1000/s
      rules:
        - name: products
          select: li.product
          key: sku
          fields:
            sku: {css: '[itemprop=sku]', attr: content}
            price: {css: .price, type: number}
        - name: sightings
          select: li.product
          fields:
            sku: {css: '[itemprop=sku]', attr: content}
      """;

  @Parameter TestBackend backend;
  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  private Path config;
  private String db;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    String first = listing(List.of("A", "B"), "10.00", "<a href=\"/list?sort=price\">same list</a> <a href=\"/page-2\">2</a>");
    // /list?sort=price is the same page again under another URL (the site routes by path).
    site = new ScriptedSite(vertx).start()
        .page("/list", first)
        .page("/page-2", listing(List.of("B", "C"), "12.50", ""));
    db = backend.freshDatabase(dir);
    Files.writeString(dir.resolve("seeds.txt"), site.url("/list") + "\n");
    config = Files.writeString(dir.resolve("config.yaml"), RULES.formatted(dir.resolve("seeds.txt"), db));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  private static String listing(List<String> skus, String price, String links) {
    StringBuilder html = new StringBuilder("<title>list</title><ul>");
    for (String sku : skus) {
      html.append("<li class=\"product\"><meta itemprop=\"sku\" content=\"").append(sku).append("\">")
          .append("<span class=\"price\">").append(price).append("</span></li>");
    }
    return html.append("</ul>").append(links).toString();
  }

  @Test
  void anItemSeenAgainUpdatesItsRowAcrossPagesAndAResume() {
    // Run 1 stores only the seed page; --resume fetches the same page under its second URL and page 2.
    assertThat(Main.run("crawl", "-c", config.toString(), "--max-pages", "1")).isEqualTo(Main.OK);
    assertThat(Db.count(db, "SELECT count(*) FROM items WHERE rule = 'products'")).isEqualTo(2);
    long idOfB = Db.count(db, "SELECT id FROM items WHERE rule = 'products' AND item_key = '[\"B\"]'");

    assertThat(Main.run("crawl", "-c", config.toString(), "--resume", "--max-pages", "0")).isEqualTo(Main.OK);

    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE error IS NULL")).isEqualTo(3);
    List<Map<String, Object>> rows = Db.rows(db, "SELECT item_key, data, page_url FROM items WHERE rule = 'products' ORDER BY id")
        .stream()
        .map(row -> Map.<String, Object>of("item_key", row.get("item_key"), "page_url", row.get("page_url"),
            "price", new JsonObject(String.valueOf(row.get("data"))).getDouble("price")))
        .toList();
    assertThat(rows).extracting(row -> row.get("item_key")).containsExactly("[\"A\"]", "[\"B\"]", "[\"C\"]");
    assertThat(rows.get(0)).isEqualTo(Map.of("item_key", "[\"A\"]", "price", 10.0, "page_url", site.url("/list?sort=price")));
    // B was stored from /list in run 1, then updated by whichever of its two sightings in run 2 came
    // last: its data and page_url are that sighting's, and its id is the row's first one.
    assertThat(rows.get(1)).isIn(
        Map.of("item_key", "[\"B\"]", "price", 12.5, "page_url", site.url("/page-2")),
        Map.of("item_key", "[\"B\"]", "price", 10.0, "page_url", site.url("/list?sort=price")));
    assertThat(Db.count(db, "SELECT id FROM items WHERE rule = 'products' AND item_key = '[\"B\"]'"))
        .as("updated in place").isEqualTo(idOfB);
    // Without a key every sighting is a row: A twice, B three times, C once.
    assertThat(Db.count(db, "SELECT count(*) FROM items WHERE rule = 'sightings'")).isEqualTo(6);
  }
}
