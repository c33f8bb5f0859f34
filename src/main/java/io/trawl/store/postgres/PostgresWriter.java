package io.trawl.store.postgres;

import io.trawl.bus.CookieChanges;
import io.trawl.bus.CookieRecord;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.QueuedBatch;
import io.trawl.bus.Revisit;
import io.trawl.core.FrontierState;
import io.trawl.core.HostPartitions;
import io.trawl.store.PageVersion;
import io.trawl.store.RunKind;
import io.trawl.store.CookieSql;
import io.trawl.store.StoreException;
import io.trawl.store.StoreWriter;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The one connection that writes a crawl's PostgreSQL schema, with the driver (pgjdbc) on the
 * store's writer thread, as SQLite's writer does. A batch is one transaction of the few statements
 * it needs, sent together, each taking whole columns as arrays ({@code unnest}): a batch of 64
 * pages with 50 links each is two round trips (the statements, the commit), not thousands of rows
 * sent one by one. Discovered URLs go in with
 * {@code ON CONFLICT DO NOTHING RETURNING url}, which says which were new. Only ever called on the
 * store's single writer thread, never on an event loop.
 */
final class PostgresWriter implements StoreWriter {
  private static final String INSERT_SEEDS =
      """
      INSERT INTO frontier (url, depth, partition)
      SELECT u, 0, p FROM unnest(?::text[], ?::int[]) WITH ORDINALITY AS v(u, p, n) ORDER BY n
      ON CONFLICT (url) DO NOTHING""";
  private static final String INSERT_DISCOVERED =
      """
      INSERT INTO frontier (url, depth, partition)
      SELECT u, d, p FROM unnest(?::text[], ?::int[], ?::int[]) WITH ORDINALITY AS v(u, d, p, n) ORDER BY n
      ON CONFLICT (url) DO NOTHING RETURNING url""";
  /** A node of a cluster crawl writes only while it is one: see {@link #fenced}. */
  private static final String FENCE = "SELECT 1 FROM crawl_nodes WHERE node = ? AND left_at IS NULL FOR SHARE";
  private static final String CLAIM =
      "UPDATE frontier SET state = 'in_flight', node = ? WHERE id = ANY(?::bigint[]) AND state = 'queued'";
  private static final String PUT_BACK =
      """
      UPDATE frontier f SET state = 'queued', node = NULL, attempts = v.attempts, not_before = v.not_before
      FROM unnest(?::bigint[], ?::int[], ?::bigint[]) AS v(id, attempts, not_before) WHERE f.id = v.id""";
  private static final String FINISH =
      """
      UPDATE frontier f SET state = v.state, attempts = v.attempts,
        interval_ms = CASE WHEN v.keep AND f.interval_ms > 0 THEN f.interval_ms ELSE v.interval_ms END,
        due_at = CASE WHEN v.keep AND f.interval_ms > 0 THEN v.scheduled_at + f.interval_ms ELSE v.due_at END
      FROM unnest(?::bigint[], ?::text[], ?::int[], ?::bool[], ?::bigint[], ?::bigint[], ?::bigint[])
        AS v(id, state, attempts, keep, interval_ms, scheduled_at, due_at)
      WHERE f.id = v.id""";
  private static final String UPSERT_PAGES =
      """
      INSERT INTO pages (url, final_url, status, content_type, depth, title, fetched_at, elapsed_ms,
                         bytes, content_hash, attempts, error, crawl_id, etag, last_modified,
                         rendered, node)
      SELECT * FROM unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::int[], ?::text[], ?::text[], ?::bigint[],
                           ?::bigint[], ?::text[], ?::int[], ?::text[], ?::bigint[], ?::text[], ?::text[],
                           ?::text[], ?::text[])
      ON CONFLICT (url) DO UPDATE SET
        final_url = excluded.final_url, status = excluded.status, content_type = excluded.content_type,
        depth = excluded.depth, title = excluded.title, fetched_at = excluded.fetched_at,
        elapsed_ms = excluded.elapsed_ms, bytes = excluded.bytes, content_hash = excluded.content_hash,
        attempts = excluded.attempts, error = excluded.error, crawl_id = excluded.crawl_id,
        etag = excluded.etag, last_modified = excluded.last_modified, rendered = excluded.rendered,
        node = excluded.node""";
  /** A fetch that leaves the page's content as it was (unchanged, or failed): its own columns only, as SQLite's. */
  private static final String TOUCH_PAGES =
      """
      UPDATE pages p SET fetched_at = v.fetched_at, elapsed_ms = v.elapsed_ms, attempts = v.attempts, error = v.error,
        crawl_id = v.crawl_id, etag = coalesce(v.etag, p.etag), last_modified = coalesce(v.last_modified, p.last_modified),
        node = v.node
      FROM unnest(?::text[], ?::text[], ?::bigint[], ?::int[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])
        AS v(url, fetched_at, elapsed_ms, attempts, error, crawl_id, etag, last_modified, node)
      WHERE p.url = v.url""";
  private static final String INSERT_VERSIONS =
      """
      INSERT INTO page_versions (url, crawl_id, fetched_at, status, bytes, content_hash, etag, last_modified, error, change)
      SELECT u, c, f, s, b, h, e, m, r, k
      FROM unnest(?::text[], ?::bigint[], ?::text[], ?::int[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],
                  ?::text[]) WITH ORDINALITY AS v(u, c, f, s, b, h, e, m, r, k, n)
      ORDER BY n""";
  /** Changed or gone pages' items, kept in item_history as removed by the run {@code ?}, then dropped with their links. */
  private static final String ARCHIVE_ITEMS =
      """
      INSERT INTO item_history (item_id, page_url, rule, item_key, data, extracted_at, crawl_id, removed_in)
      SELECT id, page_url, rule, item_key, data, extracted_at, crawl_id, ?
      FROM items WHERE page_url = ANY(?::text[]) ORDER BY id""";
  private static final String DELETE_ITEMS = "DELETE FROM items WHERE page_url = ANY(?::text[])";
  private static final String DELETE_LINKS =
      "DELETE FROM link_ids WHERE from_id IN (SELECT id FROM urls WHERE url = ANY(?::text[]))";
  /** The URLs of the batch's links (either end), once each and sorted, so two writers lock them in one order. */
  private static final String INSERT_URLS =
      "INSERT INTO urls (url) SELECT u FROM unnest(?::text[]) AS u ORDER BY u ON CONFLICT (url) DO NOTHING";
  /**
   * Links by their two URLs, both in urls by then ({@link #INSERT_URLS} runs first), and their
   * places among their pages' links. A page written twice in one batch keeps its first links.
   */
  private static final String INSERT_LINKS =
      """
      INSERT INTO link_ids (from_id, seq, to_id)
      SELECT f.id, x.seq, t.id FROM unnest(?::text[], ?::int[], ?::text[]) AS x(from_url, seq, to_url)
      JOIN urls f ON f.url = x.from_url JOIN urls t ON t.url = x.to_url
      ON CONFLICT DO NOTHING""";
  /**
   * Items; one whose rule and key are stored already updates that row (its id stays), as SQLite's
   * upsert does. A statement may not update one row twice, so a batch holds each key once: its
   * last sighting ({@link #lastOfEachKey}).
   */
  private static final String UPSERT_ITEMS =
      """
      INSERT INTO items (page_url, rule, data, extracted_at, item_key, crawl_id)
      SELECT p, r, d::jsonb, e, k, c FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
        WITH ORDINALITY AS v(p, r, d, e, k, c, n)
      ORDER BY n
      ON CONFLICT (rule, item_key) DO UPDATE SET
        page_url = excluded.page_url, data = excluded.data, extracted_at = excluded.extracted_at,
        crawl_id = excluded.crawl_id""";
  /**
   * The stored versions of the keyed items about to be sighted again (elsewhere than on their own
   * page, whose items a change has archived already), kept in item_history as replaced by the run
   * {@code ?} before {@link #UPSERT_ITEMS} overwrites them, as SQLite's. Rows of the run itself are
   * not versions.
   */
  private static final String ARCHIVE_KEYED_ITEMS =
      """
      INSERT INTO item_history (item_id, page_url, rule, item_key, data, extracted_at, crawl_id, removed_in)
      SELECT i.id, i.page_url, i.rule, i.item_key, i.data, i.extracted_at, i.crawl_id, ?
      FROM items i JOIN unnest(?::text[], ?::text[]) AS v(r, k) ON i.rule = v.r AND i.item_key = v.k
      WHERE coalesce(i.crawl_id, 0) <> ?
      ORDER BY i.id""";
  private static final String UPSERT_DOWNLOADS =
      """
      INSERT INTO downloads (url, path, bytes, sha256, content_type, fetched_at)
      SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])
      ON CONFLICT (url) DO UPDATE SET
        path = excluded.path, bytes = excluded.bytes, sha256 = excluded.sha256,
        content_type = excluded.content_type, fetched_at = excluded.fetched_at""";
  /** Prepared once per combination of the statements a batch needs (a few in a crawl). */
  private static final int MAX_CACHED_BATCHES = 64;
  /** Queued rows with what earlier fetches left of their URL, as SQLite's. */
  private static final String SELECT_QUEUED =
      """
      SELECT f.id, f.url, f.depth, f.attempts, f.not_before, f.interval_ms, p.etag, p.last_modified, p.content_hash
      FROM frontier f LEFT JOIN pages p ON p.url = f.url
      WHERE f.state = 'queued' AND f.id > ? ORDER BY f.id LIMIT ?""";
  private static final String COUNT_QUEUED = "SELECT count(*) FROM frontier WHERE state = 'queued'";
  /**
   * Cluster mode: up to {@code ?} queued rows of each partition a node owns, above that partition's
   * cursor, through the partial index {@code frontier_partition} (one short range scan a partition),
   * with what earlier fetches left of their URL as {@link #SELECT_QUEUED}.
   */
  private static final String SELECT_QUEUED_IN =
      """
      SELECT f.id, f.url, f.depth, f.attempts, f.not_before, f.interval_ms, p.etag, p.last_modified, p.content_hash
      FROM unnest(?::int[], ?::bigint[]) AS c(p, after)
      CROSS JOIN LATERAL (
        SELECT id, url, depth, attempts, not_before, interval_ms FROM frontier
        WHERE partition = c.p AND state = 'queued' AND id > c.after ORDER BY id LIMIT ?) f
      LEFT JOIN pages p ON p.url = f.url""";
  private static final String COUNT_QUEUED_IN = "SELECT count(*) FROM frontier WHERE state = 'queued' AND partition = ANY(?::int[])";
  /** Pages stored by the runs of the current pass, as SQLite's: what counts toward crawl.max_pages. */
  private static final String COUNT_FINISHED =
      """
      SELECT count(*) FROM pages
      WHERE crawl_id IS NULL
         OR crawl_id >= (SELECT coalesce(max(id), 0) FROM crawls WHERE kind IS NULL OR kind <> 'resume')""";
  /** Finished rows due by {@code ?} back in the queue for a recrawl, each a fresh start. */
  private static final String REQUEUE_DUE =
      """
      UPDATE frontier SET state = 'queued', attempts = 0, not_before = 0, crashes = 0
      WHERE state IN ('done', 'failed') AND due_at <= ?""";
  /** A run stopped abnormally (crash, kill, out of memory) with these rows in flight: count it. */
  private static final String COUNT_CRASH = "UPDATE frontier SET crashes = crashes + 1 WHERE state = 'in_flight'";
  /** The pages row of each in-flight URL that was in flight in {@code ?} abnormal stops, charged to the last run. */
  private static final String STORE_CRASHED =
      """
      INSERT INTO pages (url, final_url, status, content_type, depth, title, fetched_at, elapsed_ms,
                         bytes, content_hash, attempts, error, crawl_id)
      SELECT url, NULL, NULL, NULL, depth, NULL, ?, 0, 0, NULL, attempts, 'crashed', (SELECT max(id) FROM crawls)
      FROM frontier WHERE state = 'in_flight' AND crashes >= ?
      ON CONFLICT (url) DO UPDATE SET
        final_url = excluded.final_url, status = excluded.status, content_type = excluded.content_type,
        depth = excluded.depth, title = excluded.title, fetched_at = excluded.fetched_at,
        elapsed_ms = excluded.elapsed_ms, bytes = excluded.bytes, content_hash = excluded.content_hash,
        attempts = excluded.attempts, error = excluded.error, crawl_id = excluded.crawl_id""";
  /** Their page_versions rows, as failures. */
  private static final String VERSION_CRASHED =
      """
      INSERT INTO page_versions (url, crawl_id, fetched_at, status, bytes, error, change)
      SELECT url, (SELECT max(id) FROM crawls), ?, NULL, 0, 'crashed', 'failed'
      FROM frontier WHERE state = 'in_flight' AND crashes >= ?""";
  private static final String FAIL_CRASHED = "UPDATE frontier SET state = 'failed' WHERE state = 'in_flight' AND crashes >= ?";
  private static final String REQUEUE_IN_FLIGHT = "UPDATE frontier SET state = 'queued', node = NULL WHERE state = 'in_flight'";
  /** A sitemap's {@code <lastmod>} after the URL's last fetch: due now, as SQLite's. */
  private static final String DUE_IF_MODIFIED =
      """
      UPDATE frontier f SET due_at = 0 FROM unnest(?::text[], ?::bigint[]) AS v(url, modified)
      WHERE f.url = v.url AND f.state IN ('done', 'failed') AND f.due_at - f.interval_ms < v.modified""";
  /** A sitemap's {@code <changefreq>}: the URL's interval, due no later than that from now, as SQLite's. */
  private static final String SET_INTERVAL =
      """
      UPDATE frontier f SET interval_ms = v.interval_ms, due_at = LEAST(f.due_at, v.due_at)
      FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS v(url, interval_ms, due_at) WHERE f.url = v.url""";
  private static final String OPEN_CRAWL = "INSERT INTO crawls (started_at, config, kind) VALUES (?, ?, ?) RETURNING id";
  private static final String CLOSE_CRAWL = "UPDATE crawls SET finished_at = ?, outcome = ?, stats = ? WHERE id = ?";

  private final Connection conn;
  private final PgConnector connector;
  /** The node of a cluster crawl this writer writes for, or null for a crawl on one machine. */
  private final String node;
  private final Map<String, PreparedStatement> batches = new HashMap<>();
  private final PreparedStatement insertDiscovered;
  private final PreparedStatement selectQueued;
  private PreparedStatement selectQueuedIn;

  private PostgresWriter(Connection conn, PgConnector connector, String node) throws SQLException {
    this.conn = conn;
    this.connector = connector;
    this.node = node;
    this.insertDiscovered = conn.prepareStatement(INSERT_DISCOVERED);
    this.selectQueued = conn.prepareStatement(SELECT_QUEUED);
  }

  /**
   * Connects, creates or migrates the tables in one transaction, and requeues in-flight rows if asked; blocking.
   *
   * @param node the cluster node this writer writes for (its claims and pages carry it, and every
   *     batch is fenced by its {@code crawl_nodes} row), or null outside a cluster
   * @param leaseMs for a node, {@code cluster.lease}: how long the server lets one of its
   *     transactions stay open and idle ({@link #endIdleTransactionsAfter})
   */
  static PostgresWriter open(PgConnector connector, boolean requeueInFlight, String node, long leaseMs) {
    Connection conn = connector.open(false);
    try {
      PostgresMigrator.migrate(conn, connector);
      if (requeueInFlight) {
        requeueInFlight(conn);
      }
      if (node != null) {
        endIdleTransactionsAfter(conn, leaseMs);
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
   * A cluster node's session: the server ends a transaction of it left open and idle for longer
   * than {@code ms}, and the session with it. A node frozen or cut off between a batch's statements
   * and its commit holds the {@code FOR SHARE} lock of its fence, which the others' eviction of it
   * waits for; without this it would wait until the lost connection's TCP timeout (hours). Ended
   * after a lease, the transaction is rolled back, the eviction goes on, and the node, back, finds
   * its session gone and its crawl failed. A healthy node's transactions are idle for microseconds:
   * each sends its statements and commits at once.
   */
  static void endIdleTransactionsAfter(Connection conn, long ms) throws SQLException {
    try (Statement stmt = conn.createStatement()) {
      stmt.execute("SET idle_in_transaction_session_timeout = " + Math.max(1, ms));
    }
    conn.commit();
  }

  /**
   * Sends the statements the batch needs together, as one list the driver sends and reads the
   * answers of at once: a batch costs two round trips to the server (the statements, the commit),
   * not one per statement. Claims run before the pages' final states, as in SQLite's batch.
   */
  /**
   * Puts the rows an abnormally stopped run left {@code in_flight} back in the queue, each one
   * counting that stop; one in flight in {@value StoreWriter#MAX_CRASHES} of them fails instead,
   * with error {@code crashed}, as SQLite's writer does. One transaction.
   */
  static void requeueInFlight(Connection conn) throws SQLException {
    try (Statement stmt = conn.createStatement();
        PreparedStatement storeCrashed = conn.prepareStatement(STORE_CRASHED);
        PreparedStatement versionCrashed = conn.prepareStatement(VERSION_CRASHED);
        PreparedStatement failCrashed = conn.prepareStatement(FAIL_CRASHED)) {
      stmt.executeUpdate(COUNT_CRASH);
      String now = Instant.now().toString();
      storeCrashed.setString(1, now);
      storeCrashed.setInt(2, MAX_CRASHES);
      storeCrashed.executeUpdate();
      versionCrashed.setString(1, now);
      versionCrashed.setInt(2, MAX_CRASHES);
      versionCrashed.executeUpdate();
      failCrashed.setInt(1, MAX_CRASHES);
      failCrashed.executeUpdate();
      stmt.executeUpdate(REQUEUE_IN_FLIGHT);
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      throw e;
    }
  }

  @Override
  public List<Integer> write(List<FrontierUpdate> updates, List<PageRecord> pages, List<PageVersion> versions,
      List<List<String>> discovered, long crawlId) {
    List<Part> parts = new ArrayList<>();
    frontierParts(updates, node, parts);
    Map<String, Integer> pageOf = new HashMap<>();
    if (!pages.isEmpty()) {
      pageParts(pages, versions, discovered, crawlId, node, pageOf, parts);
    }
    if (parts.isEmpty()) {
      return List.of();
    }
    if (node != null) {
      parts.add(0, new Part(FENCE, b -> b.text(node)));
    }
    try {
      PreparedStatement batch = statement(parts);
      Binder binder = new Binder(batch);
      for (Part part : parts) {
        part.bind().bind(binder);
      }
      List<Integer> added = run(batch, parts, pages.size(), pageOf);
      conn.commit();
      return added;
    } catch (SQLException e) {
      throw rolledBack("write a batch", e);
    }
  }

  /**
   * A node of a cluster crawl commits a batch only while its {@code crawl_nodes} row says it is
   * one: the batch's first statement reads that row {@code FOR SHARE}, so the survivors' eviction of
   * the node (an update of the row, once its lease has run out) waits for the batch's commit, or
   * the batch finds the node evicted and is rolled back. Pages a node fetched after it was evicted
   * (cut off for longer than {@code cluster.lease}) are never written beside the new owner's.
   */
  /**
   * The fence of a write outside {@link #write}'s batch (a sitemap's schedule, URLs added, the
   * cookies): in a cluster, the transaction's first statement, as in a batch; nothing on one machine.
   */
  private void fence() throws SQLException {
    if (node == null) {
      return;
    }
    try (PreparedStatement stmt = conn.prepareStatement(FENCE)) {
      stmt.setString(1, node);
      try (ResultSet rs = stmt.executeQuery()) {
        if (!rs.next()) {
          conn.rollback();
          throw fenced();
        }
      }
    }
  }

  private StoreException fenced() {
    return new StoreException(StoreException.Kind.FAILED, connector.display() + ": node " + node
        + " is no longer part of the cluster crawl (no lease renewed for longer than cluster.lease, so its hosts "
        + "moved to other nodes); the pages it had in flight are left to them");
  }

  /** One statement of a batch and how to bind its parameters. */
  private record Part(String sql, Binding bind) {}

  @FunctionalInterface
  private interface Binding {
    void bind(Binder binder) throws SQLException;
  }

  private PreparedStatement statement(List<Part> parts) throws SQLException {
    String sql = String.join(";\n", parts.stream().map(Part::sql).toList());
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

  /** Seeds, claims and put-backs, each when there are any. */
  private static void frontierParts(List<FrontierUpdate> updates, String node, List<Part> parts) {
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
      parts.add(new Part(INSERT_SEEDS, b -> {
        b.texts(seeds);
        b.ints(partitions(seeds));
      }));
    }
    if (!claimed.isEmpty()) {
      parts.add(new Part(CLAIM, b -> {
        b.text(node);
        b.longs(claimed);
      }));
    }
    if (!back.isEmpty()) {
      List<FrontierRow> rows = List.copyOf(back.values());
      parts.add(new Part(PUT_BACK, b -> {
        b.longs(rows.stream().map(FrontierRow::id).toList());
        b.ints(rows.stream().map(FrontierRow::attempts).toList());
        b.longs(rows.stream().map(FrontierRow::notBeforeMs).toList());
      }));
    }
  }

  /**
   * Pages, links, items, downloads, discovered URLs and final frontier states.
   *
   * @param pageOf filled with, for each discovered URL, the index of the first page that listed it
   */
  private static void pageParts(List<PageRecord> pages, List<PageVersion> versions, List<List<String>> discovered,
      long crawlId, String node, Map<String, Integer> pageOf, List<Part> parts) {
    // One row per URL: a URL stored twice in one batch keeps its last record, as SQLite's upsert does.
    Map<String, PageRecord> replaced = new LinkedHashMap<>();
    Map<String, PageRecord> touched = new LinkedHashMap<>();
    Map<String, PageRecord> downloads = new LinkedHashMap<>();
    Map<Long, Integer> finished = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    for (int i = 0; i < pages.size(); i++) {
      PageRecord page = pages.get(i);
      PageVersion version = versions.get(i);
      replaced.remove(page.url());
      touched.remove(page.url());
      boolean hadContent = page.revisit() != null && page.revisit().hasContent();
      (version.replacesContent(hadContent) ? replaced : touched).put(page.url(), page);
      if (version.dropsOldItemsAndLinks()) {
        dropped.add(page.url());
      }
      if (page.download() != null) {
        downloads.remove(page.url());
        downloads.put(page.url(), page);
      }
      finished.remove(page.frontierId());
      finished.put(page.frontierId(), i);
    }
    if (!replaced.isEmpty()) {
      PageColumns columns = new PageColumns(replaced.values(), crawlId, node);
      parts.add(new Part(UPSERT_PAGES, columns::bind));
    }
    if (!touched.isEmpty()) {
      List<PageRecord> rows = List.copyOf(touched.values());
      Long crawl = crawlId == 0 ? null : crawlId;
      parts.add(new Part(TOUCH_PAGES, b -> {
        b.texts(rows.stream().map(PageRecord::url).toList());
        b.texts(rows.stream().map(p -> Instant.ofEpochMilli(p.fetchedAtMs()).toString()).toList());
        b.longs(rows.stream().map(PageRecord::elapsedMs).toList());
        b.ints(rows.stream().map(PageRecord::attempts).toList());
        b.texts(rows.stream().map(PageRecord::error).toList());
        b.longs(rows.stream().map(p -> crawl).toList());
        b.texts(rows.stream().map(PageRecord::etag).toList());
        b.texts(rows.stream().map(PageRecord::lastModified).toList());
        b.texts(rows.stream().map(p -> node).toList());
      }));
    }
    parts.add(new Part(INSERT_VERSIONS, b -> bindVersions(b, pages, versions, crawlId)));
    if (!dropped.isEmpty()) {
      parts.add(new Part(ARCHIVE_ITEMS, b -> {
        b.longValue(crawlId);
        b.texts(dropped);
      }));
      parts.add(new Part(DELETE_ITEMS, b -> b.texts(dropped)));
      parts.add(new Part(DELETE_LINKS, b -> b.texts(dropped)));
    }

    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    List<String> itemPage = new ArrayList<>();
    List<String> itemRule = new ArrayList<>();
    List<String> itemData = new ArrayList<>();
    List<String> itemAt = new ArrayList<>();
    List<String> itemKey = new ArrayList<>();
    List<Long> itemCrawl = new ArrayList<>();
    List<Integer> seqs = new ArrayList<>();
    for (PageRecord page : pages) {
      for (int seq = 0; seq < page.links().size(); seq++) {
        from.add(page.url());
        seqs.add(seq);
        to.add(page.links().get(seq));
      }
    }
    Long crawl = crawlId == 0 ? null : crawlId;
    for (ItemRow row : lastOfEachKey(pages)) {
      itemPage.add(row.pageUrl());
      itemRule.add(row.item().getString("rule"));
      itemData.add(row.item().getJsonObject("data").encode());
      itemAt.add(row.extractedAt());
      itemKey.add(row.item().getString("key"));
      itemCrawl.add(crawl);
    }
    if (!from.isEmpty()) {
      TreeSet<String> linkUrls = new TreeSet<>(from);
      linkUrls.addAll(to);
      List<String> sortedUrls = List.copyOf(linkUrls);
      parts.add(new Part(INSERT_URLS, b -> b.texts(sortedUrls)));
      parts.add(new Part(INSERT_LINKS, b -> {
        b.texts(from);
        b.ints(seqs);
        b.texts(to);
      }));
    }
    List<String> keyedRule = new ArrayList<>();
    List<String> keyedKey = new ArrayList<>();
    for (int i = 0; i < itemKey.size(); i++) {
      if (itemKey.get(i) != null) { // once each: lastOfEachKey keeps one row per key
        keyedRule.add(itemRule.get(i));
        keyedKey.add(itemKey.get(i));
      }
    }
    if (!keyedKey.isEmpty()) {
      parts.add(new Part(ARCHIVE_KEYED_ITEMS, b -> {
        b.longValue(crawlId);
        b.texts(keyedRule);
        b.texts(keyedKey);
        b.longValue(crawlId);
      }));
    }
    if (!itemPage.isEmpty()) {
      parts.add(new Part(UPSERT_ITEMS, b -> {
        b.texts(itemPage);
        b.texts(itemRule);
        b.texts(itemData);
        b.texts(itemAt);
        b.texts(itemKey);
        b.longs(itemCrawl);
      }));
    }
    if (!downloads.isEmpty()) {
      List<PageRecord> saved = List.copyOf(downloads.values());
      parts.add(new Part(UPSERT_DOWNLOADS, b -> {
        b.texts(saved.stream().map(PageRecord::url).toList());
        b.texts(saved.stream().map(p -> p.download().path()).toList());
        b.longs(saved.stream().map(p -> p.download().bytes()).toList());
        b.texts(saved.stream().map(p -> p.download().sha256()).toList());
        b.texts(saved.stream().map(p -> p.download().contentType() != null ? p.download().contentType()
            : p.contentType()).toList());
        b.texts(saved.stream().map(p -> Instant.ofEpochMilli(p.fetchedAtMs()).toString()).toList());
      }));
    }
    List<String> urls = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    for (int i = 0; i < pages.size(); i++) {
      for (String url : discovered.get(i)) {
        urls.add(url);
        depths.add(pages.get(i).depth() + 1);
        pageOf.putIfAbsent(url, i);
      }
    }
    if (!urls.isEmpty()) {
      parts.add(new Part(INSERT_DISCOVERED, b -> {
        b.texts(urls);
        b.ints(depths);
        b.ints(partitions(urls));
      }));
    }
    List<Integer> done = List.copyOf(finished.values());
    parts.add(new Part(FINISH, b -> {
      b.longs(done.stream().map(i -> pages.get(i).frontierId()).toList());
      b.texts(done.stream().map(i -> (pages.get(i).error() == null ? FrontierState.DONE : FrontierState.FAILED).column())
          .toList());
      b.ints(done.stream().map(i -> pages.get(i).attempts()).toList());
      b.bools(done.stream().map(i -> versions.get(i).keepsInterval()).toList());
      b.longs(done.stream().map(i -> versions.get(i).intervalMs()).toList());
      b.longs(done.stream().map(i -> versions.get(i).scheduledAtMs()).toList());
      b.longs(done.stream().map(i -> versions.get(i).dueAtMs()).toList());
    }));
  }

  /** Every page's page_versions row, in batch order. */
  private static void bindVersions(Binder b, List<PageRecord> pages, List<PageVersion> versions, long crawlId)
      throws SQLException {
    Long crawl = crawlId == 0 ? null : crawlId;
    b.texts(pages.stream().map(PageRecord::url).toList());
    b.longs(pages.stream().map(p -> crawl).toList());
    b.texts(pages.stream().map(p -> Instant.ofEpochMilli(p.fetchedAtMs()).toString()).toList());
    b.ints(pages.stream().map(p -> p.status() == 0 ? null : p.status()).toList());
    b.longs(pages.stream().map(PageRecord::bytes).toList());
    b.texts(pages.stream().map(PageRecord::contentHash).toList());
    b.texts(pages.stream().map(PageRecord::etag).toList());
    b.texts(pages.stream().map(PageRecord::lastModified).toList());
    b.texts(pages.stream().map(PageRecord::error).toList());
    b.texts(versions.stream().map(v -> v.change().column()).toList());
  }

  /**
   * Runs the bound batch, one result per statement in the order of {@code parts}; counts, per page,
   * the discovered URLs the frontier did not have (the rows the insert of discovered URLs returns).
   * Throws, to be rolled back, when the fence finds this node evicted.
   */
  private List<Integer> run(PreparedStatement batch, List<Part> parts, int pages, Map<String, Integer> pageOf)
      throws SQLException {
    Integer[] added = new Integer[pages];
    Arrays.fill(added, 0);
    boolean rows = batch.execute();
    for (int i = 0; rows || batch.getUpdateCount() != -1; i++) {
      if (rows) {
        try (ResultSet rs = batch.getResultSet()) {
          if (FENCE.equals(parts.get(i).sql())) {
            if (!rs.next()) {
              conn.rollback();
              throw fenced();
            }
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

  /** The host partition of each URL, in order. */
  private static List<Integer> partitions(List<String> urls) {
    List<Integer> partitions = new ArrayList<>(urls.size());
    for (String url : urls) {
      partitions.add(HostPartitions.ofUrl(url));
    }
    return partitions;
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
        selectQueuedIn = conn.prepareStatement(SELECT_QUEUED_IN);
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
      try (PreparedStatement count = conn.prepareStatement(COUNT_QUEUED_IN)) {
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
    try (PreparedStatement stmt = conn.prepareStatement(OPEN_CRAWL);
        PreparedStatement requeue = conn.prepareStatement(REQUEUE_DUE)) {
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
    try (PreparedStatement due = conn.prepareStatement(DUE_IF_MODIFIED);
        PreparedStatement interval = conn.prepareStatement(SET_INTERVAL)) {
      fence();
      if (!modifiedUrls.isEmpty()) {
        Binder b = new Binder(due);
        b.texts(modifiedUrls);
        b.longs(modified);
        due.executeUpdate();
      }
      if (!intervalUrls.isEmpty()) {
        Binder b = new Binder(interval);
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
      fence();
      insertDiscovered.setArray(1, conn.createArrayOf("text", urls.toArray(new String[0])));
      Integer[] depths = new Integer[urls.size()];
      Arrays.fill(depths, depth);
      insertDiscovered.setArray(2, conn.createArrayOf("int4", depths));
      insertDiscovered.setArray(3, conn.createArrayOf("int4", partitions(urls).toArray(new Integer[0])));
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
      fence();
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

  /** Binds a statement's parameters in order, each a whole column as an array. */
  private static final class Binder {
    private final PreparedStatement stmt;
    private int next = 1;

    Binder(PreparedStatement stmt) {
      this.stmt = stmt;
    }

    void text(String value) throws SQLException {
      stmt.setString(next++, value);
    }

    void texts(List<String> values) throws SQLException {
      stmt.setArray(next++, stmt.getConnection().createArrayOf("text", values.toArray(new String[0])));
    }

    void ints(List<Integer> values) throws SQLException {
      stmt.setArray(next++, stmt.getConnection().createArrayOf("int4", values.toArray(new Integer[0])));
    }

    void bools(List<Boolean> values) throws SQLException {
      stmt.setArray(next++, stmt.getConnection().createArrayOf("bool", values.toArray(new Boolean[0])));
    }

    void longValue(long value) throws SQLException {
      stmt.setLong(next++, value);
    }

    void longs(List<Long> values) throws SQLException {
      stmt.setArray(next++, stmt.getConnection().createArrayOf("int8", values.toArray(new Long[0])));
    }
  }

  /** The seventeen columns of {@code pages} for one batch, bound in the order of {@link #UPSERT_PAGES}. */
  private record PageColumns(List<PageRecord> pages, long crawlId, String node) {
    PageColumns(Collection<PageRecord> pages, long crawlId, String node) {
      this(List.copyOf(pages), crawlId, node);
    }

    void bind(Binder binder) throws SQLException {
      binder.texts(map(PageRecord::url));
      binder.texts(map(PageRecord::finalUrl));
      binder.ints(map(p -> p.status() == 0 ? null : p.status()));
      binder.texts(map(PageRecord::contentType));
      binder.ints(map(PageRecord::depth));
      binder.texts(map(PageRecord::title));
      binder.texts(map(p -> Instant.ofEpochMilli(p.fetchedAtMs()).toString()));
      binder.longs(map(PageRecord::elapsedMs));
      binder.longs(map(PageRecord::bytes));
      binder.texts(map(PageRecord::contentHash));
      binder.ints(map(PageRecord::attempts));
      binder.texts(map(PageRecord::error));
      binder.longs(map(p -> crawlId == 0 ? null : crawlId));
      binder.texts(map(PageRecord::etag));
      binder.texts(map(PageRecord::lastModified));
      binder.texts(map(PageRecord::rendered));
      binder.texts(map(p -> node));
    }

    /** One column of the pages, nulls included. */
    private <T> List<T> map(Function<PageRecord, T> column) {
      List<T> values = new ArrayList<>(pages.size());
      for (PageRecord page : pages) {
        values.add(column.apply(page));
      }
      return values;
    }
  }

  /** One items row of a batch: the item, its page, when it was extracted. */
  record ItemRow(JsonObject item, String pageUrl, String extractedAt) {}

  /**
   * The batch's items in order, a keyed item seen again in the batch kept at its last sighting
   * only (where SQLite's row-by-row upsert ends too); items without a key all kept.
   */
  static List<ItemRow> lastOfEachKey(List<PageRecord> pages) {
    List<ItemRow> rows = new ArrayList<>();
    Map<String, Integer> lastByKey = new HashMap<>();
    for (PageRecord page : pages) {
      String fetchedAt = Instant.ofEpochMilli(page.fetchedAtMs()).toString();
      for (int j = 0; j < page.items().size(); j++) {
        JsonObject item = page.items().getJsonObject(j);
        String key = item.getString("key");
        if (key != null) {
          lastByKey.put(item.getString("rule") + "\u0000" + key, rows.size());
        }
        rows.add(new ItemRow(item, page.url(), fetchedAt));
      }
    }
    List<ItemRow> kept = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      String key = rows.get(i).item().getString("key");
      if (key == null || lastByKey.get(rows.get(i).item().getString("rule") + "\u0000" + key) == i) {
        kept.add(rows.get(i));
      }
    }
    return kept;
  }
}
