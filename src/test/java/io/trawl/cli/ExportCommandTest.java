package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.testing.CsvReader;
import io.trawl.testing.Db;
import io.trawl.testing.TestBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code trawl export} of pages, links and items from a real small crawl, on both backends, each
 * format read back and compared with the rows in the order they were written.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExportCommandTest {
  private static final Map<String, String> ROWS = Map.of(
      "pages", "SELECT * FROM pages ORDER BY %s",
      "links", "SELECT from_url, to_url FROM links ORDER BY %s",
      "page_versions", "SELECT * FROM page_versions ORDER BY id");

  @TempDir static Path dir;
  private static SmallCrawl crawl;
  @Parameter TestBackend backend;

  @BeforeParameterizedClassInvocation
  static void crawlTheSite(TestBackend backend) throws Exception {
    crawl = SmallCrawl.run(backend, dir.resolve(backend.name()));
    crawl.giveAwkwardTitle(crawl.home + "a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pages", "links", "page_versions"})
  void exportsEveryRowAsJsonLines(String table) {
    SmallCrawl.Result result = SmallCrawl.execute("export", "--db", crawl.db, "-t", table, "-f", "jsonl");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    List<Map<String, Object>> rows = result.out().lines().map(line -> comparable(new JsonObject(line).getMap())).toList();
    assertThat(rows).isEqualTo(expected(table));
  }

  @ParameterizedTest
  @ValueSource(strings = {"pages", "links", "page_versions"})
  void exportsEveryRowAsOneJsonArray(String table) {
    SmallCrawl.Result result = SmallCrawl.execute("export", "--db", crawl.db, "-t", table, "-f", "json");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Object row : new JsonArray(result.out())) {
      rows.add(comparable(((JsonObject) row).getMap()));
    }
    assertThat(rows).isEqualTo(expected(table));
  }

  @ParameterizedTest
  @ValueSource(strings = {"pages", "links", "page_versions"})
  void exportsEveryRowAsCsvUnderAHeaderOfItsColumns(String table) {
    SmallCrawl.Result result = SmallCrawl.execute("export", "--db", crawl.db, "-t", table, "-f", "csv");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    List<List<String>> csv = CsvReader.parse(result.out());
    List<Map<String, Object>> expected = Db.rows(crawl.db, rowsSql(table));
    assertThat(csv.get(0)).containsExactlyElementsOf(expected.get(0).keySet());
    List<List<String>> cells = expected.stream()
        .map(row -> row.values().stream().map(v -> v == null ? "" : String.valueOf(v)).toList())
        .toList();
    assertThat(csv.subList(1, csv.size())).isEqualTo(cells);
  }

  @Test
  void quotesACsvCellHoldingACommaQuotesAndALineBreak() {
    SmallCrawl.Result result = SmallCrawl.execute("export", "--db", crawl.db, "-t", "pages", "-f", "csv");

    assertThat(result.out()).contains(",\"Rows, \"\"cells\"\"\nand lines\",");
    assertThat(CsvReader.parse(result.out())).anySatisfy(row -> assertThat(row).contains(SmallCrawl.AWKWARD_TITLE));
  }

  @Test
  void writesTheFileGivenWithOAndNothingToStdout() throws Exception {
    Path file = dir.resolve("pages.jsonl");

    SmallCrawl.Result result = SmallCrawl.execute("export", "--db", crawl.db, "-o", file.toString());

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("5");
    List<Map<String, Object>> rows = Files.readString(file, StandardCharsets.UTF_8).lines()
        .map(line -> comparable(new JsonObject(line).getMap())).toList();
    assertThat(rows).isEqualTo(expected("pages"));
  }

  @ParameterizedTest
  @CsvSource({"-t,everything", "-f,xml", "--rule,books"})
  void refusesABadTableFormatOrARuleOutsideItemsWithExitTwo(String flag, String value) {
    Path file = dir.resolve("refused.out");

    SmallCrawl.Result result = SmallCrawl.execute("export", "--db", crawl.db, flag, value, "-o", file.toString());

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.out()).isEmpty();
    assertThat(file).doesNotExist();
  }

  @Test
  void exportsItemsAsCsvWithOneColumnPerFieldInRuleOrder() {
    SmallCrawl.Result result = SmallCrawl.execute("export", "--db", crawl.db, "-t", "items", "-f", "csv",
        "--rule", SmallCrawl.RULE);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    List<List<String>> csv = CsvReader.parse(result.out());
    assertThat(csv.get(0)).containsExactly("page_url", "rule", "extracted_at", "title", "a");
    assertThat(csv.subList(1, csv.size())).extracting(row -> row.get(0) + " " + row.get(3) + " " + row.get(4))
        .containsExactlyInAnyOrder(crawl.home + " Home a", crawl.home + "a A, \"quoted\" page b", crawl.home + "b Page b — généré ");
  }

  @Test
  void exportsItemsAsJsonLinesWithTheirDataAsAnObject() {
    SmallCrawl.Result result = SmallCrawl.execute("export", "--db", crawl.db, "-t", "items");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    List<JsonObject> lines = result.out().lines().map(JsonObject::new).toList();
    assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line.getString("rule")).isEqualTo(SmallCrawl.RULE));
    assertThat(lines).filteredOn(line -> line.getString("page_url").equals(crawl.home)).singleElement()
        .satisfies(line -> assertThat(line.getJsonObject("data")).isEqualTo(new JsonObject().put("title", "Home").put("a", "a")));
  }

  @Test
  void warnsOfARuleWithoutItemsNamingTheRulesThatHaveSome() {
    SmallCrawl.Result result = SmallCrawl.execute("export", "--db", crawl.db, "-t", "items", "--rule", "nothing");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("nothing").contains(SmallCrawl.RULE);
  }

  @Test
  void refusesAMissingDatabaseWithExitTwo() {
    String none = backend == TestBackend.SQLITE ? dir.resolve("none.db").toString() : backend.freshDatabase(dir);

    SmallCrawl.Result result = SmallCrawl.execute("export", "--db", none);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.BAD_INPUT);
  }

  private List<Map<String, Object>> expected(String table) {
    return Db.rows(crawl.db, rowsSql(table)).stream().map(ExportCommandTest::comparable).toList();
  }

  private String rowsSql(String table) {
    return ROWS.get(table).formatted(backend.writeOrder());
  }

  /** A row with its numbers as longs, so JSON's integers and SQLite's compare equal. */
  private static Map<String, Object> comparable(Map<String, Object> row) {
    Map<String, Object> copy = new LinkedHashMap<>();
    row.forEach((k, v) -> copy.put(k, v instanceof Number n ? (Object) n.longValue() : v));
    return copy;
  }
}
