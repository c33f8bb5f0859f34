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
  static final String FINISH = "UPDATE frontier SET state = ?, attempts = ? WHERE id = ?";
  static final String UPSERT_PAGE =
      """
      INSERT INTO pages (url, final_url, status, content_type, depth, title, fetched_at, elapsed_ms,
                         bytes, content_hash, attempts, error, crawl_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (url) DO UPDATE SET
        final_url = excluded.final_url, status = excluded.status, content_type = excluded.content_type,
        depth = excluded.depth, title = excluded.title, fetched_at = excluded.fetched_at,
        elapsed_ms = excluded.elapsed_ms, bytes = excluded.bytes, content_hash = excluded.content_hash,
        attempts = excluded.attempts, error = excluded.error, crawl_id = excluded.crawl_id""";
  static final String INSERT_LINK = "INSERT INTO links (from_url, to_url) VALUES (?, ?)";
  /** Links rows bound {@link #LINKS_PER_INSERT} at a time: one statement step instead of one per row. */
  static final int LINKS_PER_INSERT = 50;
  static final String INSERT_LINKS = "INSERT INTO links (from_url, to_url) VALUES "
      + String.join(", ", Collections.nCopies(LINKS_PER_INSERT, "(?, ?)"));
  /**
   * An item; one whose rule and key are already stored updates that row (its id stays). Items
   * without a key have a NULL item_key, which never conflicts: they are always added.
   */
  static final String UPSERT_ITEM =
      """
      INSERT INTO items (page_url, rule, data, extracted_at, item_key) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (rule, item_key) DO UPDATE SET
        page_url = excluded.page_url, data = excluded.data, extracted_at = excluded.extracted_at""";
  static final String UPSERT_DOWNLOAD =
      """
      INSERT INTO downloads (url, path, bytes, sha256, content_type, fetched_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (url) DO UPDATE SET
        path = excluded.path, bytes = excluded.bytes, sha256 = excluded.sha256,
        content_type = excluded.content_type, fetched_at = excluded.fetched_at""";
  static final String SELECT_QUEUED =
      "SELECT id, url, depth, attempts, not_before FROM frontier WHERE state = 'queued' AND id > ? ORDER BY id LIMIT ?";
  static final String COUNT_QUEUED = "SELECT count(*) FROM frontier WHERE state = 'queued'";
  static final String COUNT_FINISHED = "SELECT count(*) FROM frontier WHERE state IN ('done', 'failed')";
  /** A run stopped abnormally (crash, kill, out of memory) with these rows in flight: count it. */
  static final String COUNT_CRASH = "UPDATE frontier SET crashes = crashes + 1 WHERE state = 'in_flight'";
  /**
   * The pages row of each in-flight URL that was in flight in {@code ?} abnormal stops (error
   * {@code crashed}), charged to the last run, the one that stopped; then {@link #FAIL_CRASHED}.
   */
  static final String STORE_CRASHED =
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
  static final String FAIL_CRASHED = "UPDATE frontier SET state = 'failed' WHERE state = 'in_flight' AND crashes >= ?";
  static final String REQUEUE_IN_FLIGHT = "UPDATE frontier SET state = 'queued' WHERE state = 'in_flight'";
  static final String OPEN_CRAWL = "INSERT INTO crawls (started_at, config) VALUES (?, ?) RETURNING id";
  static final String CLOSE_CRAWL = "UPDATE crawls SET finished_at = ?, outcome = ?, stats = ? WHERE id = ?";

  private SqliteSql() {}
}
