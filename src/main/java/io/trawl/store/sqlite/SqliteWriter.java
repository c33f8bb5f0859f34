package io.trawl.store.sqlite;

import io.trawl.bus.CookieChanges;
import io.trawl.bus.CookieRecord;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.QueuedBatch;
import io.trawl.bus.Revisit;
import io.trawl.core.FrontierState;
import io.trawl.core.HostPartitions;
import io.trawl.store.CookieSql;
import io.trawl.store.InFlightRows;
import io.trawl.store.PageVersion;
import io.trawl.store.PartitionBackfill;
import io.trawl.store.RunKind;
import io.trawl.store.StoreException;
import io.trawl.store.StoreWriter;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one connection that writes the SQLite file. A whole batch (pages, links, items, discovered
 * URLs, frontier states) is one transaction run by one blocking call, with statements prepared
 * once: issuing each statement through the Vert.x JDBC client costs a worker round trip each, which
 * measured at ~2 ms a statement against ~5 µs a row here. Only ever called on the store's single
 * writer thread, never on an event loop.
 */
final class SqliteWriter implements StoreWriter {
  /**
   * The writer's SQLite page cache, in KB: 16 MB. Past a few hundred thousand pages the indexes
   * probed by URL (urls, frontier, pages, page_versions) outgrow it and a probe that misses reads the
   * file; 32 and 64 MB cut those reads by half and by two thirds, but the writer's CPU a page by no
   * more than the runs' spread, for 28 and 64 MB more peak RSS (BENCHMARKS.md, "The writer past
   * 100,000 pages").
   */
  static final int CACHE_KB = 16 * 1024;
  private final Connection conn;
  private final String display;
  private final PreparedStatement insertSeed;
  private final PreparedStatement insertDiscovered;
  private final PreparedStatement claim;
  private final PreparedStatement putBack;
  private final PreparedStatement finish;
  private final PreparedStatement upsertPage;
  private final PreparedStatement touchPage;
  private final PreparedStatement insertVersion;
  private final PreparedStatement archiveItems;
  private final PreparedStatement deleteItems;
  private final PreparedStatement deleteLinks;
  private final LinkWriter links;
  private final InstantText instants = new InstantText();
  private final PreparedStatement upsertItem;
  private final PreparedStatement archiveKeyedItem;
  /** The keyed items of the batch being written whose stored version is archived already: once each. */
  private final Set<String> archivedKeys = new HashSet<>();
  private final PreparedStatement upsertDownload;
  private final PreparedStatement selectQueued;
  private final PreparedStatement countQueued;

  private SqliteWriter(Connection conn, String display, int cachedUrlIds) throws SQLException {
    this.conn = conn;
    this.display = display;
    this.insertSeed = conn.prepareStatement(SqliteSql.INSERT_SEED);
    this.insertDiscovered = conn.prepareStatement(SqliteSql.INSERT_DISCOVERED);
    this.claim = conn.prepareStatement(SqliteSql.CLAIM);
    this.putBack = conn.prepareStatement(SqliteSql.PUT_BACK);
    this.finish = conn.prepareStatement(SqliteSql.FINISH);
    this.upsertPage = conn.prepareStatement(SqliteSql.UPSERT_PAGE);
    this.touchPage = conn.prepareStatement(SqliteSql.TOUCH_PAGE);
    this.insertVersion = conn.prepareStatement(SqliteSql.INSERT_VERSION);
    this.archiveItems = conn.prepareStatement(SqliteSql.ARCHIVE_ITEMS);
    this.deleteItems = conn.prepareStatement(SqliteSql.DELETE_ITEMS);
    this.deleteLinks = conn.prepareStatement(SqliteSql.DELETE_LINKS);
    this.links = new LinkWriter(conn, cachedUrlIds);
    this.upsertItem = conn.prepareStatement(SqliteSql.UPSERT_ITEM);
    this.archiveKeyedItem = conn.prepareStatement(SqliteSql.ARCHIVE_KEYED_ITEM);
    this.upsertDownload = conn.prepareStatement(SqliteSql.UPSERT_DOWNLOAD);
    this.selectQueued = conn.prepareStatement(SqliteSql.SELECT_QUEUED);
    this.countQueued = conn.prepareStatement(SqliteSql.COUNT_QUEUED);
  }

  /** Opens (creating if needed) and migrates {@code file}; blocking. */
  static SqliteWriter open(Path file, boolean requeueInFlight) {
    try {
      return open(DriverManager.getConnection(url(file)), requeueInFlight, file.toString(), LinkWriter.CACHED_IDS);
    } catch (SQLException e) {
      throw new StoreException(StoreException.Kind.FAILED, file + ": cannot open the database for writing: " + e.getMessage(), e);
    }
  }

  /** Migrates and writes through {@code conn}, a connection to {@link #url} (tests set limits on it); closes it on failure. */
  static SqliteWriter open(Connection conn, boolean requeueInFlight) throws SQLException {
    return open(conn, requeueInFlight, LinkWriter.CACHED_IDS);
  }

  /** As {@link #open(Connection, boolean)}, remembering up to {@code cachedUrlIds} URL ids ({@link LinkWriter}). */
  static SqliteWriter open(Connection conn, boolean requeueInFlight, int cachedUrlIds) throws SQLException {
    return open(conn, requeueInFlight, "the SQLite file", cachedUrlIds);
  }

  private static SqliteWriter open(Connection conn, boolean requeueInFlight, String display, int cachedUrlIds)
      throws SQLException {
    try {
      migrate(conn);
      conn.setAutoCommit(false);
      if (requeueInFlight) {
        InFlightRows.requeue(conn, SqliteSql.REQUEUE_IN_FLIGHT);
      }
      return new SqliteWriter(conn, display, cachedUrlIds);
    } catch (SQLException | RuntimeException e) {
      conn.close();
      throw e;
    }
  }

  /**
   * The JDBC URL with the pragmas every trawl connection uses. WAL with synchronous=NORMAL: a commit
   * survives a crash of the process (kill -9), which is the promise we make; a power cut may lose
   * the last commits. The writer's page cache is {@link #CACHE_KB}.
   */
  static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath()
        + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&temp_store=MEMORY&cache_size=-" + CACHE_KB
        + "&jdbc.get_generated_keys=false";
  }

  private static void migrate(Connection conn) throws SQLException {
    int version;
    try (Statement stmt = conn.createStatement(); ResultSet rs = stmt.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version > SqliteSchema.CURRENT) {
      throw new SQLException("the database has schema version " + version + ", newer than this trawl ("
          + SqliteSchema.CURRENT + "); use a newer trawl");
    }
    for (int v = version; v < SqliteSchema.CURRENT; v++) {
      conn.setAutoCommit(false);
      try (Statement stmt = conn.createStatement()) {
        for (String sql : SqliteSchema.STEPS.get(v)) {
          stmt.executeUpdate(sql);
        }
        if (v + 1 == SqliteSchema.PARTITION_STEP) {
          PartitionBackfill.run(conn);
        }
        stmt.executeUpdate("PRAGMA user_version = " + (v + 1));
        conn.commit();
      } catch (SQLException e) {
        rollbackAfter(conn, e);
        throw e;
      } finally {
        conn.setAutoCommit(true);
      }
    }
  }

  /**
   * Writes one batch in one transaction.
   *
   * @param discovered per page, the discovered URLs not known to be in the frontier already
   * @return per page, how many frontier rows it added
   */
  @Override
  public List<Integer> write(List<FrontierUpdate> updates, List<PageRecord> pages, List<PageVersion> versions,
      List<List<String>> discovered, long crawlId) {
    try {
      return writeBatch(updates, pages, versions, discovered, crawlId);
    } catch (SQLException e) {
      throw failed("write a batch", e);
    }
  }

  private List<Integer> writeBatch(List<FrontierUpdate> updates, List<PageRecord> pages, List<PageVersion> versions,
      List<List<String>> discovered, long crawlId) throws SQLException {
    try {
      for (FrontierUpdate update : updates) {
        for (String url : update.seeds()) {
          insertSeed.setString(1, url);
          insertSeed.setInt(2, HostPartitions.ofUrl(url));
          insertSeed.addBatch();
        }
        for (long id : update.claimed()) {
          claim.setLong(1, id);
          claim.addBatch();
        }
        for (FrontierRow row : update.putBack()) {
          putBack.setInt(1, row.attempts());
          putBack.setLong(2, row.notBeforeMs());
          putBack.setLong(3, row.id());
          putBack.addBatch();
        }
      }
      insertSeed.executeBatch();
      claim.executeBatch();
      putBack.executeBatch();
      List<Integer> added = new ArrayList<>(pages.size());
      for (int i = 0; i < pages.size(); i++) {
        added.add(writePage(pages.get(i), versions.get(i), discovered.get(i), crawlId));
      }
      upsertPage.executeBatch();
      touchPage.executeBatch();
      insertVersion.executeBatch();
      links.write();
      upsertItem.executeBatch();
      upsertDownload.executeBatch();
      finish.executeBatch();
      conn.commit();
      archivedKeys.clear();
      return added;
    } catch (SQLException | RuntimeException e) {
      rollbackAfter(conn, e);
      clearBatches();
      throw e;
    }
  }

  private int writePage(PageRecord page, PageVersion version, List<String> discovered, long crawlId)
      throws SQLException {
    String fetchedAt = instants.of(page.fetchedAtMs());
    boolean hadContent = page.revisit() != null && page.revisit().hasContent();
    if (version.replacesContent(hadContent)) {
      bindPage(page, fetchedAt, crawlId);
      upsertPage.addBatch();
    } else {
      touchPage.setString(1, fetchedAt);
      touchPage.setLong(2, page.elapsedMs());
      touchPage.setInt(3, page.attempts());
      touchPage.setString(4, page.error());
      setCrawlId(touchPage, 5, crawlId);
      touchPage.setString(6, page.etag());
      touchPage.setString(7, page.lastModified());
      touchPage.setString(8, page.url());
      touchPage.addBatch();
    }
    bindVersion(page, version, fetchedAt, crawlId);
    if (version.dropsOldItemsAndLinks()) {
      // Now, before this batch's inserts: they may hold the page's new items and links.
      archiveItems.setLong(1, crawlId);
      archiveItems.setString(2, page.url());
      archiveItems.executeUpdate();
      deleteItems.setString(1, page.url());
      deleteItems.executeUpdate();
      deleteLinks.setString(1, page.url());
      deleteLinks.executeUpdate();
    }
    links.add(page);
    for (int j = 0; j < page.items().size(); j++) {
      JsonObject item = page.items().getJsonObject(j);
      String key = item.getString("key");
      if (key != null && archivedKeys.add(item.getString("rule") + "\n" + key)) {
        archiveKeyedItem.setLong(1, crawlId);
        archiveKeyedItem.setString(2, item.getString("rule"));
        archiveKeyedItem.setString(3, key);
        archiveKeyedItem.setLong(4, crawlId);
        archiveKeyedItem.executeUpdate();
      }
      upsertItem.setString(1, page.url());
      upsertItem.setString(2, item.getString("rule"));
      upsertItem.setString(3, item.getJsonObject("data").encode());
      upsertItem.setString(4, fetchedAt);
      upsertItem.setString(5, key);
      setCrawlId(upsertItem, 6, crawlId);
      upsertItem.addBatch();
    }
    if (page.download() != null) {
      upsertDownload.setString(1, page.url());
      upsertDownload.setString(2, page.download().path());
      upsertDownload.setLong(3, page.download().bytes());
      upsertDownload.setString(4, page.download().sha256());
      upsertDownload.setString(5, page.download().contentType() != null ? page.download().contentType()
          : page.contentType());
      upsertDownload.setString(6, fetchedAt);
      upsertDownload.addBatch();
    }
    // Inserted one by one: the count of each tells which URLs were new.
    int added = 0;
    for (String url : discovered) {
      insertDiscovered.setString(1, url);
      insertDiscovered.setInt(2, page.depth() + 1);
      insertDiscovered.setInt(3, HostPartitions.ofUrl(url));
      added += insertDiscovered.executeUpdate();
    }
    FrontierState state = page.error() == null ? FrontierState.DONE : FrontierState.FAILED;
    finish.setString(1, state.column());
    finish.setInt(2, page.attempts());
    finish.setBoolean(3, version.keepsInterval());
    finish.setLong(4, version.intervalMs());
    finish.setBoolean(5, version.keepsInterval());
    finish.setLong(6, version.scheduledAtMs());
    finish.setLong(7, version.dueAtMs());
    finish.setLong(8, page.frontierId());
    finish.addBatch();
    return added;
  }

  /** Every column of the page's pages row, for {@link SqliteSql#UPSERT_PAGE}. */
  private void bindPage(PageRecord page, String fetchedAt, long crawlId) throws SQLException {
    upsertPage.setString(1, page.url());
    upsertPage.setString(2, page.finalUrl());
    setStatus(upsertPage, 3, page.status());
    upsertPage.setString(4, page.contentType());
    upsertPage.setInt(5, page.depth());
    upsertPage.setString(6, page.title());
    upsertPage.setString(7, fetchedAt);
    upsertPage.setLong(8, page.elapsedMs());
    upsertPage.setLong(9, page.bytes());
    upsertPage.setString(10, page.contentHash());
    upsertPage.setInt(11, page.attempts());
    upsertPage.setString(12, page.error());
    setCrawlId(upsertPage, 13, crawlId);
    upsertPage.setString(14, page.etag());
    upsertPage.setString(15, page.lastModified());
    upsertPage.setString(16, page.rendered());
  }

  private void bindVersion(PageRecord page, PageVersion version, String fetchedAt, long crawlId) throws SQLException {
    insertVersion.setString(1, page.url());
    setCrawlId(insertVersion, 2, crawlId);
    insertVersion.setString(3, fetchedAt);
    setStatus(insertVersion, 4, page.status());
    insertVersion.setLong(5, page.bytes());
    insertVersion.setString(6, page.contentHash());
    insertVersion.setString(7, page.etag());
    insertVersion.setString(8, page.lastModified());
    insertVersion.setString(9, page.error());
    insertVersion.setString(10, version.change().column());
    insertVersion.addBatch();
  }

  private static void setStatus(PreparedStatement stmt, int index, int status) throws SQLException {
    if (status == 0) {
      stmt.setNull(index, Types.INTEGER);
    } else {
      stmt.setInt(index, status);
    }
  }

  private static void setCrawlId(PreparedStatement stmt, int index, long crawlId) throws SQLException {
    if (crawlId == 0) {
      stmt.setNull(index, Types.INTEGER);
    } else {
      stmt.setLong(index, crawlId);
    }
  }

  /**
   * Up to {@code limit} queued frontier rows with an id above {@code afterId}, in id order, and how
   * many rows are queued in all; for the first read ({@code afterId} 0), also how many are finished. Read on the writer's own connection, so every committed batch is
   * visible; it took 7 % of the crawl's CPU through the Vert.x JDBC client, which decodes column
   * metadata row by row.
   */
  @Override
  public QueuedBatch queued(long afterId, int limit) {
    try {
      return readQueued(afterId, limit);
    } catch (SQLException e) {
      throw failed("read the queued frontier rows", e);
    }
  }

  private QueuedBatch readQueued(long afterId, int limit) throws SQLException {
    List<FrontierRow> rows = new ArrayList<>(Math.min(limit, 8192));
    selectQueued.setLong(1, afterId);
    selectQueued.setInt(2, limit);
    try (ResultSet rs = selectQueued.executeQuery()) {
      while (rs.next()) {
        rows.add(new FrontierRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5),
            revisit(rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9))));
      }
    }
    long total;
    try (ResultSet rs = countQueued.executeQuery()) {
      total = rs.next() ? rs.getLong(1) : 0;
    }
    long finished = -1;
    if (afterId == 0) {
      try (Statement stmt = conn.createStatement(); ResultSet rs = stmt.executeQuery(SqliteSql.COUNT_FINISHED)) {
        finished = rs.next() ? rs.getLong(1) : 0;
      }
    }
    conn.commit();
    return new QueuedBatch(rows, total, finished);
  }

  /** What a queued row's columns say of its URL's earlier fetches; null when nothing. */
  static Revisit revisit(long intervalMs, String etag, String lastModified, String contentHash) {
    if (intervalMs == 0 && contentHash == null) {
      return null;
    }
    return contentHash == null ? new Revisit(null, null, null, intervalMs)
        : new Revisit(etag, lastModified, contentHash, intervalMs);
  }

  @Override
  public long openCrawl(String configJson, RunKind kind, long dueBeforeMs) {
    try (PreparedStatement stmt = conn.prepareStatement(SqliteSql.OPEN_CRAWL);
        PreparedStatement requeue = conn.prepareStatement(SqliteSql.REQUEUE_DUE)) {
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
  public int addDiscovered(List<String> urls, int depth) {
    try {
      int added = 0;
      for (String url : urls) {
        insertDiscovered.setString(1, url);
        insertDiscovered.setInt(2, depth);
        insertDiscovered.setInt(3, HostPartitions.ofUrl(url));
        added += insertDiscovered.executeUpdate();
      }
      conn.commit();
      return added;
    } catch (SQLException e) {
      throw rolledBack("add discovered URLs", e);
    }
  }

  @Override
  public void scheduleFromSitemap(List<String> urls, List<Long> lastModifiedMs, List<Long> intervalMs, long nowMs) {
    try (PreparedStatement modified = conn.prepareStatement(SqliteSql.DUE_IF_MODIFIED);
        PreparedStatement interval = conn.prepareStatement(SqliteSql.SET_INTERVAL)) {
      for (int i = 0; i < urls.size(); i++) {
        if (lastModifiedMs.get(i) > 0) {
          modified.setString(1, urls.get(i));
          modified.setLong(2, lastModifiedMs.get(i));
          modified.addBatch();
        }
        if (intervalMs.get(i) > 0) {
          interval.setLong(1, intervalMs.get(i));
          interval.setLong(2, nowMs + intervalMs.get(i));
          interval.setString(3, urls.get(i));
          interval.addBatch();
        }
      }
      modified.executeBatch();
      interval.executeBatch();
      conn.commit();
    } catch (SQLException e) {
      throw rolledBack("schedule the URLs of a sitemap", e);
    }
  }

  @Override
  public void closeCrawl(long id, String outcome, String statsJson) {
    try (PreparedStatement stmt = conn.prepareStatement(SqliteSql.CLOSE_CRAWL)) {
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

  /**
   * Rolls back after {@code failure}, which stays the error to throw. On some errors (SQLITE_FULL,
   * SQLITE_IOERR, SQLITE_NOMEM) SQLite has already rolled the transaction back itself, and the
   * rollback then fails with "no transaction is active": that failure is kept as suppressed, never
   * in the original's place. A transaction is then begun again, or the next batch would run in
   * SQLite's autocommit mode, each statement committed alone, while the driver thinks it is one
   * transaction.
   */
  private static void rollbackAfter(Connection conn, Exception failure) {
    try {
      conn.rollback();
    } catch (SQLException rollbackFailed) {
      failure.addSuppressed(rollbackFailed);
      try (Statement stmt = conn.createStatement()) {
        stmt.execute("BEGIN");
      } catch (SQLException beginFailed) {
        failure.addSuppressed(beginFailed); // still in the transaction the rollback could not end
      }
    }
  }

  private void clearBatches() throws SQLException {
    links.discard();
    archivedKeys.clear();
    for (PreparedStatement stmt : List.of(insertSeed, insertDiscovered, claim, putBack, finish, upsertPage, touchPage,
        insertVersion, upsertItem, upsertDownload)) {
      stmt.clearBatch();
    }
  }

  @Override
  public void saveCookies(CookieChanges changes) {
    try {
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
      try (Statement stmt = conn.createStatement()) {
        conn.setAutoCommit(true);
        stmt.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } finally {
        conn.close();
      }
    } catch (SQLException e) {
      throw failed("close the database", e);
    }
  }

  /** Rolls back the transaction {@code e} broke (as {@link #rollbackAfter} does) and says what failed. */
  private StoreException rolledBack(String what, SQLException e) {
    rollbackAfter(conn, e);
    return failed(what, e);
  }

  private StoreException failed(String what, SQLException e) {
    return new StoreException(StoreException.Kind.FAILED, display + ": cannot " + what + ": " + e.getMessage(), e);
  }
}
