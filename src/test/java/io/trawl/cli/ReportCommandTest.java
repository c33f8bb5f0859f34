package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.store.StoreBackends;
import io.trawl.testing.Db;
import io.trawl.testing.TestBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code trawl report} after a real small crawl (three pages, a 404, a refused connection), on
 * both backends: the figures embedded in the file are the database's, and the file needs nothing
 * from elsewhere. How it draws is ReportBrowserIT's.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportCommandTest {
  /** Text a crawled page could hold, which must stay text inside the report's script elements. */
  static final String HOSTILE = "</script><script>document.title='pwned'</script><!--";

  @TempDir static Path dir;
  private static SmallCrawl crawl;
  private static String db;
  @Parameter TestBackend backend;

  @BeforeParameterizedClassInvocation
  static void crawlTheSite(TestBackend backend) throws Exception {
    crawl = SmallCrawl.run(backend, dir.resolve(backend.name()));
    db = crawl.copyWith(dir.resolve(backend.name() + "-with-item.db"),
        "INSERT INTO items (page_url, rule, data, extracted_at) VALUES (?, 'quotes', "
            + (backend == TestBackend.POSTGRES ? "?::jsonb" : "?") + ", '2026-01-01T00:00:00Z')",
        crawl.home, new JsonObject().put("text", HOSTILE).encode());
  }

  @Test
  void embedsTheDatabasesFigures() throws Exception {
    Path out = dir.resolve(backend.name() + "-report.html");
    SmallCrawl.Result result = SmallCrawl.execute("report", "--db", db, "-o", out.toString());

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    JsonObject data = embeddedData(Files.readString(out, StandardCharsets.UTF_8));
    JsonObject totals = data.getJsonObject("totals");
    assertThat(totals.getLong("pages")).isEqualTo(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(5);
    assertThat(totals.getLong("failed")).isEqualTo(2);
    assertThat(totals.getLong("links")).isEqualTo(Db.count(db, "SELECT count(*) FROM links"));
    assertThat(totals.getLong("bytes")).isEqualTo(Db.count(db, "SELECT sum(bytes) FROM pages"));
    assertThat(byKey(data.getJsonArray("statuses"), "status")).isEqualTo(Map.of("200", 3L, "404", 1L, "null", 1L));
    assertThat(byKey(data.getJsonArray("errors"), "error")).isEqualTo(Map.of("http_404", 1L, "connect", 1L));
    Map<String, Long> depths = new HashMap<>();
    Db.rows(db, "SELECT depth, count(*) AS n FROM pages GROUP BY depth")
        .forEach(r -> depths.put(String.valueOf(r.get("depth")), ((Number) r.get("n")).longValue()));
    assertThat(byKey(data.getJsonArray("depths"), "depth")).isEqualTo(depths);
    assertThat(data.getJsonObject("hosts").getLong("count")).isEqualTo(2);
    assertThat(data.getJsonObject("hosts").getJsonArray("failing")).hasSize(2);
    JsonObject run = data.getJsonArray("crawls").getJsonObject(0);
    assertThat(run.getString("outcome")).isEqualTo("finished");
    assertThat(run.getLong("stored")).isEqualTo(5);
    JsonObject rule = data.getJsonArray("rules").getJsonObject(0);
    assertThat(rule.getString("rule")).isEqualTo("quotes");
    assertThat(rule.getLong("items")).isEqualTo(1);
    assertThat(new JsonObject(rule.getJsonArray("samples").getJsonObject(0).getString("data")).getString("text"))
        .isEqualTo(HOSTILE);
    JsonObject throughput = data.getJsonObject("throughput");
    long charted = throughput.getJsonArray("pages").stream()
        .mapToLong(rate -> Math.round(((Number) rate).doubleValue() * throughput.getLong("bucketSeconds"))).sum();
    assertThat(charted).as("every page in the throughput chart").isEqualTo(5);
    assertThat(data.getJsonObject("downloads").getLong("urls")).isZero();
  }

  @Test
  void isOneFileThatFetchesNothingAndKeepsPageTextOutOfItsMarkup() throws Exception {
    Path out = dir.resolve(backend.name() + "-offline.html");
    SmallCrawl.Result result = SmallCrawl.execute("report", "--db", db, "-o", out.toString());

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    String html = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(html).contains("Content-Security-Policy\" content=\"default-src 'none'")
        .contains("uPlot")
        .doesNotContain("<script src", "<link rel=\"stylesheet", "src=\"http", "href=\"http", "url(http")
        .doesNotContain(HOSTILE)
        .contains("\\u003c/script>\\u003cscript>");
    assertThat(html.split("</script>", -1)).as("script elements end where the page means them to").hasSize(4);
  }

  /**
   * A database of an older version has no {@code downloads} table. On PostgreSQL the report's
   * schema ({@code --db-schema}) lacks it while {@code public}, of the current version, has one:
   * the report must look in its own schema.
   */
  @Test
  void reportsADatabaseWithoutADownloadsTableInItsOwnSchema() throws Exception {
    Path where = Files.createDirectories(dir.resolve(backend.name() + "-older"));
    String location = backend.freshDatabase(where);
    String schema = backend == TestBackend.POSTGRES ? "older" : "public";
    StoreBackends.of(location, schema).openWriter(false).close();
    if (backend == TestBackend.POSTGRES) {
      StoreBackends.of(location, "public").openWriter(false).close();
    }
    Db.update(location, backend == TestBackend.POSTGRES ? "DROP TABLE older.downloads" : "DROP TABLE downloads");
    Path out = where.resolve("report.html");

    SmallCrawl.Result result = SmallCrawl.execute("report", "--db", location, "--db-schema", schema, "-o", out.toString());

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    JsonObject data = embeddedData(Files.readString(out, StandardCharsets.UTF_8));
    assertThat(data.containsKey("downloads")).isTrue();
    assertThat(data.getValue("downloads")).isNull();
    assertThat(data.getJsonObject("totals").getLong("pages")).isZero();
  }

  @Test
  void refusesAMissingDatabaseWithExitTwoAndWritesNothing() {
    Path out = dir.resolve("none.html");
    SmallCrawl.Result result = SmallCrawl.execute("report", "--db", dir.resolve("none.db").toString(), "-o", out.toString());

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(out).doesNotExist();
  }

  /** The JSON of the report's {@code report-data} element. */
  static JsonObject embeddedData(String html) {
    String open = "<script id=\"report-data\" type=\"application/json\">";
    int start = html.indexOf(open) + open.length();
    return new JsonObject(html.substring(start, html.indexOf("</script>", start)));
  }

  private static Map<String, Long> byKey(JsonArray rows, String key) {
    Map<String, Long> counts = new HashMap<>();
    rows.forEach(row -> counts.put(String.valueOf(((JsonObject) row).getValue(key)), ((JsonObject) row).getLong("pages")));
    return counts;
  }
}
