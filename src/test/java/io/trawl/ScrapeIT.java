package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.CsvReader;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

/**
 * The repo's own {@code config.yaml} rules run against locally served copies of the two sandboxes
 * (written for these tests in their shape, see {@code src/test/resources/pages/}): every quote and
 * every book comes out as an item, and only the pagination is followed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScrapeIT {
  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite quotes;
  private ScriptedSite books;

  @BeforeEach
  void startSites() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    quotes = new ScriptedSite(vertx).start()
        .page("/", fixture("quotes-page-1.html"))
        .page("/page/2/", fixture("quotes-page-2.html"))
        .page("/page/3/", fixture("quotes-page-3.html"));
    books = new ScriptedSite(vertx).start()
        .page("/", fixture("books-page-1.html"))
        .page("/catalogue/page-2.html", fixture("books-page-2.html"))
        .page("/catalogue/page-3.html", fixture("books-page-3.html"))
        .text("/media/cache/aa/bb/cover.jpg", "image/jpeg", "not really a jpeg");
  }

  @AfterEach
  void stopSites() {
    Await.result(vertx.close());
  }

  private int crawlWithTheReposConfig(String... extra) throws IOException {
    Files.writeString(dir.resolve("seeds.txt"), quotes.url("/") + "\n" + books.url("/") + "\n");
    List<String> args = new java.util.ArrayList<>(List.of("crawl", "-c", "config.yaml",
        "--seeds", dir.resolve("seeds.txt").toString(), "--db", dir.resolve("trawl.db").toString(),
        "--rate", "1000/s"));
    args.addAll(List.of(extra));
    return Main.run(args.toArray(String[]::new));
  }

  @Test
  void aPageARuleCannotBeRunOnEndsAsParseAndTheCrawlGoesOn() throws Exception {
    // The regex recurses once per character: 100,000 of them overflow the parse thread's stack.
    ScriptedSite site = new ScriptedSite(vertx).start()
        .page("/", "<title>home</title><p>ab</p><a href=\"/deep\">deep</a> <a href=\"/fine\">fine</a>")
        .page("/deep", "<title>deep</title><p>" + "a".repeat(100_000) + "</p>")
        .page("/fine", "<title>fine</title><p>abba</p>");
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
    Path config = Files.writeString(dir.resolve("rules.yaml"), """
        crawl:
          seeds: %s
          db: %s
        fetch:
          per_host_rate: 1000/s
        rules:
          - name: letters
            fields:
              text: {css: p, regex: '^((?:a|b)*)$'}
        """.formatted(dir.resolve("seeds.txt"), dir.resolve("trawl.db")));

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);

    Path db = dir.resolve("trawl.db");
    assertThat(Db.rows(db, "SELECT url, status, coalesce(error, 'none') error FROM pages ORDER BY url")).containsExactly(
        Map.of("url", site.url("/"), "status", 200, "error", "none"),
        Map.of("url", site.url("/deep"), "status", 200, "error", "parse"),
        Map.of("url", site.url("/fine"), "status", 200, "error", "none"));
    assertThat(items(db, "letters")).extracting(item -> item.getString("text")).containsExactly("ab", "abba");
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'failed'")).isEqualTo(1);
  }

  @Test
  void theDefaultRulesExtractEveryQuoteAndBookFollowingOnlyThePagination() throws Exception {
    assertThat(crawlWithTheReposConfig()).isEqualTo(Main.OK);

    Path db = dir.resolve("trawl.db");
    List<JsonObject> quoteItems = items(db, "quotes");
    assertThat(quoteItems).hasSize(15);
    assertThat(quoteItems.get(0)).isEqualTo(new JsonObject()
        .put("text", "The world as we have created it is a process of our thinking. It cannot be changed without changing our thinking.")
        .put("author", "Albert Einstein")
        .put("author_url", quotes.url("/author/Albert-Einstein"))
        .put("tags", new JsonArray(List.of("change", "deep-thoughts", "thinking", "world"))));
    assertThat(quoteItems.get(1).getString("author")).isEqualTo("J.K. Rowling");
    assertThat(quoteItems.get(1).getJsonArray("tags")).containsExactly("abilities", "choices");
    assertThat(quoteItems.get(2).getString("text")).startsWith("There are only two ways to live your life.");
    assertThat(quoteItems.get(14).getString("author")).isEqualTo("Albert Einstein");

    List<JsonObject> bookItems = items(db, "books");
    assertThat(bookItems).hasSize(16);
    JsonObject first = bookItems.get(0);
    assertThat(first.getString("title")).isEqualTo("A Light in the Attic");
    assertThat(first.getDouble("price")).isEqualTo(51.77);
    assertThat(first.getString("availability")).isEqualTo("In stock");
    assertThat(first.getString("rating")).isEqualTo("Three");
    assertThat(first.getString("image")).startsWith(books.url("/media/cache/")).endsWith(".jpg");
    assertThat(first.getString("url")).isEqualTo(books.url("/catalogue/a-light-in-the-attic_1000/index.html"));
    assertThat(bookItems.get(1).getMap()).containsEntry("title", "Tipping the Velvet").containsEntry("rating", "One");
    // On the catalogue pages links are relative to /catalogue/ and images to ../media/.
    JsonObject ninth = bookItems.get(8);
    assertThat(ninth.getString("url")).startsWith(books.url("/catalogue/the-boys-in-the-boat"));
    assertThat(ninth.getString("image")).startsWith(books.url("/media/cache/"));

    // Only the pagination was followed: no author, tag, category or detail page was requested.
    assertThat(requestedPaths(quotes)).containsExactlyInAnyOrder("/robots.txt", "/", "/page/2/", "/page/3/");
    assertThat(requestedPaths(books)).containsExactlyInAnyOrder(
        "/robots.txt", "/", "/catalogue/page-2.html", "/catalogue/page-3.html");
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(6);
    // Every link is still recorded, followed or not.
    assertThat(Db.count(db, "SELECT count(*) FROM links WHERE to_url = '" + quotes.url("/author/Albert-Einstein") + "'"))
        .isGreaterThan(0);
  }

  @Test
  void jsonFunctionsQueryTheItemsData() throws Exception {
    assertThat(crawlWithTheReposConfig()).isEqualTo(Main.OK);

    Path db = dir.resolve("trawl.db");
    assertThat(Db.count(db, "SELECT count(*) FROM items WHERE rule = 'quotes' AND json_extract(data, '$.author') = 'Albert Einstein'"))
        .isEqualTo(5);
    assertThat(Db.count(db, "SELECT count(*) FROM items, json_each(items.data, '$.tags') WHERE rule = 'quotes' AND json_each.value = 'inspirational'"))
        .isEqualTo(4);
  }

  @Test
  void downloadsTheFilesAFieldNames() throws Exception {
    books.page("/", fixture("books-page-1.html").replaceFirst(
        "src=\"media/cache/[^\"]+\"", "src=\"media/cache/aa/bb/cover.jpg\""));

    assertThat(crawlWithTheReposConfig("--set", "download.from_fields=books.image",
        "--set", "download.content_types=image/jpeg", "--set", "download.dir=" + dir.resolve("files"))).isEqualTo(Main.OK);

    Path db = dir.resolve("trawl.db");
    List<Map<String, Object>> downloads = Db.rows(db, "SELECT url, bytes, content_type FROM downloads");
    assertThat(downloads).singleElement().satisfies(row -> {
      assertThat(row.get("url")).isEqualTo(books.url("/media/cache/aa/bb/cover.jpg"));
      assertThat(row.get("bytes")).isEqualTo("not really a jpeg".length());
    });
    // The other 15 covers are not served: they end in pages as http_404, nothing is lost.
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE url LIKE '%/media/cache/%' AND error = 'http_404'")).isEqualTo(15);
    assertThat(Files.list(dir.resolve("files")).filter(f -> f.toString().endsWith(".jpg")).count()).isEqualTo(1);
  }

  @Test
  void exportsItemsAsCsvWithAColumnPerFieldAndAsJsonLinesFilteredByRule() throws Exception {
    assertThat(crawlWithTheReposConfig()).isEqualTo(Main.OK);
    Path db = dir.resolve("trawl.db");
    Path csv = dir.resolve("quotes.csv");
    Path jsonl = dir.resolve("quotes.jsonl");

    assertThat(Main.run("export", "--db", db.toString(), "-t", "items", "-f", "csv", "--rule", "quotes", "-o", csv.toString()))
        .isEqualTo(Main.OK);
    assertThat(Main.run("export", "--db", db.toString(), "-t", "items", "-f", "jsonl", "--rule", "quotes", "-o", jsonl.toString()))
        .isEqualTo(Main.OK);

    List<List<String>> rows = CsvReader.parse(Files.readString(csv));
    assertThat(rows.get(0)).containsExactly("page_url", "rule", "extracted_at", "text", "author", "author_url", "tags");
    List<JsonObject> quoteItems = items(db, "quotes");
    assertThat(rows).hasSize(1 + quoteItems.size());
    List<String> lines = Files.readAllLines(jsonl);
    assertThat(lines).hasSize(quoteItems.size());
    for (int i = 0; i < quoteItems.size(); i++) {
      JsonObject data = quoteItems.get(i);
      List<String> row = rows.get(i + 1);
      assertThat(row.get(1)).isEqualTo("quotes");
      assertThat(row.subList(3, 6)).containsExactly(data.getString("text"), data.getString("author"), data.getString("author_url"));
      assertThat(new JsonArray(row.get(6))).isEqualTo(data.getJsonArray("tags"));
      JsonObject line = new JsonObject(lines.get(i));
      assertThat(line.getString("rule")).isEqualTo("quotes");
      assertThat(line.getJsonObject("data")).isEqualTo(data);
      assertThat(line.getString("page_url")).isEqualTo(row.get(0));
    }
    // A quote with a comma and an apostrophe survives CSV quoting.
    assertThat(rows.stream().map(r -> r.get(3))).contains("It is our choices, Harry, that show what we truly are, far more than our abilities.");
  }

  private static List<JsonObject> items(Path db, String rule) {
    return Db.rows(db, "SELECT data FROM items WHERE rule = '" + rule + "' ORDER BY id").stream()
        .map(row -> new JsonObject((String) row.get("data")))
        .toList();
  }

  private static List<String> requestedPaths(ScriptedSite site) {
    return site.hits().stream().map(ScriptedSite.Hit::path).toList();
  }

  private static String fixture(String name) {
    try (InputStream in = ScrapeIT.class.getResourceAsStream("/pages/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
