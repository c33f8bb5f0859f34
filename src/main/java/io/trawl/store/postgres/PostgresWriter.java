package io.trawl.store.postgres;

import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.QueuedBatch;
import io.trawl.core.FrontierState;
import io.trawl.store.StoreException;
import io.trawl.store.StoreWriter;
import io.vertx.core.json.JsonObject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one connection that writes a crawl's PostgreSQL schema, with the driver (pgjdbc) on the
 * store's writer thread, as SQLite's writer does. A batch is one transaction of a few statements,
 * each taking whole columns as arrays ({@code unnest}), so a batch of 64 pages with 50 links each
 * is about eight round trips, not thousands of rows sent one by one. Discovered URLs go in with
 * {@code ON CONFLICT DO NOTHING RETURNING url}, which says which were new. Only ever called on the
 * store's single writer thread, never on an event loop.
 */
final class PostgresWriter implements StoreWriter {
  private static final String INSERT_SEEDS =
      """
      INSERT INTO frontier (url, depth)
      SELECT u, 0 FROM unnest(?::text[]) WITH ORDINALITY AS v(u, n) ORDER BY n
      ON CONFLICT (url) DO NOTHING""";
  private static final String INSERT_DISCOVERED =
      """
      INSERT INTO frontier (url, depth)
      SELECT u, d FROM unnest(?::text[], ?::int[]) WITH ORDINALITY AS v(u, d, n) ORDER BY n
      ON CONFLICT (url) DO NOTHING RETURNING url""";
  private static final String CLAIM = "UPDATE frontier SET state = 'in_flight' WHERE id = ANY(?::bigint[]) AND state = 'queued'";
  private static final String PUT_BACK =
      """
      UPDATE frontier f SET state = 'queued', attempts = v.attempts, not_before = v.not_before
      FROM unnest(?::bigint[], ?::int[], ?::bigint[]) AS v(id, attempts, not_before) WHERE f.id = v.id""";
  private static final String FINISH =
      """
      UPDATE frontier f SET state = v.state, attempts = v.attempts
      FROM unnest(?::bigint[], ?::text[], ?::int[]) AS v(id, state, attempts) WHERE f.id = v.id""";
  private static final String UPSERT_PAGES =
      """
      INSERT INTO pages (url, final_url, status, content_type, depth, title, fetched_at, elapsed_ms,
                         bytes, content_hash, attempts, error, crawl_id)
      SELECT * FROM unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::int[], ?::text[], ?::text[], ?::bigint[],
                           ?::bigint[], ?::text[], ?::int[], ?::text[], ?::bigint[])
      ON CONFLICT (url) DO UPDATE SET
        final_url = excluded.final_url, status = excluded.status, content_type = excluded.content_type,
        depth = excluded.depth, title = excluded.title, fetched_at = excluded.fetched_at,
        elapsed_ms = excluded.elapsed_ms, bytes = excluded.bytes, content_hash = excluded.content_hash,
        attempts = excluded.attempts, error = excluded.error, crawl_id = excluded.crawl_id""";
  private static final String INSERT_LINKS =
      "INSERT INTO links (from_url, to_url) SELECT * FROM unnest(?::text[], ?::text[])";
  private static final String INSERT_ITEMS =
      """
      INSERT INTO items (page_url, rule, data, extracted_at)
      SELECT p, r, d::jsonb, e FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS v(p, r, d, e, n)
      ORDER BY n""";
  private static final String UPSERT_DOWNLOADS =
      """
      INSERT INTO downloads (url, path, bytes, sha256, content_type, fetched_at)
      SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])
      ON CONFLICT (url) DO UPDATE SET
        path = excluded.path, bytes = excluded.bytes, sha256 = excluded.sha256,
        content_type = excluded.content_type, fetched_at = excluded.fetched_at""";
  private static final String SELECT_QUEUED =
      "SELECT id, url, depth, attempts, not_before FROM frontier WHERE state = 'queued' AND id > ? ORDER BY id LIMIT ?";
  private static final String COUNT_QUEUED = "SELECT count(*) FROM frontier WHERE state = 'queued'";
  private static final String COUNT_FINISHED = "SELECT count(*) FROM frontier WHERE state IN ('done', 'failed')";
  static final String REQUEUE_IN_FLIGHT = "UPDATE frontier SET state = 'queued' WHERE state = 'in_flight'";
  private static final String OPEN_CRAWL = "INSERT INTO crawls (started_at, config) VALUES (?, ?) RETURNING id";
  private static final String CLOSE_CRAWL = "UPDATE crawls SET finished_at = ?, outcome = ?, stats = ? WHERE id = ?";

  private final Connection conn;
  private final PgConnector connector;
  private final PreparedStatement insertSeeds;
  private final PreparedStatement insertDiscovered;
  private final PreparedStatement claim;
  private final PreparedStatement putBack;
  private final PreparedStatement finish;
  private final PreparedStatement upsertPages;
  private final PreparedStatement insertLinks;
  private final PreparedStatement insertItems;
  private final PreparedStatement upsertDownloads;
  private final PreparedStatement selectQueued;

  private PostgresWriter(Connection conn, PgConnector connector) throws SQLException {
    this.conn = conn;
    this.connector = connector;
    this.insertSeeds = conn.prepareStatement(INSERT_SEEDS);
    this.insertDiscovered = conn.prepareStatement(INSERT_DISCOVERED);
    this.claim = conn.prepareStatement(CLAIM);
    this.putBack = conn.prepareStatement(PUT_BACK);
    this.finish = conn.prepareStatement(FINISH);
    this.upsertPages = conn.prepareStatement(UPSERT_PAGES);
    this.insertLinks = conn.prepareStatement(INSERT_LINKS);
    this.insertItems = conn.prepareStatement(INSERT_ITEMS);
    this.upsertDownloads = conn.prepareStatement(UPSERT_DOWNLOADS);
    this.selectQueued = conn.prepareStatement(SELECT_QUEUED);
  }

  /** Connects, creates or migrates the tables in one transaction, and requeues in-flight rows if asked; blocking. */
  static PostgresWriter open(PgConnector connector, boolean requeueInFlight) {
    Connection conn = connector.open(false);
    try {
      PostgresMigrator.migrate(conn, connector);
      if (requeueInFlight) {
        try (Statement stmt = conn.createStatement()) {
          stmt.executeUpdate(REQUEUE_IN_FLIGHT);
        }
        conn.commit();
      }
      return new PostgresWriter(conn, connector);
    } catch (SQLException e) {
      closeQuietly(conn, e);
      throw connector.failed("prepare the tables", e);
    } catch (RuntimeException e) {
      closeQuietly(conn, e);
      throw e;
    }
  }

  @Override
  public List<Integer> write(List<FrontierUpdate> updates, List<PageRecord> pages, List<List<String>> discovered,
      long crawlId) {
    try {
      writeFrontier(updates);
      List<Integer> added = writePages(pages, discovered, crawlId);
      conn.commit();
      return added;
    } catch (SQLException e) {
      throw rolledBack("write a batch", e);
    }
  }

  private void writeFrontier(List<FrontierUpdate> updates) throws SQLException {
    List<String> seeds = new ArrayList<>();
    List<Long> claimed = new ArrayList<>();
    Map<Long, FrontierRow> back = new LinkedHashMap<>();
    for (FrontierUpdate update : updates) {
      seeds.addAll(update.seeds());
      claimed.addAll(update.claimed());
      for (FrontierRow row : update.putBack()) {
        back.remove(row.id());
        back.put(row.id(), row); // as SQLite's batch: the last put-back of a row wins
      }
    }
    if (!seeds.isEmpty()) {
      insertSeeds.setArray(1, texts(seeds));
      insertSeeds.executeUpdate();
    }
    if (!claimed.isEmpty()) {
      claim.setArray(1, conn.createArrayOf("int8", claimed.toArray(new Long[0])));
      claim.executeUpdate();
    }
    if (!back.isEmpty()) {
      List<FrontierRow> rows = List.copyOf(back.values());
      putBack.setArray(1, conn.createArrayOf("int8", rows.stream().map(FrontierRow::id).toArray(Long[]::new)));
      putBack.setArray(2, conn.createArrayOf("int4", rows.stream().map(FrontierRow::attempts).toArray(Integer[]::new)));
      putBack.setArray(3, conn.createArrayOf("int8", rows.stream().map(FrontierRow::notBeforeMs).toArray(Long[]::new)));
      putBack.executeUpdate();
    }
  }

  private List<Integer> writePages(List<PageRecord> pages, List<List<String>> discovered, long crawlId) throws SQLException {
    if (pages.isEmpty()) {
      return List.of();
    }
    // One row per URL: a URL stored twice in one batch keeps its last record, as SQLite's upsert does.
    Map<String, PageRecord> byUrl = new LinkedHashMap<>();
    for (PageRecord page : pages) {
      byUrl.remove(page.url());
      byUrl.put(page.url(), page);
    }
    PageColumns columns = new PageColumns(byUrl.size());
    for (PageRecord page : byUrl.values()) {
      columns.add(page, crawlId);
    }
    columns.bind(upsertPages, conn);
    upsertPages.executeUpdate();

    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    List<String> itemPage = new ArrayList<>();
    List<String> itemRule = new ArrayList<>();
    List<String> itemData = new ArrayList<>();
    List<String> itemAt = new ArrayList<>();
    Map<String, PageRecord> downloads = new LinkedHashMap<>();
    Map<Long, String[]> finished = new LinkedHashMap<>();
    for (PageRecord page : pages) {
      for (String link : page.links()) {
        from.add(page.url());
        to.add(link);
      }
      String fetchedAt = Instant.ofEpochMilli(page.fetchedAtMs()).toString();
      for (int j = 0; j < page.items().size(); j++) {
        JsonObject item = page.items().getJsonObject(j);
        itemPage.add(page.url());
        itemRule.add(item.getString("rule"));
        itemData.add(item.getJsonObject("data").encode());
        itemAt.add(fetchedAt);
      }
      if (page.download() != null) {
        downloads.remove(page.url());
        downloads.put(page.url(), page);
      }
      FrontierState state = page.error() == null ? FrontierState.DONE : FrontierState.FAILED;
      finished.remove(page.frontierId());
      finished.put(page.frontierId(), new String[] {state.column(), String.valueOf(page.attempts())});
    }
    if (!from.isEmpty()) {
      insertLinks.setArray(1, texts(from));
      insertLinks.setArray(2, texts(to));
      insertLinks.executeUpdate();
    }
    if (!itemPage.isEmpty()) {
      insertItems.setArray(1, texts(itemPage));
      insertItems.setArray(2, texts(itemRule));
      insertItems.setArray(3, texts(itemData));
      insertItems.setArray(4, texts(itemAt));
      insertItems.executeUpdate();
    }
    if (!downloads.isEmpty()) {
      writeDownloads(downloads.values());
    }
    List<Integer> added = insertDiscovered(pages, discovered);
    List<Long> ids = new ArrayList<>(finished.keySet());
    finish.setArray(1, conn.createArrayOf("int8", ids.toArray(new Long[0])));
    finish.setArray(2, texts(finished.values().stream().map(v -> v[0]).toList()));
    finish.setArray(3, conn.createArrayOf("int4", finished.values().stream().map(v -> Integer.valueOf(v[1])).toArray(Integer[]::new)));
    finish.executeUpdate();
    return added;
  }

  private void writeDownloads(Iterable<PageRecord> pages) throws SQLException {
    List<String> url = new ArrayList<>();
    List<String> path = new ArrayList<>();
    List<Long> bytes = new ArrayList<>();
    List<String> sha = new ArrayList<>();
    List<String> type = new ArrayList<>();
    List<String> at = new ArrayList<>();
    for (PageRecord page : pages) {
      url.add(page.url());
      path.add(page.download().path());
      bytes.add(page.download().bytes());
      sha.add(page.download().sha256());
      type.add(page.contentType());
      at.add(Instant.ofEpochMilli(page.fetchedAtMs()).toString());
    }
    upsertDownloads.setArray(1, texts(url));
    upsertDownloads.setArray(2, texts(path));
    upsertDownloads.setArray(3, conn.createArrayOf("int8", bytes.toArray(new Long[0])));
    upsertDownloads.setArray(4, texts(sha));
    upsertDownloads.setArray(5, texts(type));
    upsertDownloads.setArray(6, texts(at));
    upsertDownloads.executeUpdate();
  }

  /** Inserts every page's discovered URLs in one statement; the URLs it returns were new, counted per page. */
  private List<Integer> insertDiscovered(List<PageRecord> pages, List<List<String>> discovered) throws SQLException {
    List<String> urls = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    Map<String, Integer> pageOf = new HashMap<>();
    for (int i = 0; i < pages.size(); i++) {
      for (String url : discovered.get(i)) {
        urls.add(url);
        depths.add(pages.get(i).depth() + 1);
        pageOf.putIfAbsent(url, i);
      }
    }
    Integer[] added = new Integer[pages.size()];
    java.util.Arrays.fill(added, 0);
    if (!urls.isEmpty()) {
      insertDiscovered.setArray(1, texts(urls));
      insertDiscovered.setArray(2, conn.createArrayOf("int4", depths.toArray(new Integer[0])));
      try (ResultSet rs = insertDiscovered.executeQuery()) {
        while (rs.next()) {
          added[pageOf.get(rs.getString(1))]++;
        }
      }
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
          rows.add(new FrontierRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5)));
        }
      }
      long total;
      long finished = -1;
      try (Statement stmt = conn.createStatement()) {
        total = single(stmt, COUNT_QUEUED);
        if (afterId == 0) {
          finished = single(stmt, COUNT_FINISHED);
        }
      }
      conn.commit();
      return new QueuedBatch(rows, total, finished);
    } catch (SQLException e) {
      throw rolledBack("read the queued frontier rows", e);
    }
  }

  @Override
  public long openCrawl(String configJson) {
    try (PreparedStatement stmt = conn.prepareStatement(OPEN_CRAWL)) {
      stmt.setString(1, Instant.now().toString());
      stmt.setString(2, configJson);
      long id;
      try (ResultSet rs = stmt.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
      conn.commit();
      return id;
    } catch (SQLException e) {
      throw rolledBack("record the crawl", e);
    }
  }

  @Override
  public void closeCrawl(long id, String outcome, String statsJson) {
    try (PreparedStatement stmt = conn.prepareStatement(CLOSE_CRAWL)) {
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
      insertDiscovered.setArray(1, texts(urls));
      Integer[] depths = new Integer[urls.size()];
      java.util.Arrays.fill(depths, depth);
      insertDiscovered.setArray(2, conn.createArrayOf("int4", depths));
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
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw connector.failed("close the connection", e);
    }
  }

  private Array texts(List<String> values) throws SQLException {
    return conn.createArrayOf("text", values.toArray(new String[0]));
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

  /** The thirteen columns of {@code pages} for one batch, as arrays for {@code unnest}. */
  private static final class PageColumns {
    private final List<String> url;
    private final List<String> finalUrl;
    private final List<Integer> status;
    private final List<String> contentType;
    private final List<Integer> depth;
    private final List<String> title;
    private final List<String> fetchedAt;
    private final List<Long> elapsedMs;
    private final List<Long> bytes;
    private final List<String> contentHash;
    private final List<Integer> attempts;
    private final List<String> error;
    private final List<Long> crawlId;

    PageColumns(int n) {
      url = new ArrayList<>(n);
      finalUrl = new ArrayList<>(n);
      status = new ArrayList<>(n);
      contentType = new ArrayList<>(n);
      depth = new ArrayList<>(n);
      title = new ArrayList<>(n);
      fetchedAt = new ArrayList<>(n);
      elapsedMs = new ArrayList<>(n);
      bytes = new ArrayList<>(n);
      contentHash = new ArrayList<>(n);
      attempts = new ArrayList<>(n);
      error = new ArrayList<>(n);
      crawlId = new ArrayList<>(n);
    }

    void add(PageRecord page, long crawl) {
      url.add(page.url());
      finalUrl.add(page.finalUrl());
      status.add(page.status() == 0 ? null : page.status());
      contentType.add(page.contentType());
      depth.add(page.depth());
      title.add(page.title());
      fetchedAt.add(Instant.ofEpochMilli(page.fetchedAtMs()).toString());
      elapsedMs.add(page.elapsedMs());
      bytes.add(page.bytes());
      contentHash.add(page.contentHash());
      attempts.add(page.attempts());
      error.add(page.error());
      crawlId.add(crawl == 0 ? null : crawl);
    }

    void bind(PreparedStatement stmt, Connection conn) throws SQLException {
      stmt.setArray(1, conn.createArrayOf("text", url.toArray(new String[0])));
      stmt.setArray(2, conn.createArrayOf("text", finalUrl.toArray(new String[0])));
      stmt.setArray(3, conn.createArrayOf("int4", status.toArray(new Integer[0])));
      stmt.setArray(4, conn.createArrayOf("text", contentType.toArray(new String[0])));
      stmt.setArray(5, conn.createArrayOf("int4", depth.toArray(new Integer[0])));
      stmt.setArray(6, conn.createArrayOf("text", title.toArray(new String[0])));
      stmt.setArray(7, conn.createArrayOf("text", fetchedAt.toArray(new String[0])));
      stmt.setArray(8, conn.createArrayOf("int8", elapsedMs.toArray(new Long[0])));
      stmt.setArray(9, conn.createArrayOf("int8", bytes.toArray(new Long[0])));
      stmt.setArray(10, conn.createArrayOf("text", contentHash.toArray(new String[0])));
      stmt.setArray(11, conn.createArrayOf("int4", attempts.toArray(new Integer[0])));
      stmt.setArray(12, conn.createArrayOf("text", error.toArray(new String[0])));
      stmt.setArray(13, conn.createArrayOf("int8", crawlId.toArray(new Long[0])));
    }
  }
}
