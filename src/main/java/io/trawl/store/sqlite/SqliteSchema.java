package io.trawl.store.sqlite;

import java.util.List;

/**
 * The SQLite schema, as an ordered list of migrations. {@code PRAGMA user_version} holds how many
 * have been applied; a new schema change is a new entry at the end, never an edit of an old one.
 * The tables are a public interface, documented in the README.
 */
final class SqliteSchema {
  /** The {@code links} view over {@code urls} and {@code link_ids} (migration 9); PostgreSQL's says the same. */
  static final String LINKS_VIEW = """
      CREATE VIEW links AS
      SELECT f.url AS from_url, t.url AS to_url
      FROM link_ids l LEFT JOIN urls f ON f.id = l.from_id LEFT JOIN urls t ON t.id = l.to_id""";

  /** Migration {@code i} brings the file from version {@code i} to {@code i + 1}. */
  static final List<List<String>> STEPS = List.of(
      List.of(
          """
          CREATE TABLE crawls (
            id          INTEGER PRIMARY KEY,
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            outcome     TEXT,
            config      TEXT NOT NULL,
            stats       TEXT
          )""",
          """
          CREATE TABLE frontier (
            id         INTEGER PRIMARY KEY,
            url        TEXT NOT NULL UNIQUE,
            depth      INTEGER NOT NULL,
            state      TEXT NOT NULL DEFAULT 'queued',
            attempts   INTEGER NOT NULL DEFAULT 0,
            not_before INTEGER NOT NULL DEFAULT 0
          )""",
          "CREATE INDEX frontier_state ON frontier (state, id)",
          """
          CREATE TABLE pages (
            url          TEXT PRIMARY KEY,
            final_url    TEXT,
            status       INTEGER,
            content_type TEXT,
            depth        INTEGER NOT NULL,
            title        TEXT,
            fetched_at   TEXT NOT NULL,
            elapsed_ms   INTEGER NOT NULL,
            bytes        INTEGER NOT NULL,
            content_hash TEXT,
            attempts     INTEGER NOT NULL,
            error        TEXT,
            crawl_id     INTEGER
          )""",
          """
          CREATE TABLE links (
            from_url TEXT NOT NULL,
            to_url   TEXT NOT NULL
          )""",
          """
          CREATE TABLE items (
            id           INTEGER PRIMARY KEY,
            page_url     TEXT NOT NULL,
            rule         TEXT NOT NULL,
            data         TEXT NOT NULL,
            extracted_at TEXT NOT NULL
          )""",
          "CREATE INDEX items_rule ON items (rule)"),
      // 2: files saved by download.content_types, one row per URL; several URLs may share a file.
      List.of(
          """
          CREATE TABLE downloads (
            url          TEXT PRIMARY KEY,
            path         TEXT NOT NULL,
            bytes        INTEGER NOT NULL,
            sha256       TEXT NOT NULL,
            content_type TEXT,
            fetched_at   TEXT NOT NULL
          )""",
          "CREATE INDEX downloads_sha256 ON downloads (sha256)"),
      // 3: runs that stopped abnormally with the URL in flight, so --resume can give up on it.
      List.of("ALTER TABLE frontier ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0"),
      // 4: rules' key fields. One row per (rule, item_key): an item seen again updates its row
      // (SqliteSql.UPSERT_ITEM). NULL keys (rules without key) never conflict, so those items
      // are added as before. Existing rows get NULL.
      List.of(
          "ALTER TABLE items ADD COLUMN item_key TEXT",
          "CREATE UNIQUE INDEX items_rule_key ON items (rule, item_key)"),
      // 5: recrawling. Every fetch of a URL as a page_versions row (the pages before it, one each
      // as 'new' or its failure); items superseded by a changed or gone page move to item_history;
      // validators for conditional requests; each URL's schedule; which runs start a pass.
      List.of(
          "ALTER TABLE crawls ADD COLUMN kind TEXT",
          "UPDATE crawls SET kind = CASE WHEN id = (SELECT min(id) FROM crawls) THEN 'crawl' ELSE 'resume' END",
          "ALTER TABLE pages ADD COLUMN etag TEXT",
          "ALTER TABLE pages ADD COLUMN last_modified TEXT",
          "ALTER TABLE frontier ADD COLUMN interval_ms INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE frontier ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE items ADD COLUMN crawl_id INTEGER",
          "UPDATE items SET crawl_id = (SELECT p.crawl_id FROM pages p WHERE p.url = items.page_url)",
          "CREATE INDEX items_page ON items (page_url)",
          "CREATE INDEX links_from ON links (from_url)",
          """
          CREATE TABLE item_history (
            item_id      INTEGER NOT NULL,
            page_url     TEXT NOT NULL,
            rule         TEXT NOT NULL,
            item_key     TEXT,
            data         TEXT NOT NULL,
            extracted_at TEXT NOT NULL,
            crawl_id     INTEGER,
            removed_in   INTEGER NOT NULL
          )""",
          "CREATE INDEX item_history_removed ON item_history (removed_in)",
          """
          CREATE TABLE page_versions (
            id            INTEGER PRIMARY KEY,
            url           TEXT NOT NULL,
            crawl_id      INTEGER,
            fetched_at    TEXT NOT NULL,
            status        INTEGER,
            bytes         INTEGER NOT NULL,
            content_hash  TEXT,
            etag          TEXT,
            last_modified TEXT,
            error         TEXT,
            change        TEXT NOT NULL
          )""",
          "CREATE INDEX page_versions_url ON page_versions (url, crawl_id)",
          "CREATE INDEX page_versions_crawl ON page_versions (crawl_id)",
          """
          INSERT INTO page_versions (url, crawl_id, fetched_at, status, bytes, content_hash, error, change)
          SELECT url, crawl_id, fetched_at, status, bytes, content_hash, error,
                 CASE WHEN error IN ('http_404', 'http_410', 'dns') THEN 'gone'
                      WHEN error IS NOT NULL OR status = 304 THEN 'failed' ELSE 'new' END
          FROM pages ORDER BY fetched_at"""),
      // 6: the crawl's cookie jar (fetch.cookies), so --resume continues the same sessions.
      List.of(
          """
          CREATE TABLE cookies (
            domain      TEXT NOT NULL,
            path        TEXT NOT NULL,
            name        TEXT NOT NULL,
            value       TEXT NOT NULL,
            host_only   INTEGER NOT NULL,
            secure      INTEGER NOT NULL,
            http_only   INTEGER NOT NULL,
            expires_at  INTEGER,
            created_at  INTEGER NOT NULL,
            last_access INTEGER NOT NULL,
            PRIMARY KEY (domain, path, name)
          )"""),
      // 7: why a page was rendered in the browser (render.*); NULL: fetched plainly.
      List.of("ALTER TABLE pages ADD COLUMN rendered TEXT"),
      // 8: cluster mode: each URL's host partition, the node a row is in flight on and the node that stored a page,
      // the nodes of a cluster crawl and who owns which partition. Existing rows get their partition from
      // PartitionBackfill (SQLite has no hash function to compute it in SQL).
      List.of(
          "ALTER TABLE frontier ADD COLUMN partition INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE frontier ADD COLUMN node TEXT",
          "CREATE INDEX frontier_partition ON frontier (partition, id) WHERE state = 'queued'",
          "ALTER TABLE pages ADD COLUMN node TEXT",
          """
          CREATE TABLE crawl_nodes (
            node         TEXT PRIMARY KEY,
            crawl_id     INTEGER NOT NULL,
            address      TEXT NOT NULL,
            joined_at    TEXT NOT NULL,
            left_at      TEXT,
            outcome      TEXT,
            lease_until  INTEGER NOT NULL,
            reserved     INTEGER NOT NULL DEFAULT 0,
            pages_before INTEGER NOT NULL DEFAULT 0,
            stop         INTEGER NOT NULL DEFAULT 0
          )""",
          """
          CREATE TABLE crawl_partitions (
            partition INTEGER PRIMARY KEY,
            node      TEXT
          )"""),
      // 9: the link graph by URL id. Every URL of a link is stored once, in urls; a link is a row
      // of two ids and its place among its page's links (seq, from 0, in document order) in
      // link_ids, a WITHOUT ROWID table ordered by (from_id, seq), which also serves "a page's
      // links" without a second index. links stays, as a view with the same two columns: about
      // 0.7 KB a page of 50 links instead of 6.3 KB (BENCHMARKS.md). Existing rows keep their order.
      List.of(
          "CREATE TABLE urls (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE)",
          """
          CREATE TABLE link_ids (
            from_id INTEGER NOT NULL,
            seq     INTEGER NOT NULL,
            to_id   INTEGER NOT NULL,
            PRIMARY KEY (from_id, seq)
          ) WITHOUT ROWID""",
          """
          INSERT OR IGNORE INTO urls (url)
          SELECT url FROM (SELECT rowid AS n, 0 AS side, from_url AS url FROM links
                           UNION ALL SELECT rowid, 1, to_url FROM links)
          ORDER BY n, side""",
          """
          INSERT INTO link_ids (from_id, seq, to_id)
          SELECT f.id, row_number() OVER (PARTITION BY l.from_url ORDER BY l.rowid) - 1, t.id
          FROM links l JOIN urls f ON f.url = l.from_url JOIN urls t ON t.url = l.to_url""",
          "DROP TABLE links",
          LINKS_VIEW),
      // 10: a cluster crawl's scope (JSON), which its first node sets and every node that joins
      // takes, whatever seeds and scope keys it was started with. NULL on one machine.
      List.of("ALTER TABLE crawls ADD COLUMN scope TEXT"));

  /** The migration after which existing frontier rows get their partition computed in Java. */
  static final int PARTITION_STEP = 8;

  /** The schema version this build writes. */
  static final int CURRENT = STEPS.size();

  private SqliteSchema() {}
}
