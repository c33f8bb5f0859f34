package io.trawl.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.bus.DownloadedFile;
import io.trawl.bus.FetchRequest;
import io.trawl.bus.FetchedPage;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.core.HostPartitions;
import io.trawl.store.StoreException;
import io.trawl.store.StoreWriter;
import io.trawl.testing.Db;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written by an older trawl is brought to the current schema, keeping its rows (PostgresMigrationsTest does the same on PostgreSQL). */
class SqliteMigrationsTest {
  @TempDir Path dir;

  @Test
  void upgradesAVersion1FileKeepingItsRowsAndAddsDownloadsAndCrashes() throws Exception {
    Path file = dir.resolve("v1.db");
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file); Statement stmt = conn.createStatement()) {
      for (String sql : SqliteSchema.STEPS.get(0)) {
        stmt.executeUpdate(sql);
      }
      stmt.executeUpdate("PRAGMA user_version = 1");
      stmt.executeUpdate("INSERT INTO frontier (url, depth) VALUES ('http://127.0.0.1/old', 0)");
      stmt.executeUpdate("INSERT INTO pages (url, depth, fetched_at, elapsed_ms, bytes, attempts) "
          + "VALUES ('http://127.0.0.1/old', 0, '2026-01-01T00:00:00Z', 5, 10, 1)");
    }

    try (StoreWriter writer = new SqliteBackend(file).openWriter(false)) {
      FetchedPage response = new FetchedPage(new FetchRequest(2, "http://127.0.0.1/a.pdf", 0, 0),
          "http://127.0.0.1/a.pdf", 200, "application/pdf", new byte[0], 1_000, 3, 1);
      PageRecord pdf = PageRecord.downloaded(response, new DownloadedFile("downloads/ab12.pdf", 42, "ab12"));
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of("http://127.0.0.1/a.pdf"))), List.of(pdf), List.of(List.of()), 0);
    }

    assertThat(Db.count(file, "PRAGMA user_version")).isEqualTo(SqliteSchema.CURRENT).isEqualTo(5);
    assertThat(Db.count(file, "SELECT crashes FROM frontier WHERE url = 'http://127.0.0.1/old'")).isZero();
    assertThat(Db.rows(file, "SELECT url, bytes FROM pages ORDER BY url")).containsExactly(
        Map.of("url", "http://127.0.0.1/a.pdf", "bytes", 42),
        Map.of("url", "http://127.0.0.1/old", "bytes", 10));
    assertThat(Db.rows(file, "SELECT url, path, bytes, sha256, content_type FROM downloads")).containsExactly(Map.of(
        "url", "http://127.0.0.1/a.pdf", "path", "downloads/ab12.pdf", "bytes", 42, "sha256", "ab12",
        "content_type", "application/pdf"));
  }

  @Test
  void upgradesAVersion4FileGivingEveryFrontierRowItsHostPartition() throws Exception {
    Path file = dir.resolve("v4.db");
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file); Statement stmt = conn.createStatement()) {
      for (int v = 0; v < 4; v++) {
        for (String sql : SqliteSchema.STEPS.get(v)) {
          stmt.executeUpdate(sql);
        }
      }
      stmt.executeUpdate("PRAGMA user_version = 4");
      for (int i = 0; i < 25_000; i++) { // more than one chunk of the backfill
        stmt.executeUpdate("INSERT INTO frontier (url, depth) VALUES ('http://127.0.0.1:" + (1000 + i % 500) + "/p" + i + "', 1)");
      }
    }

    new SqliteBackend(file).openWriter(false).close();

    assertThat(Db.count(file, "PRAGMA user_version")).isEqualTo(5);
    List<Map<String, Object>> rows = Db.rows(file, "SELECT url, partition FROM frontier");
    assertThat(rows).hasSize(25_000).allSatisfy(row -> assertThat(((Number) row.get("partition")).intValue())
        .as((String) row.get("url")).isEqualTo(HostPartitions.ofUrl((String) row.get("url"))));
    assertThat(rows.stream().map(row -> row.get("partition")).distinct().count()).isGreaterThan(200);
    assertThat(Db.count(file, "SELECT count(*) FROM sqlite_master WHERE name IN "
        + "('crawl_nodes', 'crawl_partitions', 'frontier_partition')")).isEqualTo(3);
  }

  @Test
  void opensACurrentFileWithoutMigratingAgain() {
    Path file = dir.resolve("current.db");
    new SqliteBackend(file).openWriter(false).close();

    new SqliteBackend(file).openWriter(false).close();

    assertThat(Db.count(file, "PRAGMA user_version")).isEqualTo(SqliteSchema.CURRENT);
    assertThat(Db.count(file, "SELECT count(*) FROM sqlite_master WHERE name = 'downloads'")).isEqualTo(1);
  }

  @Test
  void refusesAFileOfANewerSchemaAndLeavesItAlone() throws Exception {
    Path file = dir.resolve("newer.db");
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file); Statement stmt = conn.createStatement()) {
      stmt.executeUpdate("PRAGMA user_version = 99");
    }

    assertThatThrownBy(() -> new SqliteBackend(file).openWriter(false)).isInstanceOf(StoreException.class)
        .hasMessageContaining("99");
    assertThat(Db.count(file, "SELECT count(*) FROM sqlite_master")).isZero();
  }

  @Test
  void upgradesAVersion3FileKeepingItsItemsWithoutAKey() throws Exception {
    Path file = dir.resolve("v3.db");
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file); Statement stmt = conn.createStatement()) {
      for (List<String> step : SqliteSchema.STEPS.subList(0, 3)) {
        for (String sql : step) {
          stmt.executeUpdate(sql);
        }
      }
      stmt.executeUpdate("PRAGMA user_version = 3");
      for (int i = 0; i < 2; i++) {
        stmt.executeUpdate("INSERT INTO items (page_url, rule, data, extracted_at) "
            + "VALUES ('http://127.0.0.1/old', 'r', '{\"a\":1}', '2026-01-01T00:00:00Z')");
      }
    }

    new SqliteBackend(file).openWriter(false).close();

    assertThat(Db.count(file, "PRAGMA user_version")).isEqualTo(SqliteSchema.CURRENT);
    assertThat(Db.count(file, "SELECT count(*) FROM items WHERE rule = 'r' AND item_key IS NULL")).isEqualTo(2);
  }
}
