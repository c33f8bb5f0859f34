package io.trawl.store.sqlite;

import io.trawl.config.Durations;
import io.trawl.core.UrlNormalizer;
import io.trawl.store.ExportTable;
import io.trawl.store.StoreException;
import io.trawl.store.StoreReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sqlite.Function;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteLimits;
import org.sqlite.SQLiteOpenMode;

/**
 * A read-only connection to a trawl SQLite file: opened read-only and {@code query_only}, so no
 * statement can write, whatever it is; and no database can be attached to it: {@code VACUUM INTO}
 * works by attaching its target, which SQLite creates (read-only connection or not) before
 * {@code query_only} refuses the copy. The user's text goes to SQLite as a prepared statement, so
 * only SQLite parses it: a plain JDBC statement would let the driver run its own {@code backup
 * to}/{@code restore from} commands, which write files, before SQLite ever saw the text. Adds the
 * SQL function {@code host(url)}. The command line's main thread.
 */
final class SqliteReader implements StoreReader {
  private static final Map<ExportTable, String> EXPORTS = Map.of(
      ExportTable.PAGES, "SELECT * FROM pages ORDER BY rowid",
      ExportTable.LINKS, "SELECT from_url, to_url FROM links ORDER BY rowid",
      ExportTable.ITEMS, "SELECT page_url, rule, data, extracted_at FROM items WHERE (? IS NULL OR rule = ?) ORDER BY id",
      ExportTable.FRONTIER, "SELECT * FROM frontier ORDER BY id",
      ExportTable.CRAWLS, "SELECT * FROM crawls ORDER BY id",
      ExportTable.DOWNLOADS, "SELECT * FROM downloads ORDER BY rowid",
      ExportTable.PAGE_VERSIONS, "SELECT * FROM page_versions ORDER BY id",
      ExportTable.ITEM_HISTORY, "SELECT * FROM item_history ORDER BY rowid");
  private static final String ITEM_KEYS =
      """
      SELECT j.key FROM items, json_each(items.data) j
      WHERE (? IS NULL OR items.rule = ?)
      GROUP BY j.key ORDER BY min(items.id), min(j.id)""";
  private static final List<String> SECTIONS =
      List.of("crawls", "frontier", "pages by status", "pages by error", "top hosts", "totals", "downloads");
  private static final String RENDERED = "pages rendered";
  private static final Map<String, String> STATS = Map.of(
      "crawls", """
          SELECT id, started_at, coalesce(finished_at, '-') AS finished_at, coalesce(outcome, 'running or killed') AS outcome,
                 json_extract(stats, '$.stored') AS pages, round(json_extract(stats, '$.pagesPerSecond'), 1) AS pages_per_s
          FROM crawls ORDER BY id""",
      "frontier", "SELECT state, count(*) AS urls FROM frontier GROUP BY state ORDER BY urls DESC",
      "pages by status",
      "SELECT coalesce(status, 'none') AS status, count(*) AS pages FROM pages GROUP BY status ORDER BY pages DESC",
      "pages by error",
      "SELECT error, count(*) AS pages FROM pages WHERE error IS NOT NULL GROUP BY error ORDER BY pages DESC",
      "top hosts", """
          SELECT host(url) AS host, count(*) AS pages, sum(error IS NOT NULL) AS errors,
                 round(avg(elapsed_ms)) AS avg_ms, sum(bytes) AS bytes
          FROM pages GROUP BY 1 ORDER BY pages DESC LIMIT ?""",
      "totals", """
          SELECT (SELECT count(*) FROM pages) AS pages, (SELECT count(*) FROM links) AS links,
                 (SELECT count(*) FROM items) AS items, (SELECT coalesce(sum(bytes), 0) FROM pages) AS bytes""",
      "downloads", """
          SELECT count(*) AS downloads, count(DISTINCT path) AS files,
                 (SELECT coalesce(sum(bytes), 0) FROM (SELECT DISTINCT path, bytes FROM downloads)) AS file_bytes
          FROM downloads""",
      RENDERED, """
          SELECT rendered AS why, count(*) AS pages, sum(error IS NOT NULL) AS errors, round(avg(elapsed_ms)) AS avg_ms
          FROM pages WHERE rendered IS NOT NULL GROUP BY rendered ORDER BY pages DESC""");

  private static final int STEPS_PER_CHECK = 1_000;

  private final Path file;
  private final Connection conn;
  private final AtomicBoolean timedOut = new AtomicBoolean();
  private Duration timeout = Duration.ZERO;
  private Statement current;

  private SqliteReader(Path file, Connection conn) {
    this.file = file;
    this.conn = conn;
  }

  /** Opens {@code file} read-only; a missing file is bad input, not an empty result. */
  static SqliteReader open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new StoreException(StoreException.Kind.NO_DATABASE, file + ": no such database (run a crawl first, or pass --db)");
    }
    try {
      return new SqliteReader(file, connect(file));
    } catch (SQLException e) {
      throw new StoreException(StoreException.Kind.NO_DATABASE, file + ": cannot open the database: " + e.getMessage(), e);
    }
  }

  /** A read-only, query-only connection with {@code host(url)}. */
  static Connection connect(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    config.setBusyTimeout(10_000);
    Connection conn = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement stmt = conn.createStatement()) {
      stmt.execute("PRAGMA query_only = 1");
      ((SQLiteConnection) conn).setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
      Function.create(conn, "host", new Function() {
        @Override
        protected void xFunc() throws SQLException {
          String url = value_text(0);
          result(url == null ? null : UrlNormalizer.host(url));
        }
      }, 1, Function.FLAG_DETERMINISTIC);
      return conn;
    } catch (SQLException e) {
      conn.close();
      throw e;
    }
  }

  static boolean tableExists(Statement stmt, String table) throws SQLException {
    try (ResultSet rs = stmt.executeQuery(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
      return rs.next();
    }
  }

  @Override
  public ResultSet query(String sql, Duration limit) {
    if (SqlText.isBlank(sql)) {
      throw new StoreException(StoreException.Kind.REFUSED, "no SQL statement given (nothing was run)");
    }
    if (SqlText.hasSeveralStatements(sql)) {
      throw new StoreException(StoreException.Kind.REFUSED, "one statement at a time (the text holds more than one; nothing was run)");
    }
    try {
      PreparedStatement stmt = fresh(conn.prepareStatement(sql));
      interruptAfter(limit);
      return stmt.execute() ? stmt.getResultSet() : null;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public StoreException failure(SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (timedOut.get()) {
      return new StoreException(StoreException.Kind.TIMEOUT,
          "stopped after " + Durations.format(timeout) + " (--timeout; 0 = no limit)", e);
    }
    if (e instanceof SQLiteException sqlite && sqlite.getResultCode().code % 256 == SQLiteErrorCode.SQLITE_READONLY.code) {
      return new StoreException(StoreException.Kind.REFUSED,
          "the database is opened read-only; write statements are refused (nothing was changed)", e);
    }
    if (message.contains("too many attached databases")) {
      // SQLite's words for ATTACH and VACUUM (INTO), which attach a database, on a connection allowed none.
      return new StoreException(StoreException.Kind.REFUSED,
          "ATTACH and VACUUM are not available: the database is opened read-only and alone (nothing was changed)", e);
    }
    return new StoreException(StoreException.Kind.BAD_SQL, message, e);
  }

  /**
   * Interrupts whatever runs on the connection once {@code limit} has passed from now (never when
   * it is zero). A progress handler looks at the clock every {@value #STEPS_PER_CHECK} virtual
   * machine steps: the driver's {@code setQueryTimeout} only sets the busy timeout and stops
   * nothing that is already running.
   */
  private void interruptAfter(Duration limit) throws SQLException {
    timeout = limit;
    timedOut.set(false);
    if (limit.isZero()) {
      ProgressHandler.clearHandler(conn);
      return;
    }
    long deadline = System.nanoTime() + limit.toNanos();
    ProgressHandler.setHandler(conn, STEPS_PER_CHECK, new ProgressHandler() {
      @Override
      protected int progress() {
        if (System.nanoTime() - deadline < 0) {
          return 0;
        }
        timedOut.set(true);
        return 1;
      }
    });
  }

  @Override
  public ResultSet export(ExportTable table, String rule) {
    try {
      PreparedStatement stmt = fresh(conn.prepareStatement(EXPORTS.get(table)));
      if (table == ExportTable.ITEMS) {
        stmt.setString(1, rule);
        stmt.setString(2, rule);
      }
      stmt.setFetchSize(1000);
      return stmt.executeQuery();
    } catch (SQLException e) {
      throw failed("export " + table.tableName(), e);
    }
  }

  @Override
  public List<String> itemKeys(String rule) {
    try (PreparedStatement stmt = conn.prepareStatement(ITEM_KEYS)) {
      stmt.setString(1, rule);
      stmt.setString(2, rule);
      return strings(stmt.executeQuery());
    } catch (SQLException e) {
      throw failed("read the items' fields", e);
    }
  }

  @Override
  public List<String> itemRules() {
    try (Statement stmt = conn.createStatement()) {
      return strings(stmt.executeQuery("SELECT DISTINCT rule FROM items ORDER BY rule"));
    } catch (SQLException e) {
      throw failed("read the items' rules", e);
    }
  }

  @Override
  public List<String> statsSections() {
    try (Statement stmt = conn.createStatement()) {
      // A file written before schema version 2, opened read-only, has no downloads to count.
      List<String> sections = new java.util.ArrayList<>(
          tableExists(stmt, "downloads") ? SECTIONS : SECTIONS.subList(0, SECTIONS.size() - 1));
      if (anyRendered(stmt)) {
        sections.add(RENDERED);
      }
      return List.copyOf(sections);
    } catch (SQLException e) {
      throw failed("read the schema", e);
    }
  }

  @Override
  public ResultSet stats(String section, int topHosts) {
    try {
      PreparedStatement stmt = fresh(conn.prepareStatement(STATS.get(section)));
      if (section.equals("top hosts")) {
        stmt.setInt(1, topHosts);
      }
      return stmt.executeQuery();
    } catch (SQLException e) {
      throw failed("read the " + section, e);
    }
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw failed("close the database", e);
    }
  }

  /** Closes the statement of the previous call: one result open at a time. */
  private <S extends Statement> S fresh(S stmt) throws SQLException {
    if (current != null) {
      current.close();
    }
    current = stmt;
    return stmt;
  }

  private static List<String> strings(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private StoreException failed(String what, SQLException e) {
    return new StoreException(StoreException.Kind.FAILED, file + ": cannot " + what + ": " + e.getMessage(), e);
  }

  /** Whether a page was rendered; false for a file written before schema version 5, which has no pages.rendered. */
  private static boolean anyRendered(Statement stmt) throws SQLException {
    try (ResultSet columns = stmt.executeQuery("SELECT count(*) FROM pragma_table_info('pages') WHERE name = 'rendered'")) {
      if (!columns.next() || columns.getInt(1) == 0) {
        return false;
      }
    }
    try (ResultSet rs = stmt.executeQuery("SELECT EXISTS (SELECT 1 FROM pages WHERE rendered IS NOT NULL)")) {
      return rs.next() && rs.getInt(1) == 1;
    }
  }
}
