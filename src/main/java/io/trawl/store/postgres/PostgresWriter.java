package io.trawl.store.postgres;

import io.trawl.bus.CookieChanges;
import io.trawl.bus.CookieRecord;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.QueuedBatch;
import io.trawl.bus.Revisit;
import io.trawl.store.CookieSql;
import io.trawl.store.InFlightRows;
import io.trawl.store.PageVersion;
import io.trawl.store.RunKind;
import io.trawl.store.StoreException;
import io.trawl.store.StoreWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection that writes a crawl's PostgreSQL schema, with the driver (pgjdbc) on the
 * store's writer thread, as SQLite's writer does. A batch is one transaction of the few statements
 * it needs, sent together, each taking whole columns as arrays ({@code unnest}): a batch of 64
 * pages with 50 links each is two round trips (the statements, the commit), not thousands of rows
 * sent one by one. Discovered URLs go in with
 * {@code ON CONFLICT DO NOTHING RETURNING url}, which says which were new. Its parts: the
 * statements ({@link PostgresSql}), a batch's columns ({@link PgBatch}), a cluster node's fence
 * ({@link NodeFence}), the rows a stopped run left in flight (the shared {@link InFlightRows}). Only ever
 * called on the store's single writer thread, never on an event loop.
 */
final class PostgresWriter implements StoreWriter {
  /** Prepared once per combination of the statements a batch needs (a few in a crawl). */
  private static final int MAX_CACHED_BATCHES = 64;
  /** Runs of one batch that met a deadlock or serialization failure before the writer gives up. */
  private static final int MAX_ATTEMPTS = 5;
  private static final Logger log = LoggerFactory.getLogger(PostgresWriter.class);

  private final Connection conn;
  private final PgConnector connector;
  /** The node of a cluster crawl this writer writes for, or null for a crawl on one machine. */
  private final String node;
  private final NodeFence fence;
  private final Map<String, PreparedStatement> batches = new HashMap<>();
  private final PreparedStatement insertDiscovered;
  private final PreparedStatement selectQueued;
  private PreparedStatement selectQueuedIn;

  private PostgresWriter(Connection conn, PgConnector connector, String node) throws SQLException {
    this.conn = conn;
    this.connector = connector;
    this.node = node;
    this.fence = new NodeFence(conn, connector, node);
    this.insertDiscovered = conn.prepareStatement(PostgresSql.INSERT_DISCOVERED);
    this.selectQueued = conn.prepareStatement(PostgresSql.SELECT_QUEUED);
  }

  /**
   * Connects, creates or migrates the tables in one transaction, and requeues in-flight rows if asked; blocking.
   *
   * @param node the cluster node this writer writes for (its claims and pages carry it, and every
   *     batch is fenced by its {@code crawl_nodes} row), or null outside a cluster
   * @param leaseMs for a node, {@code cluster.lease}: how long the server lets one of its
   *     transactions stay open and idle ({@link NodeFence#endIdleTransactionsAfter})
   */
  static PostgresWriter open(PgConnector connector, boolean requeueInFlight, String node, long leaseMs) {
    Connection conn = connector.open(false);
    try {
      PostgresMigrator.migrate(conn, connector);
      if (requeueInFlight) {
        InFlightRows.requeue(conn, PostgresSql.REQUEUE_IN_FLIGHT);
      }
      if (node != null) {
        NodeFence.endIdleTransactionsAfter(conn, leaseMs);
      }
      return new PostgresWriter(conn, connector, node);
    } catch (SQLException e) {
      closeQuietly(conn, e);
      throw connector.failed("prepare the tables", e);
    } catch (RuntimeException e) {
      closeQuietly(conn, e);
      throw e;
    }
  }

  /**
   * Sends the statements the batch needs together, as one list the driver sends and reads the
   * answers of at once: a batch costs two round trips to the server (the statements, the commit),
   * not one per statement. Claims run before the pages' final states, as in SQLite's batch.
   */
  @Override
  public List<Integer> write(List<FrontierUpdate> updates, List<PageRecord> pages, List<PageVersion> versions,
      List<List<String>> discovered, long crawlId) {
    List<PgBatch.Part> parts = new ArrayList<>();
    PgBatch.frontierParts(updates, node, parts);
    Map<String, Integer> pageOf = new HashMap<>();
    if (!pages.isEmpty()) {
      PgBatch.pageParts(pages, versions, discovered, crawlId, node, pageOf, parts);
    }
    if (parts.isEmpty()) {
      return List.of();
    }
    if (fence.active()) {
      parts.add(0, new PgBatch.Part(NodeFence.SQL, b -> b.text(node)));
    }
    for (int attempt = 1; ; attempt++) {
      try {
        PreparedStatement batch = statement(parts);
        ArrayBinder binder = new ArrayBinder(batch);
        for (PgBatch.Part part : parts) {
          part.bind().bind(binder);
        }
        List<Integer> added = run(batch, parts, pages.size(), pageOf);
        conn.commit();
        return added;
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && isTransient(e)) {
          rollBackForRetry(e);
          continue;
        }
        throw rolledBack("write a batch", e);
      }
    }
  }

  /**
   * A deadlock or serialization failure: the server rolled the transaction back and the same batch
   * may simply run again. In a cluster, two nodes' batches insert the same discovered URLs (unique
   * in {@code frontier}) in their pages' order, not one common order, so each may wait for a row
   * the other inserted: PostgreSQL ends one of them after {@code deadlock_timeout} (SQLSTATE 40P01).
   * The URLs keep their discovery order (the frontier's ids are the crawl's order), so the loser
   * runs again rather than the inserts being sorted.
   */
  private static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && (isTransient(sql.getSQLState()) || anyTransient(sql.getNextException()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyTransient(SQLException next) {
    for (; next != null; next = next.getNextException()) {
      if (isTransient(next.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTransient(String sqlState) {
    return "40P01".equals(sqlState) || "40001".equals(sqlState); // deadlock_detected, serialization_failure
  }

  private void rollBackForRetry(SQLException e) {
    try {
      conn.rollback();
    } catch (SQLException rollback) {
      e.addSuppressed(rollback);
      throw connector.failed("write a batch", e);
    }
    log.warn("a batch met another node's transaction ({}); running it again", PgConnector.firstLine(e.getMessage()));
  }

  private PreparedStatement statement(List<PgBatch.Part> parts) throws SQLException {
    String sql = String.join(";\n", parts.stream().map(PgBatch.Part::sql).toList());
    PreparedStatement stmt = batches.get(sql);
    if (stmt == null) {
      if (batches.size() >= MAX_CACHED_BATCHES) {
        for (PreparedStatement old : batches.values()) {
          old.close();
        }
        batches.clear();
      }
      stmt = conn.prepareStatement(sql);
      batches.put(sql, stmt);
    }
    return stmt;
  }

  /**
   * Runs the bound batch, one result per statement in the order of {@code parts}; counts, per page,
   * the discovered URLs the frontier did not have (the rows the insert of discovered URLs returns).
   * Throws, to be rolled back, when the fence finds this node evicted.
   */
  private List<Integer> run(PreparedStatement batch, List<PgBatch.Part> parts, int pages, Map<String, Integer> pageOf)
      throws SQLException {
    Integer[] added = new Integer[pages];
    Arrays.fill(added, 0);
    boolean rows = batch.execute();
    for (int i = 0; rows || batch.getUpdateCount() != -1; i++) {
      if (rows) {
        try (ResultSet rs = batch.getResultSet()) {
          if (NodeFence.SQL.equals(parts.get(i).sql())) {
            fence.checkResult(rs);
          } else {
            while (rs.next()) {
              added[pageOf.get(rs.getString(1))]++;
            }
          }
        }
      }
      rows = batch.getMoreResults();
    }
    return List.of(added);
  }

  @Override
  public QueuedBatch queued(long afterId, int limit) {
    try {
      List<FrontierRow> rows = new ArrayList<>(Math.min(limit, 8192));
      selectQueued.setLong(1, afterId);
      selectQueued.setInt(2, limit);
      selectQueued.setFetchSize(8192);
      try (ResultSet rs = selectQueued.executeQuery()) {
        while (rs.next()) {
          rows.add(new FrontierRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5),
              revisit(rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9))));
        }
      }
      long total;
      long finished = -1;
      try (Statement stmt = conn.createStatement()) {
        total = single(stmt, PostgresSql.COUNT_QUEUED);
        if (afterId == 0) {
          finished = single(stmt, PostgresSql.COUNT_FINISHED);
        }
      }
      conn.commit();
      return new QueuedBatch(rows, total, finished);
    } catch (SQLException e) {
      throw rolledBack("read the queued frontier rows", e);
    }
  }

  /** What a queued row's columns say of its URL's earlier fetches, as SQLite's writer reads them; null when nothing. */
  private static Revisit revisit(long intervalMs, String etag, String lastModified, String contentHash) {
    if (intervalMs == 0 && contentHash == null) {
      return null;
    }
    return contentHash == null ? new Revisit(null, null, null, intervalMs)
        : new Revisit(etag, lastModified, contentHash, intervalMs);
  }

  @Override
  public QueuedBatch queuedIn(List<Integer> partitions, List<Long> afterIds, int perPartition) {
    try {
      if (selectQueuedIn == null) {
        selectQueuedIn = conn.prepareStatement(PostgresSql.SELECT_QUEUED_IN);
      }
      selectQueuedIn.setArray(1, conn.createArrayOf("int4", partitions.toArray(new Integer[0])));
      selectQueuedIn.setArray(2, conn.createArrayOf("int8", afterIds.toArray(new Long[0])));
      selectQueuedIn.setInt(3, perPartition);
      selectQueuedIn.setFetchSize(8192);
      List<FrontierRow> rows = new ArrayList<>();
      try (ResultSet rs = selectQueuedIn.executeQuery()) {
        while (rs.next()) {
          rows.add(new FrontierRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5),
              revisit(rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9))));
        }
      }
      long total;
      try (PreparedStatement count = conn.prepareStatement(PostgresSql.COUNT_QUEUED_IN)) {
        count.setArray(1, conn.createArrayOf("int4", partitions.toArray(new Integer[0])));
        try (ResultSet rs = count.executeQuery()) {
          total = rs.next() ? rs.getLong(1) : 0;
        }
      }
      conn.commit();
      return new QueuedBatch(rows, total, -1);
    } catch (SQLException e) {
      throw rolledBack("read the queued frontier rows of this node's partitions", e);
    }
  }

  @Override
  public long openCrawl(String configJson, RunKind kind, long dueBeforeMs) {
    try (PreparedStatement stmt = conn.prepareStatement(PostgresSql.OPEN_CRAWL);
        PreparedStatement requeue = conn.prepareStatement(PostgresSql.REQUEUE_DUE)) {
      stmt.setString(1, Instant.now().toString());
      stmt.setString(2, configJson);
      stmt.setString(3, kind.column());
      long id;
      try (ResultSet rs = stmt.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
      if (kind == RunKind.RECRAWL) {
        requeue.setLong(1, dueBeforeMs);
        requeue.executeUpdate();
      }
      conn.commit();
      return id;
    } catch (SQLException e) {
      throw rolledBack("record the crawl", e);
    }
  }

  @Override
  public void scheduleFromSitemap(List<String> urls, List<Long> lastModifiedMs, List<Long> intervalMs, long nowMs) {
    List<String> modifiedUrls = new ArrayList<>();
    List<Long> modified = new ArrayList<>();
    List<String> intervalUrls = new ArrayList<>();
    List<Long> intervals = new ArrayList<>();
    List<Long> dueAt = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      if (lastModifiedMs.get(i) > 0) {
        modifiedUrls.add(urls.get(i));
        modified.add(lastModifiedMs.get(i));
      }
      if (intervalMs.get(i) > 0) {
        intervalUrls.add(urls.get(i));
        intervals.add(intervalMs.get(i));
        dueAt.add(nowMs + intervalMs.get(i));
      }
    }
    try (PreparedStatement due = conn.prepareStatement(PostgresSql.DUE_IF_MODIFIED);
        PreparedStatement interval = conn.prepareStatement(PostgresSql.SET_INTERVAL)) {
      fence.check();
      if (!modifiedUrls.isEmpty()) {
        ArrayBinder b = new ArrayBinder(due);
        b.texts(modifiedUrls);
        b.longs(modified);
        due.executeUpdate();
      }
      if (!intervalUrls.isEmpty()) {
        ArrayBinder b = new ArrayBinder(interval);
        b.texts(intervalUrls);
        b.longs(intervals);
        b.longs(dueAt);
        interval.executeUpdate();
      }
      conn.commit();
    } catch (SQLException e) {
      throw rolledBack("schedule the URLs of a sitemap", e);
    }
  }

  @Override
  public void closeCrawl(long id, String outcome, String statsJson) {
    try (PreparedStatement stmt = conn.prepareStatement(PostgresSql.CLOSE_CRAWL)) {
      stmt.setString(1, Instant.now().toString());
      stmt.setString(2, outcome);
      stmt.setString(3, statsJson);
      stmt.setLong(4, id);
      stmt.executeUpdate();
      conn.commit();
    } catch (SQLException e) {
      throw rolledBack("record the end of the crawl", e);
    }
  }

  @Override
  public int addDiscovered(List<String> urls, int depth) {
    if (urls.isEmpty()) {
      return 0;
    }
    try {
      fence.check();
      insertDiscovered.setArray(1, conn.createArrayOf("text", urls.toArray(new String[0])));
      Integer[] depths = new Integer[urls.size()];
      Arrays.fill(depths, depth);
      insertDiscovered.setArray(2, conn.createArrayOf("int4", depths));
      insertDiscovered.setArray(3, conn.createArrayOf("int4", PgBatch.partitions(urls).toArray(new Integer[0])));
      int added = 0;
      try (ResultSet rs = insertDiscovered.executeQuery()) {
        while (rs.next()) {
          added++;
        }
      }
      conn.commit();
      return added;
    } catch (SQLException e) {
      throw rolledBack("add discovered URLs", e);
    }
  }

  @Override
  public void saveCookies(CookieChanges changes) {
    try {
      fence.check();
      CookieSql.save(conn, changes);
      conn.commit();
    } catch (SQLException e) {
      throw rolledBack("save the cookies", e);
    }
  }

  @Override
  public List<CookieRecord> cookies() {
    try {
      List<CookieRecord> cookies = CookieSql.load(conn);
      conn.commit();
      return cookies;
    } catch (SQLException e) {
      throw rolledBack("read the cookies", e);
    }
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw connector.failed("close the connection", e);
    }
  }

  private static long single(Statement stmt, String sql) throws SQLException {
    try (ResultSet rs = stmt.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private StoreException rolledBack(String what, SQLException e) {
    try {
      conn.rollback();
    } catch (SQLException rollback) {
      e.addSuppressed(rollback);
    }
    return connector.failed(what, e);
  }

  private static void closeQuietly(Connection conn, Exception cause) {
    try {
      conn.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
