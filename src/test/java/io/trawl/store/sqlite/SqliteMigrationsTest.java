package io.trawl.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.bus.DownloadedFile;
import io.trawl.bus.FetchRequest;
import io.trawl.bus.FetchedPage;
import io.trawl.bus.PageRecord;
import io.trawl.core.HostPartitions;
import io.trawl.store.StoreException;
import io.trawl.store.StoreWriter;
import io.trawl.testing.Db;
import io.trawl.testing.LinkRows;
import io.trawl.testing.MigrationFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written by an older trawl is brought to the current schema, keeping its rows (PostgresMigrationsTest does the same on PostgreSQL). */
class SqliteMigrationsTest {
  @TempDir Path dir;

  @Test
  void upgradesAVersion1FileKeepingItsRowsAndAddsDownloadsCrashesAndCookies() throws Exception {
    Path file = fileAtVersion(1, List.of("INSERT INTO frontier (url, depth) VALUES ('http://127.0.0.1/old', 0)",
        MigrationFixtures.V1_PAGE));

    try (StoreWriter writer = new SqliteBackend(file).openWriter(false)) {
      FetchedPage response = FetchedPage.plain(new FetchRequest(2, "http://127.0.0.1/a.pdf", 0, 0),
          "http://127.0.0.1/a.pdf", 200, "application/pdf", new byte[0], 1_000, 3, 1);
      PageRecord pdf = PageRecord.downloaded(response, new DownloadedFile("downloads/ab12.pdf", 42, "ab12"));
      MigrationFixtures.storeSeeded(writer, pdf);
    }

    assertThat(Db.count(file, "PRAGMA user_version")).isEqualTo(SqliteSchema.CURRENT).isEqualTo(10);
    assertThat(Db.count(file, "SELECT count(*) FROM cookies")).isZero();
    assertThat(Db.count(file, "SELECT crashes FROM frontier WHERE url = 'http://127.0.0.1/old'")).isZero();
    assertThat(Db.rows(file, "SELECT url, bytes FROM pages ORDER BY url")).containsExactly(
        Map.of("url", "http://127.0.0.1/a.pdf", "bytes", 42),
        Map.of("url", "http://127.0.0.1/old", "bytes", 10));
    assertThat(Db.rows(file, "SELECT url, path, bytes, sha256, content_type FROM downloads")).containsExactly(Map.of(
        "url", "http://127.0.0.1/a.pdf", "path", "downloads/ab12.pdf", "bytes", 42, "sha256", "ab12",
        "content_type", "application/pdf"));
  }

  @Test
  void upgradesAVersion7FileGivingEveryFrontierRowItsHostPartition() throws Exception {
    Path file = fileAtVersion(7, IntStream.range(0, 25_000) // more than one chunk of the backfill
        .mapToObj(i -> "INSERT INTO frontier (url, depth) VALUES ('http://127.0.0.1:" + (1000 + i % 500) + "/p" + i + "', 1)")
        .toList());

    new SqliteBackend(file).openWriter(false).close();

    assertThat(Db.count(file, "PRAGMA user_version")).isEqualTo(SqliteSchema.CURRENT).isEqualTo(10);
    List<Map<String, Object>> rows = Db.rows(file, "SELECT url, partition FROM frontier");
    assertThat(rows).hasSize(25_000).allSatisfy(row -> assertThat(((Number) row.get("partition")).intValue())
        .as((String) row.get("url")).isEqualTo(HostPartitions.ofUrl((String) row.get("url"))));
    assertThat(rows.stream().map(row -> row.get("partition")).distinct().count()).isGreaterThan(200);
    assertThat(Db.count(file, "SELECT count(*) FROM sqlite_master WHERE name IN "
        + "('crawl_nodes', 'crawl_partitions', 'frontier_partition')")).isEqualTo(3);
  }

  @Test
  void upgradesAVersion4FileWithARenderedColumnNullForItsPages() throws Exception {
    Path file = fileAtVersion(4, List.of(MigrationFixtures.V1_PAGE));

    try (StoreWriter writer = new SqliteBackend(file).openWriter(false)) {
      FetchedPage rendered = FetchedPage.rendered(new FetchRequest(2, "http://127.0.0.1/app", 0, 0),
          "http://127.0.0.1/app", 200, "text/html; charset=utf-8", new byte[10], 1_000, 3, 1, "auto",
          new DownloadedFile("downloads/cd34.png", 7, "cd34", "image/png"));
      PageRecord page = PageRecord.parsed(rendered, "App", "ef56", List.of(), List.of(), new io.vertx.core.json.JsonArray());
      MigrationFixtures.storeSeeded(writer, page);
    }

    assertThat(Db.count(file, "PRAGMA user_version")).isEqualTo(SqliteSchema.CURRENT);
    assertThat(Db.rows(file, "SELECT url, coalesce(rendered, 'NULL') AS rendered FROM pages ORDER BY url")).containsExactly(
        Map.of("url", "http://127.0.0.1/app", "rendered", "auto"),
        Map.of("url", "http://127.0.0.1/old", "rendered", "NULL"));
    assertThat(Db.rows(file, "SELECT url, content_type FROM downloads")).containsExactly(Map.of(
        "url", "http://127.0.0.1/app", "content_type", "image/png"));
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
    String itemWithoutKey = "INSERT INTO items (page_url, rule, data, extracted_at) "
        + "VALUES ('http://127.0.0.1/old', 'r', '{\"a\":1}', '2026-01-01T00:00:00Z')";
    Path file = fileAtVersion(3, List.of(itemWithoutKey, itemWithoutKey));

    new SqliteBackend(file).openWriter(false).close();

    assertThat(Db.count(file, "PRAGMA user_version")).isEqualTo(SqliteSchema.CURRENT);
    assertThat(Db.count(file, "SELECT count(*) FROM items WHERE rule = 'r' AND item_key IS NULL")).isEqualTo(2);
  }

  @Test
  void upgradesAVersion4FileGivingEachPageAVersionAndEachRunAKind() throws Exception {
    Path file = fileAtVersion(4, MigrationFixtures.V4_ROWS);

    new SqliteBackend(file).openWriter(false).close();

    assertThat(Db.count(file, "PRAGMA user_version")).isEqualTo(SqliteSchema.CURRENT).isEqualTo(10);
    assertThat(Db.rows(file, "SELECT id, kind FROM crawls ORDER BY id"))
        .containsExactly(Map.of("id", 1, "kind", "crawl"), Map.of("id", 2, "kind", "resume"));
    assertThat(Db.rows(file, "SELECT url, crawl_id, coalesce(content_hash, '-') AS content_hash, change FROM page_versions ORDER BY url")).containsExactly(
        Map.of("url", "http://127.0.0.1/a", "crawl_id", 1, "content_hash", "h1", "change", "new"),
        Map.of("url", "http://127.0.0.1/gone", "crawl_id", 2, "content_hash", "-", "change", "gone"));
    assertThat(Db.rows(file, "SELECT item_key, crawl_id FROM items"))
        .containsExactly(Map.of("item_key", "[\"A\"]", "crawl_id", 1));
    assertThat(Db.rows(file, "SELECT interval_ms, due_at FROM frontier")).containsExactly(Map.of("interval_ms", 0, "due_at", 0));
  }

  @Test
  void upgradesAVersion7FileMovingItsLinksToUrlIdsBehindAViewOfTheSameRows() throws Exception {
    Path file = fileAtVersion(7, LinkRows.V7_LINKS);

    try (StoreWriter writer = new SqliteBackend(file).openWriter(false)) {
      MigrationFixtures.storeSeeded(writer, LinkRows.LINKING_C);
    }

    assertThat(Db.count(file, "PRAGMA user_version")).isEqualTo(10);
    assertThat(Db.count(file, "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name = 'links'")).isEqualTo(1);
    assertThat(Db.rows(file, "SELECT from_url, to_url FROM links")).extracting(r -> r.get("from_url") + " " + r.get("to_url"))
        .containsExactlyInAnyOrderElementsOf(LinkRows.MIGRATED_LINKS);
    assertThat(Db.rows(file, "SELECT f.url || ' ' || l.seq || ' ' || t.url AS link FROM link_ids l JOIN urls f ON f.id = l.from_id "
        + "JOIN urls t ON t.id = l.to_id ORDER BY l.from_id, l.seq")).extracting(r -> r.get("link"))
        .containsExactly(LinkRows.LINKS_IN_ORDER.toArray());
    assertThat(Db.count(file, "SELECT count(*) FROM urls")).as("each URL once").isEqualTo(5);
    assertThat(Db.count(file, "SELECT count(*) FROM links WHERE from_url = 'http://127.0.0.1/a'")).isEqualTo(4);
  }

  /** A file of schema {@code version} (its first steps) holding {@code rows}, as an older trawl left it. */
  private Path fileAtVersion(int version, List<String> rows) throws SQLException {
    Path file = dir.resolve("v" + version + ".db");
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file); Statement stmt = conn.createStatement()) {
      conn.setAutoCommit(false); // one commit: thousands of rows each synced alone take minutes on a busy disk
      for (List<String> step : SqliteSchema.STEPS.subList(0, version)) {
        for (String sql : step) {
          stmt.executeUpdate(sql);
        }
      }
      stmt.executeUpdate("PRAGMA user_version = " + version);
      for (String sql : rows) {
        stmt.executeUpdate(sql);
      }
      conn.commit();
    }
    return file;
  }
}
