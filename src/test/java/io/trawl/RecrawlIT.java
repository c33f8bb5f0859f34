package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.trawl.cli.Main;
import io.trawl.testing.ChangingSite;
import io.trawl.testing.Db;
import io.trawl.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import picocli.CommandLine;

/**
 * A local site whose pages change between two crawls in known ways (one edited with a new ETag,
 * one unchanged with an ETag, one unchanged with only a Last-Modified, one unchanged without
 * validators, one removed, one added, and the home page that links the new one): the recrawl
 * sends the conditional headers, downloads no body for the 304s, keeps the items of unchanged
 * pages without duplicating them, replaces the changed pages' items and links, marks the removed
 * page gone, and {@code trawl diff} reports exactly those changes. On both store backends.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecrawlIT {
  private static final String LM_C = "Thu, 01 Jan 2026 00:00:00 GMT";
  private static final long DAY_MS = 86_400_000L;

  @Parameter TestBackend backend;
  @TempDir Path dir;
  private String db;
  private Vertx vertx;
  private ChangingSite site;
  private Path config;

  @BeforeEach
  void startSite() throws Exception {
    db = backend.freshDatabase(dir);
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ChangingSite(vertx).start();
    site.put("/", home("/a", "/b", "/c", "/d", "/f"), null, null)
        .put("/a", products(product("A1", "10.00"), product("A2", "20.00"), product("A3", "30.00")), "\"a1\"", null)
        .put("/b", products(product("B1", "1.00"), product("B2", "2.00")), "\"b1\"", null)
        .put("/c", products(product("C1", "3.00")), null, LM_C)
        .put("/d", products(product("D1", "4.00")), "\"d1\"", null)
        .put("/f", products(product("F1", "5.00")), null, null);
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
    config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: '%s'
          max_depth: 3
        fetch:
          concurrency: 4
          per_host_concurrency: 4
          per_host_rate: 100000/s
        rules:
          - name: products
            select: .product
            fields:
              sku: .sku
              price: {css: .price, type: number}
        """.formatted(dir.resolve("seeds.txt"), db));
  }

  @AfterEach
  void stopSite() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  /** The second day of the site: /a edited, /d removed, /e added and linked from the home page. */
  private void changeTheSite() {
    site.put("/", home("/a", "/b", "/c", "/d", "/f", "/e"), null, null)
        .put("/a", products(product("A1", "12.00"), product("A2", "20.00")), "\"a2\"", null)
        .remove("/d")
        .put("/e", products(product("E1", "7.00")), null, null);
  }

  @Test
  void refetchesWithConditionalRequestsKeepingUnchangedPagesAndReplacingChangedOnes() throws Exception {
    assertThat(run("crawl", "-c", config.toString()).code()).isEqualTo(Main.OK);
    assertThat(Db.count(db, "SELECT count(*) FROM items")).isEqualTo(8);
    Map<String, Object> itemIdsOfB = idsOf("/b");
    changeTheSite();
    site.clearLog();

    Run recrawl = run("crawl", "-c", config.toString(), "--recrawl");

    assertThat(recrawl.code()).as(recrawl.err()).isEqualTo(Main.OK);
    Map<String, ChangingSite.Hit> hits = site.pageHits().stream()
        .collect(Collectors.toMap(ChangingSite.Hit::path, h -> h, (x, y) -> {
          throw new AssertionError("requested twice: " + x.path());
        }, TreeMap::new));
    assertThat(hits.keySet()).containsExactly("/", "/a", "/b", "/c", "/d", "/e", "/f");
    assertThat(hits.values()).extracting(ChangingSite.Hit::path, ChangingSite.Hit::ifNoneMatch,
            ChangingSite.Hit::ifModifiedSince, ChangingSite.Hit::status)
        .containsExactly(
            tuple("/", null, null, 200),
            tuple("/a", "\"a1\"", null, 200),
            tuple("/b", "\"b1\"", null, 304),
            tuple("/c", null, LM_C, 304),
            tuple("/d", "\"d1\"", null, 404),
            tuple("/e", null, null, 200),
            tuple("/f", null, null, 200));
    assertThat(hits.get("/b").bodyBytes()).isZero();
    assertThat(hits.get("/c").bodyBytes()).isZero();

    assertThat(versions(2)).containsExactly(
        Map.entry("/", "changed 200"), Map.entry("/a", "changed 200"), Map.entry("/b", "unchanged 304"),
        Map.entry("/c", "unchanged 304"), Map.entry("/d", "gone 404"), Map.entry("/e", "new 200"),
        Map.entry("/f", "unchanged 200"));
    assertThat(Db.count(db, "SELECT count(*) FROM page_versions WHERE crawl_id = 2 AND status = 304 AND bytes = 0"))
        .as("no body for a 304").isEqualTo(2);
    assertThat(Db.count(db, "SELECT count(*) FROM page_versions WHERE crawl_id = 1")).isEqualTo(6);

    assertThat(idsOf("/b")).as("unchanged: the same rows, not extracted again").isEqualTo(itemIdsOfB);
    assertThat(skusOf("/a")).containsExactly("A1 12", "A2 20");
    assertThat(skusOf("/c")).containsExactly("C1 3");
    assertThat(skusOf("/f")).containsExactly("F1 5");
    assertThat(skusOf("/d")).as("gone: its items leave the current view").isEmpty();
    assertThat(skusOf("/e")).containsExactly("E1 7");
    assertThat(Db.count(db, "SELECT count(*) FROM items")).isEqualTo(7);
    assertThat(Db.rows(db, "SELECT page_url, removed_in FROM item_history ORDER BY page_url, item_id"))
        .extracting(r -> path(r.get("page_url")) + " " + ((Number) r.get("removed_in")).longValue())
        .containsExactly("/a 2", "/a 2", "/a 2", "/d 2");
    Run history = run("export", "--db", db, "-t", "item_history");
    assertThat(history.out().lines().map(JsonObject::new))
        .extracting(l -> path(l.getString("page_url")) + " " + sku(l.getJsonObject("data")) + " " + l.getLong("removed_in"))
        .containsExactlyInAnyOrder("/a A1 10 2", "/a A2 20 2", "/a A3 30 2", "/d D1 4 2");

    assertThat(linksFrom("/")).containsExactlyInAnyOrder("/a", "/b", "/c", "/d", "/f", "/e");
    assertThat(linksFrom("/b")).as("unchanged: kept once").containsExactly("/");
    assertThat(Db.rows(db, "SELECT status, error, title FROM pages WHERE url = '" + site.url("/d") + "'"))
        .extracting(r -> r.get("status") + " " + r.get("error")).containsExactly("404 http_404");
    assertThat(Db.rows(db, "SELECT status, etag, error, crawl_id FROM pages WHERE url = '" + site.url("/b") + "'"))
        .extracting(r -> r.get("status") + " " + r.get("etag") + " " + r.get("error") + " " + r.get("crawl_id"))
        .containsExactly("200 \"b1\" null 2");
    assertThat(Db.rows(db, "SELECT kind, outcome FROM crawls ORDER BY id"))
        .extracting(r -> r.get("kind") + " " + r.get("outcome")).containsExactly("crawl finished", "recrawl finished");
  }

  @Test
  void diffReportsExactlyTheKnownChangesOfPagesAndItems() throws Exception {
    assertThat(run("crawl", "-c", config.toString()).code()).isEqualTo(Main.OK);
    changeTheSite();
    assertThat(run("crawl", "-c", config.toString(), "--recrawl").code()).isEqualTo(Main.OK);

    Run diff = run("diff", "--db", db, "--jsonl");

    assertThat(diff.code()).as(diff.err()).isEqualTo(Main.OK);
    List<JsonObject> lines = diff.out().lines().map(JsonObject::new).toList();
    assertThat(lines.stream().filter(l -> l.getString("type").equals("page")))
        .extracting(l -> path(l.getString("url")) + " " + l.getString("change") + " " + l.getInteger("status"))
        .containsExactlyInAnyOrder("/ changed 200", "/a changed 200", "/b unchanged 304", "/c unchanged 304",
            "/d gone 404", "/e new 200", "/f unchanged 200");
    assertThat(lines.stream().filter(l -> l.getString("type").equals("item")))
        .extracting(l -> path(l.getString("url")) + "#" + l.getInteger("position") + " " + l.getString("change") + " "
            + sku(l.getJsonObject("before")) + " -> " + sku(l.getJsonObject("after")))
        .containsExactlyInAnyOrder(
            "/a#0 changed A1 10 -> A1 12",
            "/a#2 removed A3 30 -> null",
            "/d#0 removed D1 4 -> null",
            "/e#0 added null -> E1 7");
    assertThat(diff.err()).contains("after run 1 -> after run 2")
        .contains("pages 1 new, 2 changed, 3 unchanged, 1 gone, 0 failed; items 1 added, 1 changed, 2 removed");

    Run table = run("diff", "--db", db, "--changes-only");
    assertThat(table.code()).isEqualTo(Main.OK);
    assertThat(table.out()).contains("price: 10.0 -> 12.0").doesNotContain("unchanged");
    Run csv = run("diff", "--db", db, "--csv", "--since", "1");
    assertThat(csv.out().lines().findFirst()).contains("type,change,url,rule,key,position,status,error,before,after");
    assertThat(csv.out().lines().count()).isEqualTo(1 + 7 + 4);
    Run sinceStart = run("diff", "--db", db, "--jsonl", "--since", "2000-01-01");
    assertThat(sinceStart.out().lines().map(JsonObject::new).filter(l -> l.getString("type").equals("page")))
        .as("against an empty database every page there now is new, and the one fetched gone is gone")
        .extracting(l -> path(l.getString("url")) + " " + l.getString("change"))
        .containsExactlyInAnyOrder("/ new", "/a new", "/b new", "/c new", "/d gone", "/e new", "/f new");
  }

  @Test
  void aPageGoneBeforeAndStillGoneComesOutUnchangedAndGoneAgainstAnEarlierState() throws Exception {
    assertThat(run("crawl", "-c", config.toString()).code()).isEqualTo(Main.OK);
    changeTheSite();
    assertThat(run("crawl", "-c", config.toString(), "--recrawl").code()).isEqualTo(Main.OK);
    site.put("/b", products(product("B1", "1.50"), product("B2", "2.00")), "\"b2\"", null);

    assertThat(run("crawl", "-c", config.toString(), "--recrawl").code()).isEqualTo(Main.OK);

    assertThat(versions(3)).as("the store's word for the second 404").contains(Map.entry("/d", "gone 404"));
    Run diff = run("diff", "--db", db, "--jsonl");
    assertThat(diff.code()).as(diff.err()).isEqualTo(Main.OK);
    assertThat(diff.out().lines().map(JsonObject::new).filter(l -> l.getString("type").equals("page")))
        .extracting(l -> path(l.getString("url")) + " " + l.getString("change") + " " + l.getInteger("status"))
        .containsExactlyInAnyOrder("/ unchanged 200", "/a unchanged 304", "/b changed 200", "/c unchanged 304",
            "/d unchanged 404", "/e unchanged 200", "/f unchanged 200");
    assertThat(diff.err()).contains("after run 2 -> after run 3")
        .contains("pages 0 new, 1 changed, 6 unchanged, 0 gone, 0 failed");
    Run changesOnly = run("diff", "--db", db, "--changes-only");
    assertThat(changesOnly.out()).contains("/b").doesNotContain("/d").doesNotContain("unchanged");
    Run bothRecrawls = run("diff", "--db", db, "--jsonl", "--since", "1");
    assertThat(bothRecrawls.out().lines().map(JsonObject::new).filter(l -> l.getString("type").equals("page")))
        .extracting(l -> path(l.getString("url")) + " " + l.getString("change"))
        .contains("/d gone", "/b changed", "/e new");
  }

  @Test
  void diffMatchesKeyedItemsByTheirKeyWhereverTheyAreNow() throws Exception {
    Files.writeString(config, Files.readString(config).replace("select: .product", "select: .product\n    key: sku"));
    assertThat(run("crawl", "-c", config.toString()).code()).isEqualTo(Main.OK);
    changeTheSite();
    // /a lists its products in another order and no longer A3, which moved, unchanged, to /e.
    site.put("/a", products(product("A2", "20.00"), product("A1", "12.00")), "\"a2\"", null)
        .put("/e", products(product("E1", "7.00"), product("A3", "30.00")), null, null);
    assertThat(run("crawl", "-c", config.toString(), "--recrawl").code()).isEqualTo(Main.OK);

    Run diff = run("diff", "--db", db, "--jsonl");

    assertThat(diff.code()).as(diff.err()).isEqualTo(Main.OK);
    assertThat(diff.out().lines().map(JsonObject::new).filter(l -> l.getString("type").equals("item")))
        .extracting(l -> l.getString("key") + " " + path(l.getString("url")) + " " + l.getValue("position") + " "
            + l.getString("change") + " " + sku(l.getJsonObject("before")) + " -> " + sku(l.getJsonObject("after")))
        .containsExactlyInAnyOrder(
            "[\"A1\"] /a null changed A1 10 -> A1 12",
            "[\"D1\"] /d null removed D1 4 -> null",
            "[\"E1\"] /e null added null -> E1 7");
    assertThat(Db.count(db, "SELECT count(*) FROM items")).as("one row per key").isEqualTo(8);
    assertThat(skusOf("/e")).containsExactlyInAnyOrder("E1 7", "A3 30");
  }

  @Test
  void refusesABadSinceAndARunThatDoesNotExist() throws Exception {
    assertThat(run("crawl", "-c", config.toString()).code()).isEqualTo(Main.OK);

    assertThat(run("diff", "--db", db, "--since", "yesterday").code()).isEqualTo(Main.BAD_INPUT);
    Run missing = run("diff", "--db", db, "--since", "7");
    assertThat(missing.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(missing.err()).contains("no run 7");
    assertThat(run("crawl", "-c", config.toString(), "--due").code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run("crawl", "-c", config.toString(), "--recrawl", "--resume").code()).isEqualTo(Main.BAD_INPUT);
  }

  @Test
  void dueFetchesOnlyThePagesDueAndTheScheduleMovesTheirIntervals() throws Exception {
    assertThat(run("crawl", "-c", config.toString()).code()).isEqualTo(Main.OK);
    long afterFirst = System.currentTimeMillis();
    assertThat(Db.rows(db, "SELECT interval_ms, due_at FROM frontier")).allSatisfy(r -> {
      assertThat(((Number) r.get("interval_ms")).longValue()).isEqualTo(DAY_MS);
      assertThat(((Number) r.get("due_at")).longValue()).isBetween(afterFirst - 60_000 + DAY_MS, afterFirst + DAY_MS);
    });
    changeTheSite();
    site.clearLog();

    Run nothingDue = run("crawl", "-c", config.toString(), "--recrawl", "--due");
    assertThat(nothingDue.code()).as(nothingDue.err()).isEqualTo(Main.OK);
    assertThat(site.pageHits()).as("a day has not passed: nothing is due").isEmpty();

    // A day passes for /a and /b only.
    Db.update(db, "UPDATE frontier SET due_at = 0 WHERE url IN (?, ?)", site.url("/a"), site.url("/b"));
    long before = System.currentTimeMillis();
    Run due = run("crawl", "-c", config.toString(), "--recrawl", "--due");
    long after = System.currentTimeMillis();

    assertThat(due.code()).as(due.err()).isEqualTo(Main.OK);
    assertThat(site.pageHits()).extracting(ChangingSite.Hit::path).containsExactlyInAnyOrder("/a", "/b");
    Map<String, Long> intervals = Db.rows(db, "SELECT url, interval_ms FROM frontier").stream()
        .collect(Collectors.toMap(r -> path(r.get("url")), r -> ((Number) r.get("interval_ms")).longValue()));
    assertThat(intervals).containsEntry("/a", Math.round(DAY_MS * 0.8)).containsEntry("/b", Math.round(DAY_MS * 1.4))
        .containsEntry("/c", DAY_MS);
    long dueB = Db.count(db, "SELECT due_at FROM frontier WHERE url = '" + site.url("/b") + "'");
    assertThat(dueB).isBetween(before + Math.round(DAY_MS * 1.4), after + Math.round(DAY_MS * 1.4));
    assertThat(versions(3)).containsExactly(Map.entry("/a", "changed 200"), Map.entry("/b", "unchanged 304"));
    assertThat(Db.rows(db, "SELECT kind FROM crawls ORDER BY id")).extracting(r -> r.get("kind"))
        .containsExactly("crawl", "recrawl", "recrawl");
    Run diff = run("diff", "--db", db, "--jsonl");
    assertThat(diff.out().lines().map(JsonObject::new).filter(l -> l.getString("type").equals("page")))
        .as("only what the last run fetched").extracting(l -> path(l.getString("url")) + " " + l.getString("change"))
        .containsExactlyInAnyOrder("/a changed", "/b unchanged");
  }

  @Test
  void aRecrawlOfAnEmptyDatabaseCrawlsItFirst() throws Exception {
    Run first = run("crawl", "-c", config.toString(), "--recrawl", "--due");

    assertThat(first.code()).as(first.err()).isEqualTo(Main.OK);
    assertThat(first.err()).contains("crawling it for the first time");
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(6);
    assertThat(Db.rows(db, "SELECT kind FROM crawls")).extracting(r -> r.get("kind")).containsExactly("crawl");
  }

  @Test
  void aSitemapsChangefreqSetsIntervalsAndALaterLastmodMakesAPageDue() throws Exception {
    site.put("/sitemap.xml", "application/xml", sitemap(
        "<url><loc>" + site.url("/b") + "</loc><changefreq>hourly</changefreq></url>",
        "<url><loc>" + site.url("/c") + "</loc><changefreq>weekly</changefreq></url>",
        "<url><loc>" + site.url("/f") + "</loc><changefreq>yearly</changefreq></url>"));
    Files.writeString(config, Files.readString(config).replace("max_depth: 3", "max_depth: 3\n  sitemaps: true"));
    assertThat(run("crawl", "-c", config.toString()).code()).isEqualTo(Main.OK);
    Map<String, Long> intervals = Db.rows(db, "SELECT url, interval_ms FROM frontier").stream()
        .collect(Collectors.toMap(r -> path(r.get("url")), r -> ((Number) r.get("interval_ms")).longValue()));
    assertThat(intervals).as("changefreq within recrawl.min_interval and recrawl.max_interval")
        .containsEntry("/b", DAY_MS / 24).containsEntry("/c", 7 * DAY_MS).containsEntry("/f", 30 * DAY_MS)
        .containsEntry("/a", DAY_MS);

    String lastmod = java.time.Instant.now().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    site.put("/sitemap.xml", "application/xml", sitemap(
        "<url><loc>" + site.url("/c") + "</loc><lastmod>" + lastmod + "</lastmod></url>"));
    site.clearLog();
    Run reads = run("crawl", "-c", config.toString(), "--recrawl", "--due");
    assertThat(reads.code()).as(reads.err()).isEqualTo(Main.OK);
    assertThat(site.pageHits()).as("nothing was due when the run started").isEmpty();
    assertThat(Db.count(db, "SELECT due_at FROM frontier WHERE url = '" + site.url("/c") + "'")).isZero();

    Run due = run("crawl", "-c", config.toString(), "--recrawl", "--due");

    assertThat(due.code()).as(due.err()).isEqualTo(Main.OK);
    assertThat(site.pageHits()).extracting(ChangingSite.Hit::path, ChangingSite.Hit::status)
        .containsExactly(tuple("/c", 304));
  }

  private static String sitemap(String... entries) {
    return "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        + String.join("", entries) + "</urlset>";
  }

  /** The path and "change status" of each page_versions row of run {@code run}, by path. */
  private Map<String, String> versions(long run) {
    return Db.rows(db, "SELECT url, change, status FROM page_versions WHERE crawl_id = " + run).stream()
        .collect(Collectors.toMap(r -> path(r.get("url")), r -> r.get("change") + " " + r.get("status"), (x, y) -> {
          throw new AssertionError("two versions in one run: " + x + ", " + y);
        }, TreeMap::new));
  }

  private Map<String, Object> idsOf(String path) {
    return Db.rows(db, "SELECT id, data FROM items WHERE page_url = '" + site.url(path) + "'").stream()
        .collect(Collectors.toMap(r -> String.valueOf(r.get("id")), r -> String.valueOf(r.get("data"))));
  }

  private List<String> skusOf(String path) {
    return Db.rows(db, "SELECT data FROM items WHERE page_url = '" + site.url(path) + "' ORDER BY id").stream()
        .map(r -> sku(new JsonObject(String.valueOf(r.get("data"))))).toList();
  }

  private List<String> linksFrom(String path) {
    return Db.rows(db, "SELECT to_url FROM links WHERE from_url = '" + site.url(path) + "'").stream()
        .map(r -> path(r.get("to_url"))).toList();
  }

  private static String sku(JsonObject data) {
    return data == null ? "null" : data.getString("sku") + " " + data.getNumber("price").intValue();
  }

  private String path(Object url) {
    return String.valueOf(url).substring(site.url("").length());
  }

  private static String home(String... links) {
    StringBuilder html = new StringBuilder("<html><head><title>shop</title></head><body><ul>");
    for (String link : links) {
      html.append("<li><a href=\"").append(link).append("\">").append(link).append("</a></li>");
    }
    return html.append("</ul></body></html>").toString();
  }

  private static String products(String... products) {
    return "<html><head><title>products</title></head><body><a href=\"/\">home</a>" + String.join("", products)
        + "</body></html>";
  }

  private static String product(String sku, String price) {
    return "<div class=\"product\"><span class=\"sku\">" + sku + "</span><span class=\"price\">" + price
        + "</span></div>";
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
