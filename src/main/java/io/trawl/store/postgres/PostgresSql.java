package io.trawl.store.postgres;

/**
 * Every SQL statement the PostgreSQL writer runs, in one place as SQLite's {@code SqliteSql}, so the
 * schema's users are easy to find. Each batch statement takes whole columns as arrays
 * ({@code unnest}), bound in order by {@link ArrayBinder}.
 */
final class PostgresSql {
  static final String INSERT_SEEDS =
      """
      INSERT INTO frontier (url, depth, partition)
      SELECT u, 0, p FROM unnest(?::text[], ?::int[]) WITH ORDINALITY AS v(u, p, n) ORDER BY n
      ON CONFLICT (url) DO NOTHING""";
  static final String INSERT_DISCOVERED =
      """
      INSERT INTO frontier (url, depth, partition)
      SELECT u, d, p FROM unnest(?::text[], ?::int[], ?::int[]) WITH ORDINALITY AS v(u, d, p, n) ORDER BY n
      ON CONFLICT (url) DO NOTHING RETURNING url""";
  static final String CLAIM =
      "UPDATE frontier SET state = 'in_flight', node = ? WHERE id = ANY(?::bigint[]) AND state = 'queued'";
  static final String PUT_BACK =
      """
      UPDATE frontier f SET state = 'queued', node = NULL, attempts = v.attempts, not_before = v.not_before
      FROM unnest(?::bigint[], ?::int[], ?::bigint[]) AS v(id, attempts, not_before) WHERE f.id = v.id""";
  static final String FINISH =
      """
      UPDATE frontier f SET state = v.state, attempts = v.attempts,
        interval_ms = CASE WHEN v.keep AND f.interval_ms > 0 THEN f.interval_ms ELSE v.interval_ms END,
        due_at = CASE WHEN v.keep AND f.interval_ms > 0 THEN v.scheduled_at + f.interval_ms ELSE v.due_at END
      FROM unnest(?::bigint[], ?::text[], ?::int[], ?::bool[], ?::bigint[], ?::bigint[], ?::bigint[])
        AS v(id, state, attempts, keep, interval_ms, scheduled_at, due_at)
      WHERE f.id = v.id""";
  static final String UPSERT_PAGES =
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
  static final String TOUCH_PAGES =
      """
      UPDATE pages p SET fetched_at = v.fetched_at, elapsed_ms = v.elapsed_ms, attempts = v.attempts, error = v.error,
        crawl_id = v.crawl_id, etag = coalesce(v.etag, p.etag), last_modified = coalesce(v.last_modified, p.last_modified),
        node = v.node
      FROM unnest(?::text[], ?::text[], ?::bigint[], ?::int[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])
        AS v(url, fetched_at, elapsed_ms, attempts, error, crawl_id, etag, last_modified, node)
      WHERE p.url = v.url""";
  static final String INSERT_VERSIONS =
      """
      INSERT INTO page_versions (url, crawl_id, fetched_at, status, bytes, content_hash, etag, last_modified, error, change)
      SELECT u, c, f, s, b, h, e, m, r, k
      FROM unnest(?::text[], ?::bigint[], ?::text[], ?::int[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],
                  ?::text[]) WITH ORDINALITY AS v(u, c, f, s, b, h, e, m, r, k, n)
      ORDER BY n""";
  /** Changed or gone pages' items, kept in item_history as removed by the run {@code ?}, then dropped with their links. */
  static final String ARCHIVE_ITEMS =
      """
      INSERT INTO item_history (item_id, page_url, rule, item_key, data, extracted_at, crawl_id, removed_in)
      SELECT id, page_url, rule, item_key, data, extracted_at, crawl_id, ?
      FROM items WHERE page_url = ANY(?::text[]) ORDER BY id""";
  static final String DELETE_ITEMS = "DELETE FROM items WHERE page_url = ANY(?::text[])";
  static final String DELETE_LINKS =
      "DELETE FROM link_ids WHERE from_id IN (SELECT id FROM urls WHERE url = ANY(?::text[]))";
  /** The URLs of the batch's links (either end), once each and sorted, so two writers lock them in one order. */
  static final String INSERT_URLS =
      "INSERT INTO urls (url) SELECT u FROM unnest(?::text[]) AS u ORDER BY u ON CONFLICT (url) DO NOTHING";
  /**
   * Links by their two URLs, both in urls by then ({@link #INSERT_URLS} runs first), and their
   * places among their pages' links. A page written twice in one batch keeps its first links.
   */
  static final String INSERT_LINKS =
      """
      INSERT INTO link_ids (from_id, seq, to_id)
      SELECT f.id, x.seq, t.id FROM unnest(?::text[], ?::int[], ?::text[]) AS x(from_url, seq, to_url)
      JOIN urls f ON f.url = x.from_url JOIN urls t ON t.url = x.to_url
      ON CONFLICT DO NOTHING""";
  /**
   * Items; one whose rule and key are stored already updates that row (its id stays), as SQLite's
   * upsert does. A statement may not update one row twice, so a batch holds each key once: its
   * last sighting ({@link PgBatch#lastOfEachKey}).
   */
  static final String UPSERT_ITEMS =
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
  static final String ARCHIVE_KEYED_ITEMS =
      """
      INSERT INTO item_history (item_id, page_url, rule, item_key, data, extracted_at, crawl_id, removed_in)
      SELECT i.id, i.page_url, i.rule, i.item_key, i.data, i.extracted_at, i.crawl_id, ?
      FROM items i JOIN unnest(?::text[], ?::text[]) AS v(r, k) ON i.rule = v.r AND i.item_key = v.k
      WHERE coalesce(i.crawl_id, 0) <> ?
      ORDER BY i.id""";
  static final String UPSERT_DOWNLOADS =
      """
      INSERT INTO downloads (url, path, bytes, sha256, content_type, fetched_at)
      SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])
      ON CONFLICT (url) DO UPDATE SET
        path = excluded.path, bytes = excluded.bytes, sha256 = excluded.sha256,
        content_type = excluded.content_type, fetched_at = excluded.fetched_at""";
  /** Queued rows with what earlier fetches left of their URL, as SQLite's. */
  static final String SELECT_QUEUED =
      """
      SELECT f.id, f.url, f.depth, f.attempts, f.not_before, f.interval_ms, p.etag, p.last_modified, p.content_hash
      FROM frontier f LEFT JOIN pages p ON p.url = f.url
      WHERE f.state = 'queued' AND f.id > ? ORDER BY f.id LIMIT ?""";
  static final String COUNT_QUEUED = "SELECT count(*) FROM frontier WHERE state = 'queued'";
  /**
   * Cluster mode: up to {@code ?} queued rows of each partition a node owns, above that partition's
   * cursor, through the partial index {@code frontier_partition} (one short range scan a partition),
   * with what earlier fetches left of their URL as {@link #SELECT_QUEUED}.
   */
  static final String SELECT_QUEUED_IN =
      """
      SELECT f.id, f.url, f.depth, f.attempts, f.not_before, f.interval_ms, p.etag, p.last_modified, p.content_hash
      FROM unnest(?::int[], ?::bigint[]) AS c(p, after)
      CROSS JOIN LATERAL (
        SELECT id, url, depth, attempts, not_before, interval_ms FROM frontier
        WHERE partition = c.p AND state = 'queued' AND id > c.after ORDER BY id LIMIT ?) f
      LEFT JOIN pages p ON p.url = f.url""";
  static final String COUNT_QUEUED_IN = "SELECT count(*) FROM frontier WHERE state = 'queued' AND partition = ANY(?::int[])";
  /** Pages stored by the runs of the current pass, as SQLite's: what counts toward crawl.max_pages. */
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
  /** Every row in flight back in the queue, no node's any more ({@link io.trawl.store.InFlightRows}). */
  static final String REQUEUE_IN_FLIGHT = "UPDATE frontier SET state = 'queued', node = NULL WHERE state = 'in_flight'";
  /** A sitemap's {@code <lastmod>} after the URL's last fetch: due now, as SQLite's. */
  static final String DUE_IF_MODIFIED =
      """
      UPDATE frontier f SET due_at = 0 FROM unnest(?::text[], ?::bigint[]) AS v(url, modified)
      WHERE f.url = v.url AND f.state IN ('done', 'failed') AND f.due_at - f.interval_ms < v.modified""";
  /** A sitemap's {@code <changefreq>}: the URL's interval, due no later than that from now, as SQLite's. */
  static final String SET_INTERVAL =
      """
      UPDATE frontier f SET interval_ms = v.interval_ms, due_at = LEAST(f.due_at, v.due_at)
      FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS v(url, interval_ms, due_at) WHERE f.url = v.url""";
  static final String OPEN_CRAWL = "INSERT INTO crawls (started_at, config, kind) VALUES (?, ?, ?) RETURNING id";
  static final String CLOSE_CRAWL = "UPDATE crawls SET finished_at = ?, outcome = ?, stats = ? WHERE id = ?";

  private PostgresSql() {}
}
