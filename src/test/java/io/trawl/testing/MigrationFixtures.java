package io.trawl.testing;

import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.store.StoreWriter;
import java.util.List;

/**
 * What both backends' migration tests put in a schema an older trawl left, and how they write
 * through the migrated one; the SQL is the same on SQLite and PostgreSQL ({@link LinkRows} holds
 * the version-7 links). Test thread.
 */
public final class MigrationFixtures {
  /** A version-4 crawl of two runs: a page with an item, a page that answered 404, their frontier row. */
  public static final List<String> V4_ROWS = List.of(
      "INSERT INTO crawls (id, started_at, config) VALUES (1, '2026-01-01T00:00:00Z', '{}')",
      "INSERT INTO crawls (id, started_at, config) VALUES (2, '2026-01-01T01:00:00Z', '{}')",
      "INSERT INTO frontier (url, depth) VALUES ('http://127.0.0.1/a', 0)",
      "INSERT INTO pages (url, status, depth, fetched_at, elapsed_ms, bytes, content_hash, attempts, crawl_id) "
          + "VALUES ('http://127.0.0.1/a', 200, 0, '2026-01-01T00:00:01Z', 5, 10, 'h1', 1, 1)",
      "INSERT INTO pages (url, status, depth, fetched_at, elapsed_ms, bytes, attempts, error, crawl_id) "
          + "VALUES ('http://127.0.0.1/gone', 404, 1, '2026-01-01T01:00:01Z', 5, 0, 1, 'http_404', 2)",
      "INSERT INTO items (page_url, rule, data, extracted_at, item_key) "
          + "VALUES ('http://127.0.0.1/a', 'r', '{\"a\":1}', '2026-01-01T00:00:01Z', '[\"A\"]')");

  /** A page row in the columns every schema since version 1 has. */
  public static final String V1_PAGE = "INSERT INTO pages (url, depth, fetched_at, elapsed_ms, bytes, attempts) "
      + "VALUES ('http://127.0.0.1/old', 0, '2026-01-01T00:00:00Z', 5, 10, 1)";

  private MigrationFixtures() {}

  /** Seeds {@code page}'s URL and stores the page in one batch, as the store does a seed's first fetch. */
  public static void storeSeeded(StoreWriter writer, PageRecord page) {
    writer.write(List.of(FrontierUpdate.ofSeeds(List.of(page.url()))), List.of(page), PageVersions.of(List.of(page)),
        List.of(List.of()), 0);
  }
}
