package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.testing.CsvReader;
import io.trawl.testing.Db;
import io.trawl.testing.TestBackend;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code trawl query} on the database of a real small crawl, on both backends: read-only whatever
 * the SQL, and each output format read back. PostgreSQL's own ways to write past a read-only
 * transaction are {@link PostgresQueryRefusalTest}'s.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueryCommandTest {
  private static final String PAGES_SQL = "select url, status, title, depth from pages order by url";

  @TempDir static Path dir;
  private static SmallCrawl crawl;
  @Parameter TestBackend backend;

  @BeforeParameterizedClassInvocation
  static void crawlTheSite(TestBackend backend) throws Exception {
    crawl = SmallCrawl.run(backend, dir.resolve(backend.name()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "insert into pages (url, depth) values ('http://127.0.0.1/new', 0)",
    "replace into pages (url, depth) values ('http://127.0.0.1/new', 0)",
    "/* a comment first */ update pages set title = 'changed'",
    "select load_extension('%s')",
    "delete from pages",
    "drop table pages",
    "create table extra (x integer)",
    "attach database '%s' as other",
    "pragma user_version = 9",
    "select 1; select 2",
    "with gone as (select url from pages) delete from pages where url in (select url from gone)",
    "select 1; delete from pages",
    "select 1; drop table links;",
  })
  void refusesEveryWriteAndLeavesTheDatabaseAsItWas(String sql) throws Exception {
    Path attached = dir.resolve(backend.name() + "-attached.db");
    List<Object> before = snapshot();

    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, sql.formatted(attached));

    assertThat(result.code()).as(result.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.err()).isNotBlank();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(attached).doesNotExist();
  }

  /**
   * The driver runs {@code backup}/{@code restore} itself when they reach it as a plain statement,
   * and {@code VACUUM INTO} creates its file before query_only refuses the copy: none may touch a file.
   */
  @ParameterizedTest
  @ValueSource(strings = {
    "backup to '%s'",
    "backup main to '%s'",
    "restore from '%s'",
    "restore main from '%s'",
    "vacuum into '%s'",
    "vacuum main into '%s'",
  })
  void refusesBackupRestoreAndVacuumIntoTouchingNoFile(String sql) throws Exception {
    Path other = dir.resolve("other.db");
    Files.deleteIfExists(other);
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + other); Statement stmt = conn.createStatement()) {
      stmt.executeUpdate("create table pages (url text)");
      stmt.executeUpdate("insert into pages values ('http://127.0.0.1/other')");
    }
    byte[] otherBytes = Files.readAllBytes(other);
    Path absent = dir.resolve("absent-" + UUID.randomUUID() + ".db");
    List<Object> before = snapshot();

    SmallCrawl.Result toNew = SmallCrawl.execute("query", "--db", crawl.db, sql.formatted(absent));
    SmallCrawl.Result toOther = SmallCrawl.execute("query", "--db", crawl.db, sql.formatted(other));

    assertThat(toNew.code()).as(toNew.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(toOther.code()).as(toOther.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(absent).doesNotExist();
    assertThat(Files.readAllBytes(other)).isEqualTo(otherBytes);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void printsAnAlignedTableOfTheRowsWithTheCountOnStderr() {
    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, PAGES_SQL);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    List<List<String>> table = readTable(result.out());
    assertThat(table.get(0)).containsExactly("url", "status", "title", "depth");
    assertThat(table.subList(1, table.size())).isEqualTo(expectedCells("NULL"));
    assertThat(result.err()).contains("5 rows");
    assertThat(result.out()).doesNotContain("5 rows");
  }

  @Test
  void printsOneJsonObjectPerRowWithItsColumnsTyped() {
    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, "--json", PAGES_SQL);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    List<Map<String, Object>> expected = Db.rows(crawl.db, PAGES_SQL);
    List<Map<String, Object>> rows = result.out().lines().map(line -> new JsonObject(line).getMap()).toList();
    assertThat(rows).hasSize(expected.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = rows.get(i);
      Map<String, Object> want = expected.get(i);
      assertThat(row.keySet()).containsExactly("url", "status", "title", "depth");
      assertThat(row.get("url")).isEqualTo(want.get("url"));
      assertThat(row.get("title")).isEqualTo(want.get("title"));
      assertThat(row.get("status") == null ? null : ((Number) row.get("status")).intValue()).isEqualTo(want.get("status"));
      assertThat(((Number) row.get("depth")).intValue()).isEqualTo(((Number) want.get("depth")).intValue());
    }
  }

  @Test
  void printsCsvWithAHeaderRow() {
    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, "--csv", PAGES_SQL);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    List<List<String>> csv = CsvReader.parse(result.out());
    assertThat(csv.get(0)).containsExactly("url", "status", "title", "depth");
    assertThat(csv.subList(1, csv.size())).isEqualTo(expectedCells(""));
  }

  /** A title that would recolour the terminal, ring its bell, set its window title and reverse the text after it. */
  static final String HOSTILE_TITLE = "\u001b[31mred\u001b[0m \u001b]0;owned\u0007 \u009b2J \u202eevil\u007f end";

  @Test
  void showsControlCharactersOfPageTextVisiblyInTheTable() throws Exception {
    String db = crawl.copyWith(dir.resolve("hostile-title.db"), "update pages set title = ? where url = ?", HOSTILE_TITLE,
        crawl.home);

    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", db, "select title from pages where url = '" + crawl.home + "'");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(result.out().lines()).hasSize(3);
    assertThat(result.out().replace("\n", "")).doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f\\u202a-\\u202e]");
    assertThat(result.out().lines().toList().get(2))
        .isEqualTo("\u241b[31mred\u241b[0m \u241b]0;owned\u2407 \\u009b2J \\u202eevil\u2421 end");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--json", "--csv"})
  void keepsPageTextExactInJsonAndCsv(String format) throws Exception {
    String db = crawl.copyWith(dir.resolve("hostile-title" + format + ".db"), "update pages set title = ? where url = ?",
        HOSTILE_TITLE, crawl.home);

    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", db, format,
        "select title from pages where url = '" + crawl.home + "'");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    String title = format.equals("--json") ? new JsonObject(result.out().strip()).getString("title")
        : CsvReader.parse(result.out()).get(1).get(0);
    assertThat(title).isEqualTo(HOSTILE_TITLE);
  }

  @Test
  void givesEachUrlItsHostThroughTheHostFunction() {
    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, "--csv",
        "select host(url) host, count(*) n from pages group by 1");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    List<List<String>> csv = CsvReader.parse(result.out());
    assertThat(csv.get(0)).containsExactly("host", "n");
    assertThat(csv.subList(1, csv.size())).containsExactlyInAnyOrder(
        List.of(hostOf(crawl.home), "4"), List.of(hostOf(crawl.refused), "1"));
  }

  @Test
  void refusesAMissingDatabaseWithExitTwo() {
    Path missing = dir.resolve("nothing-here.db");
    String empty = backend == TestBackend.SQLITE ? missing.toString() : backend.freshDatabase(dir);

    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", empty, "select 1");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(missing).doesNotExist();
    if (backend == TestBackend.POSTGRES) {
      assertThat(Db.hasTable(empty, "pages")).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ; ", "-- only a comment"})
  void refusesTextWithNoStatementAsBadInput(String sql) {
    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, sql);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--csv", "--json", "--table"})
  void stopsARunawayRecursiveQueryAtItsTimeoutWithExitOne(String format) {
    String endless = "with recursive r(n) as (select 1 union all select n + 1 from r) select n from r";
    List<String> args = new ArrayList<>(List.of("query", "--db", crawl.db, "--timeout", "300ms"));
    if (!format.equals("--table")) {
      args.add(format);
    }
    args.add(endless);

    SmallCrawl.Result result = SmallCrawl.execute(args.toArray(String[]::new));

    assertThat(result.code()).as(result.err()).isEqualTo(Main.FAILED);
    assertThat(result.err().lines()).hasSize(1);
  }

  @Test
  void stopsAnAggregateThatNeverReturnsARow() {
    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, "--timeout", "300ms",
        "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.FAILED);
    assertThat(result.out()).isEmpty();
  }

  @Test
  void runsWithoutALimitWhenTheTimeoutIsZero() {
    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, "--timeout", "0", "--csv",
        "with recursive r(n) as (select 1 union all select n + 1 from r where n < 100000) select count(*) as n from r");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(CsvReader.parse(result.out())).containsExactly(List.of("n"), List.of("100000"));
  }

  @Test
  void refusesATimeoutThatIsNotADuration() {
    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, "--timeout", "soon", "select 1");

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.out()).isEmpty();
  }

  @Test
  void limitsAQueryToFiveMinutesByDefault() {
    CommandLine query = new CommandLine(new Main()).getSubcommands().get("query");

    assertThat(query.getCommandSpec().findOption("--timeout").defaultValue()).isEqualTo("5m");
  }

  @Test
  void refusesASyntaxErrorAsBadInputWithOneLineAndNoStackTrace() {
    SmallCrawl.Result result = SmallCrawl.execute("query", "--db", crawl.db, "selec url from pages");

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  private static String hostOf(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + ":" + uri.getPort();
  }

  /** What a write would change: rows of every table, the schema and its version. */
  private List<Object> snapshot() throws Exception {
    List<Object> state = new ArrayList<>();
    for (String table : List.of("pages", "urls", "link_ids", "items", "frontier", "crawls", "downloads")) {
      String order = table.equals("link_ids") ? "from_id, seq" : backend.writeOrder(); // WITHOUT ROWID in SQLite
      state.add(Db.rows(crawl.db, "select * from " + table + " order by " + order).toString());
    }
    if (backend == TestBackend.SQLITE) {
      state.add(Db.rows(crawl.db, "select type, name, sql from sqlite_master order by name"));
      state.add(Db.count(crawl.db, "pragma user_version"));
    } else {
      state.addAll(PostgresQueryRefusalTest.catalog(crawl.db));
    }
    state.add(Files.exists(dir.resolve("extra")));
    return state;
  }

  /** The rows of {@link #PAGES_SQL} as text cells, a NULL shown as {@code nullCell}. */
  private static List<List<String>> expectedCells(String nullCell) {
    List<List<String>> cells = new ArrayList<>();
    for (Map<String, Object> row : Db.rows(crawl.db, PAGES_SQL)) {
      cells.add(row.values().stream().map(v -> v == null ? nullCell : String.valueOf(v)).toList());
    }
    return cells;
  }

  /** Reads the aligned table back: the dashes under the header give each column's start. */
  private static List<List<String>> readTable(String text) {
    List<String> lines = text.lines().toList();
    String rule = lines.get(1);
    assertThat(rule).matches("-+(  -+)*");
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = 1; i < rule.length(); i++) {
      if (rule.charAt(i) == '-' && rule.charAt(i - 1) == ' ') {
        starts.add(i);
      }
    }
    List<List<String>> rows = new ArrayList<>();
    for (int l = 0; l < lines.size(); l++) {
      if (l == 1) {
        continue;
      }
      String line = lines.get(l);
      String[] cells = new String[starts.size()];
      for (int c = 0; c < starts.size(); c++) {
        int from = starts.get(c);
        int to = c + 1 < starts.size() ? starts.get(c + 1) - 2 : line.length();
        cells[c] = line.substring(from, Math.min(to, line.length())).stripTrailing();
      }
      rows.add(Arrays.asList(cells));
    }
    return rows;
  }
}
