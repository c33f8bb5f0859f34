package io.trawl.store.sqlite;

import java.util.Collections;

/** Every SQL statement the SQLite writer runs, in one place so the schema's users are easy to find. */
final class SqliteSql {
  static final String INSERT_SEED =
      "INSERT OR IGNORE INTO frontier (url, depth, state, attempts, not_before, partition) VALUES (?, 0, 'queued', 0, 0, ?)";
  static final String INSERT_DISCOVERED =
      "INSERT OR IGNORE INTO frontier (url, depth, state, attempts, not_before, partition) VALUES (?, ?, 'queued', 0, 0, ?)";
  static final String CLAIM = "UPDATE frontier SET state = 'in_flight' WHERE id = ? AND state = 'queued'";
  static final String PUT_BACK =
      "UPDATE frontier SET state = 'queued', attempts = ?, not_before = ? WHERE id = ?";
  /**
   * A stored URL's final state and schedule. When its fetch keeps its interval (PageVersion#keepsInterval),
   * an interval set on the row meanwhile (a sitemap's changefreq) stands: the right-hand sides read
   * the row's old values.
   */
  static final String FINISH =
      """
      UPDATE frontier SET state = ?, attempts = ?,
        interval_ms = CASE WHEN ? AND interval_ms > 0 THEN interval_ms ELSE ? END,
        due_at = CASE WHEN ? AND interval_ms > 0 THEN ? + interval_ms ELSE ? END
      WHERE id = ?""";
  static final String UPSERT_PAGE =
      """
      INSERT INTO pages (url, final_url, status, content_type, depth, title, fetched_at, elapsed_ms,
                         bytes, content_hash, attempts, error, crawl_id, etag, last_modified,
                         rendered)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (url) DO UPDATE SET
        final_url = excluded.final_url, status = excluded.status, content_type = excluded.content_type,
        depth = excluded.depth, title = excluded.title, fetched_at = excluded.fetched_at,
        elapsed_ms = excluded.elapsed_ms, bytes = excluded.bytes, content_hash = excluded.content_hash,
        attempts = excluded.attempts, error = excluded.error, crawl_id = excluded.crawl_id,
        etag = excluded.etag, last_modified = excluded.last_modified, rendered = excluded.rendered""";
  /**
   * A fetch that leaves the page's content as it was (unchanged, or failed): its own columns
   * only. An unchanged page's response may bring new validators (a 304 should repeat its ETag);
   * a failure's error is set, and cleared again by the next fetch that succeeds.
   */
  static final String TOUCH_PAGE =
      """
      UPDATE pages SET fetched_at = ?, elapsed_ms = ?, attempts = ?, error = ?, crawl_id = ?,
        etag = coalesce(?, etag), last_modified = coalesce(?, last_modified)
      WHERE url = ?""";
  static final String INSERT_VERSION =
      """
      INSERT INTO page_versions (url, crawl_id, fetched_at, status, bytes, content_hash, etag, last_modified, error, change)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  /** A changed or gone page's items, kept in item_history as removed by the run {@code ?}. */
  static final String ARCHIVE_ITEMS =
      """
      INSERT INTO item_history (item_id, page_url, rule, item_key, data, extracted_at, crawl_id, removed_in)
      SELECT id, page_url, rule, item_key, data, extracted_at, crawl_id, ? FROM items WHERE page_url = ? ORDER BY id""";
  static final String DELETE_ITEMS = "DELETE FROM items WHERE page_url = ?";
  /** A page's links (link_ids by URL id, migration 9), before its new ones are written. */
  static final String DELETE_LINKS = "DELETE FROM link_ids WHERE from_id = (SELECT id FROM urls WHERE url = ?)";
  /** URLs bound this many to a statement of {@link LinkWriter}: one statement step instead of one a URL. */
  static final int URLS_PER_STATEMENT = 50;
  /**
   * URLs of links (either end), each given an id if it has none yet; returns the id and URL of each
   * row it added, none for a URL already there (or repeated in the statement).
   */
  static final String INSERT_URLS = "INSERT OR IGNORE INTO urls (url) VALUES "
      + String.join(", ", Collections.nCopies(URLS_PER_STATEMENT, "(?)")) + " RETURNING id, url";
  /** The id and URL of each of these URLs that urls holds. */
  static final String SELECT_URL_IDS = "SELECT id, url FROM urls WHERE url IN ("
      + String.join(", ", Collections.nCopies(URLS_PER_STATEMENT, "?")) + ")";
  static final String SELECT_URL_ID = "SELECT id FROM urls WHERE url = ?";
  /**
   * A page's links: its URL's id, and its links' URL ids as a JSON array in document order (the
   * index in it is the link's seq). Measured against 50 rows of three ids bound one by one:
   * BENCHMARKS.md. A page written twice in one batch keeps its first links.
   */
  static final String INSERT_LINK_IDS =
      "INSERT OR IGNORE INTO link_ids (from_id, seq, to_id) SELECT ?, key, value FROM json_each(?)";
  /**
   * An item; one whose rule and key are already stored updates that row (its id stays). Items
   * without a key have a NULL item_key, which never conflicts: they are always added.
   */
  static final String UPSERT_ITEM =
      """
      INSERT INTO items (page_url, rule, data, extracted_at, item_key, crawl_id) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (rule, item_key) DO UPDATE SET
        page_url = excluded.page_url, data = excluded.data, extracted_at = excluded.extracted_at,
        crawl_id = excluded.crawl_id""";
  /**
   * The stored version of a keyed item about to be sighted again (elsewhere than on its own page,
   * whose items a change has archived already), kept in item_history as replaced by the run
   * {@code ?} before {@link #UPSERT_ITEM} overwrites it. Rows of the run itself are not versions.
   */
  static final String ARCHIVE_KEYED_ITEM =
      """
      INSERT INTO item_history (item_id, page_url, rule, item_key, data, extracted_at, crawl_id, removed_in)
      SELECT id, page_url, rule, item_key, data, extracted_at, crawl_id, ? FROM items
      WHERE rule = ? AND item_key = ? AND coalesce(crawl_id, 0) <> ?""";
  static final String UPSERT_DOWNLOAD =
      """
      INSERT INTO downloads (url, path, bytes, sha256, content_type, fetched_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (url) DO UPDATE SET
        path = excluded.path, bytes = excluded.bytes, sha256 = excluded.sha256,
        content_type = excluded.content_type, fetched_at = excluded.fetched_at""";
  /**
   * Queued rows with what earlier fetches left of their URL: the validators and hash of the
   * content held (a pages row without a hash holds none), and the URL's recrawl interval.
   */
  static final String SELECT_QUEUED =
      """
      SELECT f.id, f.url, f.depth, f.attempts, f.not_before, f.interval_ms, p.etag, p.last_modified, p.content_hash
      FROM frontier f LEFT JOIN pages p ON p.url = f.url
      WHERE f.state = 'queued' AND f.id > ? ORDER BY f.id LIMIT ?""";
  static final String COUNT_QUEUED = "SELECT count(*) FROM frontier WHERE state = 'queued'";
  /**
   * Pages stored by the runs of the current pass (the last crawl or recrawl and its resumes): what
   * counts toward crawl.max_pages. Pages a recrawl has not fetched again belong to an earlier pass.
   */
  static final String COUNT_FINISHED =
      """
      SELECT count(*) FROM pages
      WHERE crawl_id IS NULL
         OR crawl_id >= (SELECT coalesce(max(id), 0) FROM crawls WHERE kind IS NULL OR kind <> 'resume')""";
  /** Finished rows due by {@code ?} back in the queue for a recrawl, each a fresh start. */
  static final String REQUEUE_DUE =
      """
      UPDATE frontier SET state = 'queued', attempts = 0, not_before = 0, crashes = 0
      WHERE state IN ('done', 'failed') AND due_at <= ?""";
  /** Every row in flight back in the queue ({@link io.trawl.store.InFlightRows}). */
  static final String REQUEUE_IN_FLIGHT = "UPDATE frontier SET state = 'queued' WHERE state = 'in_flight'";
  /** A sitemap's {@code <lastmod>} after the URL's last fetch ({@code due_at - interval_ms}): due now. */
  static final String DUE_IF_MODIFIED =
      "UPDATE frontier SET due_at = 0 WHERE url = ? AND state IN ('done', 'failed') AND due_at - interval_ms < ?";
  /** A sitemap's {@code <changefreq>}: the URL's interval, due no later than that from now. */
  static final String SET_INTERVAL = "UPDATE frontier SET interval_ms = ?, due_at = min(due_at, ?) WHERE url = ?";
  static final String OPEN_CRAWL = "INSERT INTO crawls (started_at, config, kind) VALUES (?, ?, ?) RETURNING id";
  static final String CLOSE_CRAWL = "UPDATE crawls SET finished_at = ?, outcome = ?, stats = ? WHERE id = ?";

  private SqliteSql() {}
}
