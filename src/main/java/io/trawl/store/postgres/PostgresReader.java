package io.trawl.store.postgres;

import io.trawl.config.Durations;
import io.trawl.store.ExportTable;
import io.trawl.store.StoreException;
import io.trawl.store.StoreReader;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only view of a crawl's PostgreSQL schema: one connection whose every transaction is read
 * only ({@code default_transaction_read_only}), with auto-commit off so that results stream
 * through a server-side cursor ({@value #FETCH_ROWS} rows at a time) and whatever ran is rolled
 * back at {@link #close()}. The user's SQL also passes {@link PgQueryGuard} first. The command
 * line's main thread.
 */
final class PostgresReader implements StoreReader {
  private static final int FETCH_ROWS = 1000;
  /** Write order: the identity column where there is one, else the rows' physical order. */
  /** The links since migration 9: by page, each page's in document order. */
  private static final String LINKS_BY_ID = """
      SELECT f.url AS from_url, t.url AS to_url
      FROM link_ids l JOIN urls f ON f.id = l.from_id JOIN urls t ON t.id = l.to_id ORDER BY l.from_id, l.seq""";
  private static final Map<ExportTable, String> EXPORTS = Map.of(
      ExportTable.PAGES, "SELECT * FROM pages ORDER BY ctid",
      ExportTable.LINKS, "SELECT from_url, to_url FROM links ORDER BY ctid", // a table, before migration 9
      ExportTable.ITEMS,
      "SELECT page_url, rule, data::text AS data, extracted_at FROM items WHERE (?::text IS NULL OR rule = ?) ORDER BY id",
      ExportTable.FRONTIER, "SELECT * FROM frontier ORDER BY id",
      ExportTable.CRAWLS, "SELECT * FROM crawls ORDER BY id",
      ExportTable.DOWNLOADS, "SELECT * FROM downloads ORDER BY ctid",
      ExportTable.PAGE_VERSIONS, "SELECT * FROM page_versions ORDER BY id",
      ExportTable.ITEM_HISTORY,
      """
      SELECT item_id, page_url, rule, item_key, data::text AS data, extracted_at, crawl_id, removed_in
      FROM item_history ORDER BY ctid""");
  /** Each key of the items' data with the first item that has it. */
  private static final String ITEM_KEYS =
      """
      SELECT DISTINCT ON (k) k, items.id, items.rule FROM items, jsonb_object_keys(items.data) k
      WHERE (?::text IS NULL OR items.rule = ?) ORDER BY k, items.id""";
  private static final List<String> SECTIONS =
      List.of("crawls", "frontier", "pages by status", "pages by error", "top hosts", "totals", "downloads");
  private static final String RENDERED = "pages rendered";
  private static final String ANY_RENDERED = "SELECT EXISTS (SELECT 1 FROM pages WHERE rendered IS NOT NULL)";
  /** Autothrottle's last pace of each host, from the latest crawl that had it on ({@code crawls.stats.hostPace}). */
  private static final String HOST_PACE = "host pace";
  private static final String ANY_PACE = "SELECT EXISTS (SELECT 1 FROM crawls WHERE (stats::jsonb -> 'hostPace') IS NOT NULL)";
  /** The nodes of cluster crawls, each with the pages it stored (pages.node: the last node to store the URL). */
  private static final String NODES = "nodes";
  private static final String ANY_NODES = "SELECT EXISTS (SELECT 1 FROM crawl_nodes)";
  private static final Map<String, String> STATS = Map.of(
      "crawls", """
          SELECT id, started_at, coalesce(finished_at, '-') AS finished_at, coalesce(outcome, 'running or killed') AS outcome,
                 (stats::jsonb ->> 'stored')::bigint AS pages,
                 round((stats::jsonb ->> 'pagesPerSecond')::numeric, 1) AS pages_per_s
          FROM crawls ORDER BY id""",
      "frontier", "SELECT state, count(*) AS urls FROM frontier GROUP BY state ORDER BY urls DESC",
      "pages by status",
      "SELECT coalesce(status::text, 'none') AS status, count(*) AS pages FROM pages GROUP BY status ORDER BY pages DESC",
      "pages by error",
      "SELECT error, count(*) AS pages FROM pages WHERE error IS NOT NULL GROUP BY error ORDER BY pages DESC",
      "top hosts", """
          SELECT host(url) AS host, count(*) AS pages, count(error) AS errors,
                 round(avg(elapsed_ms)) AS avg_ms, sum(bytes) AS bytes
          FROM pages GROUP BY 1 ORDER BY pages DESC LIMIT ?""",
      "totals", """
          SELECT (SELECT count(*) FROM pages) AS pages, (SELECT count(*) FROM links) AS links,
                 (SELECT count(*) FROM items) AS items, (SELECT coalesce(sum(bytes), 0) FROM pages) AS bytes""",
      "downloads", """
          SELECT count(*) AS downloads, count(DISTINCT path) AS files,
                 (SELECT coalesce(sum(bytes), 0) FROM (SELECT DISTINCT path, bytes FROM downloads) d) AS file_bytes
          FROM downloads""",
      HOST_PACE, """
          SELECT p.key AS host, (p.value ->> 'perSecond')::numeric AS per_s,
                 (p.value ->> 'configuredPerSecond')::numeric AS configured_per_s,
                 (p.value ->> 'slowdowns')::int AS slowdowns
          FROM crawls c, jsonb_each(c.stats::jsonb -> 'hostPace') p
          WHERE c.id = (SELECT max(id) FROM crawls WHERE (stats::jsonb -> 'hostPace') IS NOT NULL)
          ORDER BY per_s, host LIMIT ?""",
      RENDERED, """
          SELECT rendered AS why, count(*) AS pages, count(error) AS errors, round(avg(elapsed_ms)) AS avg_ms
          FROM pages WHERE rendered IS NOT NULL GROUP BY rendered ORDER BY pages DESC""",
      NODES, """
          SELECT n.crawl_id AS crawl, n.address, n.joined_at, coalesce(n.left_at, '-') AS left_at,
                 coalesce(n.outcome, 'running or killed') AS outcome, coalesce(p.pages, 0) AS pages,
                 coalesce(p.errors, 0) AS errors
          FROM crawl_nodes n
          LEFT JOIN (SELECT node, count(*) AS pages, count(error) AS errors FROM pages
                     WHERE node IS NOT NULL GROUP BY node) p ON p.node = n.node
          ORDER BY n.crawl_id, n.joined_at""");

  private static final Logger log = LoggerFactory.getLogger(PostgresReader.class);

  private final PgConnector connector;
  private final Connection conn;
  private final AtomicBoolean timedOut = new AtomicBoolean();
  private Duration timeout = Duration.ZERO;
  private Timer canceller;
  private Statement current;

  private PostgresReader(PgConnector connector, Connection conn) {
    this.connector = connector;
    this.conn = conn;
  }

  /** Connects read-only; a schema without trawl's tables is no database to read. */
  static PostgresReader open(PgConnector connector) {
    Connection conn = connector.open(true);
    try {
      conn.setAutoCommit(false);
      conn.setReadOnly(true);
      if (!PostgresCatalog.tableExists(conn, connector.schema(), "pages")) {
        throw new StoreException(StoreException.Kind.NO_DATABASE, connector.display()
            + ": no trawl tables in schema " + connector.schema() + " (run a crawl first, or check --db and crawl.db_schema)");
      }
      conn.rollback();
      return new PostgresReader(connector, conn);
    } catch (SQLException e) {
      close(conn, e);
      throw connector.failed("read the catalog", e);
    } catch (RuntimeException e) {
      close(conn, e);
      throw e;
    }
  }

  @Override
  public ResultSet query(String sql, Duration limit) {
    boolean standard;
    try {
      standard = conn.unwrap(BaseConnection.class).getStandardConformingStrings();
    } catch (SQLException e) {
      throw connector.failed("read the server's settings", e);
    }
    PgQueryGuard.check(sql, standard);
    try {
      Statement stmt = fresh(conn.createStatement());
      stmt.setFetchSize(FETCH_ROWS);
      cancelAfter(stmt, limit);
      return stmt.execute(sql) ? stmt.getResultSet() : null;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public StoreException failure(SQLException e) {
    rollback(e);
    String state = String.valueOf(e.getSQLState());
    if (timedOut.get()) {
      return new StoreException(StoreException.Kind.TIMEOUT,
          "stopped after " + Durations.format(timeout) + " (--timeout; 0 = no limit)", e);
    }
    if (state.equals("25006")) {
      return new StoreException(StoreException.Kind.REFUSED,
          "the query runs in a read-only transaction; write statements are refused (nothing was changed)", e);
    }
    if (state.equals("42501")) {
      return new StoreException(StoreException.Kind.REFUSED, PgConnector.firstLine(e.getMessage()) + " (nothing was changed)", e);
    }
    if (state.startsWith("08") || state.startsWith("57P")) {
      return connector.failed("run the query", e);
    }
    return new StoreException(StoreException.Kind.BAD_SQL, PgConnector.firstLine(e.getMessage()), e);
  }

  /**
   * Cancels the statement (the driver asks the server to, on a connection of its own) and cuts
   * the connection once {@code limit} has passed, rows still being read included; never when it
   * is zero.
   */
  private void cancelAfter(Statement stmt, Duration limit) {
    timeout = limit;
    timedOut.set(false);
    if (limit.isZero()) {
      return;
    }
    if (canceller == null) {
      canceller = new Timer("trawl-query-timeout", true);
    }
    canceller.schedule(new TimerTask() {
      @Override
      public void run() {
        timedOut.set(true);
        try {
          // Cancel stops a statement the server is running; between two fetches of a streamed
          // result nothing runs there, so the connection is cut as well (it was read-only).
          stmt.cancel();
          conn.abort(Runnable::run);
        } catch (SQLException e) {
          log.warn("cancelling the query after its timeout failed db={}", connector.display(), e);
        }
      }
    }, limit.toMillis());
  }

  @Override
  public ResultSet export(ExportTable table, String rule) {
    try {
      boolean linkIds = table == ExportTable.LINKS && PostgresCatalog.tableExists(conn, connector.schema(), "link_ids");
      PreparedStatement stmt = fresh(conn.prepareStatement(linkIds ? LINKS_BY_ID : EXPORTS.get(table)));
      if (table == ExportTable.ITEMS) {
        stmt.setString(1, rule);
        stmt.setString(2, rule);
      }
      stmt.setFetchSize(FETCH_ROWS);
      return stmt.executeQuery();
    } catch (SQLException e) {
      throw failed("export " + table.tableName(), e);
    }
  }

  /**
   * jsonb keeps an object's keys in its own order (shorter first), not as written; the order a
   * rule's fields were written in is in the crawls' configs. So: keys by the first item that has
   * them, and within one item by their place among its rule's fields, as SQLite's json_each gives.
   */
  @Override
  public List<String> itemKeys(String rule) {
    record Key(String name, long firstItem, int place) {}
    try {
      Map<String, List<String>> fieldsByRule = fieldsByRule();
      List<Key> keys = new ArrayList<>();
      try (PreparedStatement stmt = conn.prepareStatement(ITEM_KEYS)) {
        stmt.setString(1, rule);
        stmt.setString(2, rule);
        try (ResultSet rs = stmt.executeQuery()) {
          while (rs.next()) {
            String name = rs.getString(1);
            int place = fieldsByRule.getOrDefault(rs.getString(3), List.of()).indexOf(name);
            keys.add(new Key(name, rs.getLong(2), place < 0 ? Integer.MAX_VALUE : place));
          }
        }
      }
      keys.sort(Comparator.comparingLong(Key::firstItem).thenComparingInt(Key::place).thenComparing(Key::name));
      return keys.stream().map(Key::name).toList();
    } catch (SQLException e) {
      throw failed("read the items' fields", e);
    }
  }

  /** Each rule's field names in the order of its config; the latest crawl's config first. */
  private Map<String, List<String>> fieldsByRule() throws SQLException {
    Map<String, List<String>> fields = new HashMap<>();
    try (Statement stmt = conn.createStatement(); ResultSet rs = stmt.executeQuery("SELECT config FROM crawls ORDER BY id DESC")) {
      while (rs.next()) {
        JsonArray rules;
        try {
          rules = new JsonObject(rs.getString(1)).getJsonArray("rules", new JsonArray());
        } catch (DecodeException | ClassCastException e) {
          continue; // a config that is not trawl's JSON orders nothing
        }
        for (int i = 0; i < rules.size(); i++) {
          JsonObject r = rules.getJsonObject(i);
          JsonObject f = r.getJsonObject("fields", new JsonObject());
          fields.putIfAbsent(r.getString("name"), List.copyOf(f.fieldNames()));
        }
      }
    }
    return fields;
  }

  @Override
  public List<String> itemRules() {
    try (Statement stmt = conn.createStatement(); ResultSet rs = stmt.executeQuery("SELECT DISTINCT rule FROM items ORDER BY rule")) {
      List<String> rules = new ArrayList<>();
      while (rs.next()) {
        rules.add(rs.getString(1));
      }
      return rules;
    } catch (SQLException e) {
      throw failed("read the items' rules", e);
    }
  }

  @Override
  public List<String> statsSections() {
    // A schema written before version 5, read as it is, has no pages.rendered.
    try {
      List<String> sections = SECTIONS;
      if (PostgresCatalog.columnExists(conn, connector.schema(), "pages", "rendered") && exists(ANY_RENDERED)) {
        sections = concat(sections, RENDERED);
      }
      if (exists(ANY_PACE)) {
        sections = concat(sections, HOST_PACE);
      }
      // A schema written before version 8, read as it is, has no cluster nodes.
      if (PostgresCatalog.tableExists(conn, connector.schema(), "crawl_nodes") && exists(ANY_NODES)) {
        sections = concat(sections, NODES);
      }
      return sections;
    } catch (SQLException e) {
      throw failed("read the pages", e);
    }
  }

  private boolean exists(String sql) throws SQLException {
    try (Statement stmt = conn.createStatement(); ResultSet rs = stmt.executeQuery(sql)) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static List<String> concat(List<String> list, String last) {
    List<String> all = new java.util.ArrayList<>(list);
    all.add(last);
    return List.copyOf(all);
  }

  @Override
  public ResultSet stats(String section, int topHosts) {
    try {
      PreparedStatement stmt = fresh(conn.prepareStatement(STATS.get(section)));
      if (section.equals("top hosts") || section.equals(HOST_PACE)) {
        stmt.setInt(1, topHosts);
      }
      return stmt.executeQuery();
    } catch (SQLException e) {
      throw failed("read the " + section, e);
    }
  }

  @Override
  public void close() {
    if (canceller != null) {
      canceller.cancel();
    }
    try {
      if (conn.isClosed()) {
        return; // cut by the timeout
      }
      try {
        conn.rollback();
      } finally {
        conn.close();
      }
    } catch (SQLException e) {
      throw connector.failed("close the connection", e);
    }
  }

  private <S extends Statement> S fresh(S stmt) throws SQLException {
    if (current != null) {
      current.close();
    }
    current = stmt;
    return stmt;
  }

  private void rollback(SQLException cause) {
    try {
      conn.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private StoreException failed(String what, SQLException e) {
    rollback(e);
    return connector.failed(what, e);
  }

  private static void close(Connection conn, Exception cause) {
    try {
      conn.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
