package io.trawl.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.bus.DownloadedFile;
import io.trawl.bus.FetchRequest;
import io.trawl.bus.FetchedPage;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.core.HostPartitions;
import io.trawl.store.RunKind;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreException;
import io.trawl.store.StoreWriter;
import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import io.trawl.testing.LinkRows;
import io.trawl.testing.MigrationFixtures;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PostgreSQL schema is created and migrated as SQLite's is (SqliteMigrationsTest): a version-1
 * schema gains downloads keeping its rows; the version lives in {@code trawl_schema_version};
 * {@code crawl.db_schema} keeps two crawls of one database apart; a newer schema is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresMigrationsTest {
  private String db;

  @BeforeEach
  void freshDatabase() {
    db = EmbeddedPg.freshDatabase();
  }

  @Test
  void upgradesAVersion1SchemaKeepingItsRowsAndAddsDownloadsCrashesAndCookies() throws Exception {
    schemaAtVersion(1, List.of(MigrationFixtures.V1_PAGE));

    try (StoreWriter writer = StoreBackends.of(db, "public").openWriter(false)) {
      FetchedPage response = FetchedPage.plain(new FetchRequest(1, "http://127.0.0.1/a.pdf", 0, 0),
          "http://127.0.0.1/a.pdf", 200, "application/pdf", new byte[0], 1_000, 3, 1);
      PageRecord pdf = PageRecord.downloaded(response, new DownloadedFile("downloads/ab12.pdf", 42, "ab12"));
      MigrationFixtures.storeSeeded(writer, pdf);
    }

    assertThat(Db.count(db, "SELECT version FROM trawl_schema_version")).isEqualTo(PostgresSchema.CURRENT).isEqualTo(10);
    assertThat(Db.count(db, "SELECT count(*) FROM cookies")).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE crashes <> 0")).isZero();
    assertThat(Db.rows(db, "SELECT url, bytes FROM pages ORDER BY url")).extracting(r -> r.get("url") + " " + r.get("bytes"))
        .containsExactly("http://127.0.0.1/a.pdf 42", "http://127.0.0.1/old 10");
    assertThat(Db.rows(db, "SELECT url, path, sha256, content_type FROM downloads")).extracting(r -> r.values().toString())
        .containsExactly("[http://127.0.0.1/a.pdf, downloads/ab12.pdf, ab12, application/pdf]");
    assertThat(Db.count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'data' AND data_type = 'jsonb'"))
        .isEqualTo(1);
  }

  @Test
  void upgradesAVersion4SchemaWithARenderedColumnAndAScreenshotOfItsOwnType() throws Exception {
    schemaAtVersion(4, List.of(MigrationFixtures.V1_PAGE));

    try (StoreWriter writer = StoreBackends.of(db, "public").openWriter(false)) {
      FetchedPage rendered = FetchedPage.rendered(new FetchRequest(1, "http://127.0.0.1/app", 0, 0),
          "http://127.0.0.1/app", 200, "text/html; charset=utf-8", new byte[10], 1_000, 3, 1, "learned",
          new DownloadedFile("downloads/cd34.png", 7, "cd34", "image/png"));
      PageRecord page = PageRecord.parsed(rendered, "App", "ef56", List.of(), List.of(), new io.vertx.core.json.JsonArray());
      MigrationFixtures.storeSeeded(writer, page);
    }

    assertThat(Db.count(db, "SELECT version FROM trawl_schema_version")).isEqualTo(PostgresSchema.CURRENT);
    assertThat(Db.rows(db, "SELECT url, coalesce(rendered, 'NULL') AS rendered FROM pages ORDER BY url"))
        .extracting(r -> r.get("url") + " " + r.get("rendered"))
        .containsExactly("http://127.0.0.1/app learned", "http://127.0.0.1/old NULL");
    assertThat(Db.rows(db, "SELECT url, content_type FROM downloads")).extracting(r -> r.values().toString())
        .containsExactly("[http://127.0.0.1/app, image/png]");
  }

  @Test
  void keepsTwoCrawlsOfOneDatabaseApartInTheirSchemas() {
    StoreBackend shop = StoreBackends.of(db, "shop");
    StoreBackend news = StoreBackends.of(db, "news");
    try (StoreWriter writer = shop.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of("http://127.0.0.1/shop"))), List.of(), List.of(), List.of(), 0);
      writer.openCrawl("{}", RunKind.CRAWL, 0);
    }
    news.openWriter(false).close();

    assertThat(Db.count(db, "SELECT count(*) FROM shop.frontier")).isEqualTo(1);
    assertThat(Db.count(db, "SELECT count(*) FROM news.frontier")).isZero();
    assertThat(shop.history().hasCrawl()).isTrue();
    assertThat(news.history().hasCrawl()).isFalse();
    assertThat(Db.hasTable(db, "frontier")).as("nothing in public").isFalse();

    shop.wipe();

    assertThat(Db.count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'shop'")).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM pg_views WHERE schemaname = 'shop'")).as("the links view").isZero();
    // every name of TABLES but links, a view since migration 9
    assertThat(Db.count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'news'")).isEqualTo(PostgresSchema.TABLES.size() - 1).isEqualTo(13);
    assertThat(Db.count(db, "SELECT count(*) FROM pg_views WHERE schemaname = 'news' AND viewname = 'links'")).isEqualTo(1);
  }

  @Test
  void upgradesAVersion7SchemaGivingEveryFrontierRowItsHostPartition() throws Exception {
    schemaAtVersion(7, List.of("INSERT INTO frontier (url, depth) SELECT 'http://127.0.0.1:' || (1000 + i % 500) || '/p' || i, 1 "
        + "FROM generate_series(0, 24999) AS i")); // more than one chunk of the backfill

    StoreBackends.of(db, "public").openWriter(false).close();

    assertThat(Db.count(db, "SELECT version FROM trawl_schema_version")).isEqualTo(PostgresSchema.CURRENT).isEqualTo(10);
    List<Map<String, Object>> rows = Db.rows(db, "SELECT url, partition FROM frontier");
    assertThat(rows).hasSize(25_000).allSatisfy(row -> assertThat(((Number) row.get("partition")).intValue())
        .as((String) row.get("url")).isEqualTo(HostPartitions.ofUrl((String) row.get("url"))));
    assertThat(Db.count(db, "SELECT count(*) FROM pg_tables WHERE tablename IN ('crawl_nodes', 'crawl_partitions')"))
        .isEqualTo(2);
    assertThat(Db.count(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'frontier_partition'")).isEqualTo(1);
  }

  @Test
  void upgradesAVersion4SchemaGivingEachPageAVersionAndEachRunAKind() throws Exception {
    schemaAtVersion(4, MigrationFixtures.V4_ROWS);

    StoreBackends.of(db, "public").openWriter(false).close();

    assertThat(Db.count(db, "SELECT version FROM trawl_schema_version")).isEqualTo(PostgresSchema.CURRENT).isEqualTo(10);
    assertThat(Db.rows(db, "SELECT id::int AS id, kind FROM crawls ORDER BY id"))
        .containsExactly(Map.of("id", 1, "kind", "crawl"), Map.of("id", 2, "kind", "resume"));
    assertThat(Db.rows(db, "SELECT url, crawl_id::int AS crawl_id, coalesce(content_hash, '-') AS content_hash, change "
        + "FROM page_versions ORDER BY url")).containsExactly(
        Map.of("url", "http://127.0.0.1/a", "crawl_id", 1, "content_hash", "h1", "change", "new"),
        Map.of("url", "http://127.0.0.1/gone", "crawl_id", 2, "content_hash", "-", "change", "gone"));
    assertThat(Db.rows(db, "SELECT item_key, crawl_id::int AS crawl_id FROM items"))
        .containsExactly(Map.of("item_key", "[\"A\"]", "crawl_id", 1));
    assertThat(Db.rows(db, "SELECT interval_ms::int AS interval_ms, due_at::int AS due_at FROM frontier"))
        .containsExactly(Map.of("interval_ms", 0, "due_at", 0));
  }

  @Test
  void upgradesAVersion7SchemaMovingItsLinksToUrlIdsBehindAViewOfTheSameRows() throws Exception {
    schemaAtVersion(7, LinkRows.V7_LINKS);

    try (StoreWriter writer = StoreBackends.of(db, "public").openWriter(false)) {
      MigrationFixtures.storeSeeded(writer, LinkRows.LINKING_C);
    }

    assertThat(Db.count(db, "SELECT version FROM trawl_schema_version")).isEqualTo(10);
    assertThat(Db.count(db, "SELECT count(*) FROM pg_views WHERE schemaname = 'public' AND viewname = 'links'")).isEqualTo(1);
    assertThat(Db.rows(db, "SELECT from_url, to_url FROM links")).extracting(r -> r.get("from_url") + " " + r.get("to_url"))
        .containsExactlyInAnyOrderElementsOf(LinkRows.MIGRATED_LINKS);
    assertThat(Db.rows(db, "SELECT f.url || ' ' || l.seq || ' ' || t.url AS link FROM link_ids l JOIN urls f ON f.id = l.from_id "
        + "JOIN urls t ON t.id = l.to_id ORDER BY l.from_id, l.seq")).extracting(r -> r.get("link"))
        .containsExactly(LinkRows.LINKS_IN_ORDER.toArray());
    assertThat(Db.count(db, "SELECT count(*) FROM urls")).as("each URL once").isEqualTo(5);
    assertThat(Db.count(db, "SELECT count(*) FROM links WHERE from_url = 'http://127.0.0.1/a'")).isEqualTo(4);
  }

  @Test
  void refusesASchemaOfANewerVersionAndLeavesItAlone() throws Exception {
    try (Connection conn = Db.open(db, false); Statement stmt = conn.createStatement()) {
      stmt.execute("CREATE TABLE trawl_schema_version (version integer NOT NULL)");
      stmt.execute("INSERT INTO trawl_schema_version VALUES (99)");
    }

    assertThatThrownBy(() -> StoreBackends.of(db, "public").openWriter(false)).isInstanceOf(StoreException.class)
        .hasMessageContaining("99");
    assertThat(Db.hasTable(db, "pages")).isFalse();
  }

  /** The public schema at {@code version} (its first steps) holding {@code rows}, as an older trawl left it. */
  private void schemaAtVersion(int version, List<String> rows) throws SQLException {
    try (Connection conn = Db.open(db, false); Statement stmt = conn.createStatement()) {
      for (List<String> step : PostgresSchema.STEPS.subList(0, version)) {
        for (String sql : step) {
          stmt.execute(sql);
        }
      }
      stmt.execute("CREATE TABLE trawl_schema_version (version integer NOT NULL)");
      stmt.execute("INSERT INTO trawl_schema_version VALUES (" + version + ")");
      for (String sql : rows) {
        stmt.executeUpdate(sql);
      }
    }
  }
}
