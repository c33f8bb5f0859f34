package io.trawl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.bus.CookieChanges;
import io.trawl.bus.CookieRecord;
import io.trawl.bus.DownloadedFile;
import io.trawl.bus.FetchRequest;
import io.trawl.bus.FetchedPage;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.QueuedBatch;
import io.trawl.core.HostPartitions;
import io.trawl.testing.Db;
import io.trawl.testing.PageVersions;
import io.trawl.testing.TestBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store seam on both backends, through its public interface only: a batch's rows land
 * together or, when it fails mid-way, not at all, discovered URLs are counted once, queued rows page in by id, crawls are recorded,
 * in-flight rows are requeued on resume, the history says what is there, and wipe removes it.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreWriterTest {
  private static final String A = "http://127.0.0.1:1/a";
  private static final String B = "http://127.0.0.1:1/b";
  private static final String C = "http://127.0.0.1:1/c";

  @Parameter TestBackend backend;
  @TempDir Path dir;
  private String db;
  private StoreBackend store;

  @BeforeEach
  void freshDatabase() {
    db = backend.freshDatabase(dir);
    store = StoreBackends.of(db, "public");
  }

  @Test
  void writesAPageWithItsLinksItemsDownloadAndDiscoveredUrlsInOneBatch() {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(A))), List.of(), List.of(), List.of(), 0);
      long crawl = writer.openCrawl("{\"crawl\":{}}", RunKind.CRAWL, 0);
      long idA = queuedIds(writer).get(0);
      writer.write(List.of(new FrontierUpdate(List.of(), List.of(idA), List.of())), List.of(), List.of(), List.of(), crawl);

      JsonArray items = new JsonArray().add(new JsonObject().put("rule", "r").put("data", new JsonObject().put("title", "A").put("n", 1)));
      PageRecord page = new PageRecord(idA, A, A + "?final", 200, "text/html", 0, "Title A", 1_700_000_000_000L, 12, 345,
          "ab".repeat(32), 1, null, List.of(B, C, B), List.of(B, C), items, new DownloadedFile("d/x.bin", 345, "cd"), null,
          null, null);
      List<Integer> added = writer.write(List.of(), List.of(page), PageVersions.of(List.of(page)), List.of(List.of(B, C)), crawl);

      assertThat(added).containsExactly(2);
    }
    assertThat(Db.rows(db, "SELECT url, final_url, status, title, bytes, error, crawl_id FROM pages")).hasSize(1).first()
        .satisfies(row -> {
          assertThat(row.get("url")).isEqualTo(A);
          assertThat(row.get("final_url")).isEqualTo(A + "?final");
          assertThat(((Number) row.get("status")).intValue()).isEqualTo(200);
          assertThat(((Number) row.get("bytes")).longValue()).isEqualTo(345);
          assertThat(row.get("error")).isNull();
          assertThat(((Number) row.get("crawl_id")).longValue()).isEqualTo(1);
        });
    assertThat(Db.rows(db, "SELECT from_url, to_url FROM links")).extracting(r -> r.get("from_url") + " " + r.get("to_url"))
        .containsExactlyInAnyOrder(A + " " + B, A + " " + C, A + " " + B);
    assertThat(Db.rows(db, "SELECT t.url AS to_url FROM link_ids l JOIN urls t ON t.id = l.to_id ORDER BY l.from_id, l.seq"))
        .as("in document order").extracting(r -> r.get("to_url")).containsExactly(B, C, B);
    assertThat(Db.count(db, "SELECT count(*) FROM urls")).as("each URL once").isEqualTo(3);
    assertThat(Db.rows(db, "SELECT page_url, rule, data FROM items")).singleElement()
        .satisfies(row -> assertThat(new JsonObject(String.valueOf(row.get("data")))).isEqualTo(new JsonObject().put("title", "A").put("n", 1)));
    assertThat(Db.rows(db, "SELECT url, path, sha256 FROM downloads")).containsExactly(Map.of("url", A, "path", "d/x.bin", "sha256", "cd"));
    assertThat(Db.rows(db, "SELECT url, state, depth FROM frontier ORDER BY id")).extracting(r -> r.get("url") + " " + r.get("state") + " " + r.get("depth"))
        .containsExactly(A + " done 0", B + " queued 1", C + " queued 1");
  }

  @Test
  void countsADiscoveredUrlAsNewOnlyOnce() {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(A, B))), List.of(), List.of(), List.of(), 0);
      List<Long> ids = queuedIds(writer);

      List<PageRecord> pages = List.of(page(ids.get(0), A, null), page(ids.get(1), B, "http_404"));
      List<Integer> added = writer.write(List.of(), pages, PageVersions.of(pages), List.of(List.of(B, C), List.of(C)), 0);

      assertThat(added).containsExactly(1, 0);
      assertThat(writer.addDiscovered(List.of(A, "http://127.0.0.1:1/d"), 3)).isEqualTo(1);
    }
    assertThat(Db.rows(db, "SELECT url, state FROM frontier ORDER BY id")).extracting(r -> r.get("url") + " " + r.get("state"))
        .containsExactly(A + " done", B + " failed", C + " queued", "http://127.0.0.1:1/d queued");
  }

  @Test
  void givesEveryFrontierRowItsHostsPartitionWhicheverWayItCameIn() {
    String other = "http://127.0.0.1:2/x";
    String sitemap = "http://127.0.0.1:3/from-a-sitemap";
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(A))), List.of(), List.of(), List.of(), 0);
      writer.write(List.of(), List.of(page(queuedIds(writer).get(0), A, null)), PageVersions.of(List.of(page(queuedIds(writer).get(0), A, null))), List.of(List.of(B, other)), 0);
      writer.addDiscovered(List.of(sitemap), 1);
    }

    assertThat(Db.rows(db, "SELECT url, partition FROM frontier")).hasSize(4).allSatisfy(row ->
        assertThat(((Number) row.get("partition")).intValue()).as((String) row.get("url"))
            .isEqualTo(HostPartitions.ofUrl((String) row.get("url"))));
    assertThat(HostPartitions.ofUrl(A)).isEqualTo(HostPartitions.ofUrl(B));
    assertThat(java.util.Set.of(HostPartitions.ofUrl(A), HostPartitions.ofUrl(other), HostPartitions.ofUrl(sitemap)))
        .as("the test's hosts fall in distinct partitions, so a constant would fail it").hasSize(3);
  }

  @Test
  void pagesInQueuedRowsByIdWithTheTotalsAndPutsRowsBack() {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(A, B, C))), List.of(), List.of(), List.of(), 0);
      QueuedBatch first = writer.queued(0, 2);
      assertThat(first.rows()).extracting(FrontierRow::url).containsExactly(A, B);
      assertThat(first.queuedTotal()).isEqualTo(3);
      assertThat(first.finishedTotal()).isZero();
      QueuedBatch rest = writer.queued(first.rows().get(1).id(), 10);
      assertThat(rest.rows()).extracting(FrontierRow::url).containsExactly(C);
      assertThat(rest.finishedTotal()).isEqualTo(-1);

      long idA = first.rows().get(0).id();
      writer.write(List.of(new FrontierUpdate(List.of(), List.of(idA), List.of())), List.of(), List.of(), List.of(), 0);
      assertThat(writer.queued(0, 10).rows()).extracting(FrontierRow::url).containsExactly(B, C);
      writer.write(List.of(new FrontierUpdate(List.of(), List.of(), List.of(new FrontierRow(idA, A, 0, 2, 99)))),
          List.of(), List.of(), List.of(), 0);
      assertThat(writer.queued(0, 10).rows()).first().isEqualTo(new FrontierRow(idA, A, 0, 2, 99));
    }
  }

  @Test
  void requeuesRowsLeftInFlightWhenOpenedForResume() {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(A))), List.of(), List.of(), List.of(), 0);
      writer.write(List.of(new FrontierUpdate(List.of(), queuedIds(writer), List.of())), List.of(), List.of(), List.of(), 0);
    }
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'in_flight'")).isEqualTo(1);
    store.openWriter(false).close();
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'in_flight'")).isEqualTo(1);

    store.openWriter(true).close();

    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'queued'")).isEqualTo(1);
  }

  @Test
  void recordsCrawlsAndTellsTheHistoryThenWipesIt() {
    assertThat(store.history()).isEqualTo(CrawlHistory.NONE);
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(A, B))), List.of(), List.of(), List.of(), 0);
      long first = writer.openCrawl("{\"n\":1}", RunKind.CRAWL, 0);
      writer.closeCrawl(first, "interrupted", "{\"stored\":0}");
      long second = writer.openCrawl("{\"n\":2}", RunKind.RESUME, 0);
      assertThat(second).isGreaterThan(first);
    }

    CrawlHistory history = store.history();

    assertThat(history.hasCrawl()).isTrue();
    assertThat(history.pending()).isEqualTo(2);
    assertThat(new JsonObject(history.lastConfigJson())).isEqualTo(new JsonObject().put("n", 2));
    assertThat(Db.rows(db, "SELECT outcome, stats FROM crawls ORDER BY id")).extracting(r -> r.get("outcome"))
        .containsExactly("interrupted", null);

    store.wipe();

    assertThat(store.history()).isEqualTo(CrawlHistory.NONE);
    assertThatThrownBy(() -> store.openReader().close()).isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.NO_DATABASE);
  }

  @Test
  void keepsTheCookieJarsChangesForTheNextRun() {
    CookieRecord session = new CookieRecord("127.0.0.1", "/", "sid", "abc", true, false, true, 0, 10, 20);
    CookieRecord lasting = new CookieRecord("example.com", "/shop", "pref", "x", false, true, false, 1_900_000_000_000L, 11, 21);
    CookieRecord gone = new CookieRecord("example.com", "/", "tmp", "1", false, false, false, 0, 12, 22);
    try (StoreWriter writer = store.openWriter(false)) {
      writer.saveCookies(new CookieChanges(List.of(session, lasting, gone), List.of()));
      writer.saveCookies(new CookieChanges(List.of(session.accessed(30)), List.of(gone)));
    }

    try (StoreWriter writer = store.openWriter(true)) {
      assertThat(writer.cookies()).containsExactly(session.accessed(30), lasting);
    }
    assertThat(Db.count(db, "SELECT count(*) FROM cookies WHERE expires_at IS NULL")).isEqualTo(1);

    store.wipe();

    assertThat(store.history()).isEqualTo(CrawlHistory.NONE);
    if (backend == TestBackend.POSTGRES) {
      assertThat(Db.hasTable(db, "cookies")).isFalse();
    }
  }

  @Test
  void keepsTheLastRecordOfAUrlStoredTwiceInOneBatch() {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(A))), List.of(), List.of(), List.of(), 0);
      long id = queuedIds(writer).get(0);

      List<PageRecord> pages = List.of(page(id, A, "timeout"), page(id, A, null));
      writer.write(List.of(), pages, PageVersions.of(pages), List.of(List.of(), List.of()), 0);
    }
    assertThat(Db.rows(db, "SELECT url, error FROM pages")).singleElement().satisfies(r -> assertThat(r.get("error")).isNull());
    assertThat(Db.rows(db, "SELECT state FROM frontier")).singleElement().satisfies(r -> assertThat(r.get("state")).isEqualTo("done"));
  }

  @Test
  void rollsBackEveryRowOfABatchThatFailsMidWay() {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(A, B, C))), List.of(), List.of(), List.of(), 0);
      List<Long> ids = queuedIds(writer);
      writer.write(List.of(new FrontierUpdate(List.of(), ids, List.of())), List.of(), List.of(), List.of(), 0);
      // B's item has no rule: items.rule is NOT NULL, so the batch fails on its items, after the
      // pages, links and discovered URLs of all three were written in the transaction.
      List<PageRecord> batch = List.of(fetched(ids.get(0), A, "r"), fetched(ids.get(1), B, null), fetched(ids.get(2), C, "r"));
      FrontierUpdate seed = FrontierUpdate.ofSeeds(List.of("http://127.0.0.1:1/d"));
      FrontierUpdate putBack = new FrontierUpdate(List.of(), List.of(), List.of(new FrontierRow(ids.get(0), A, 0, 1, 99)));

      assertThatThrownBy(() -> writer.write(List.of(seed, putBack), batch, PageVersions.of(batch), batch.stream().map(PageRecord::discovered).toList(), 0))
          .isInstanceOf(StoreException.class);
    }
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM links")).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM items")).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM page_versions")).isZero();
    assertThat(Db.rows(db, "SELECT url, state, attempts, not_before FROM frontier ORDER BY id"))
        .as("no seed added, no row put back or finished, nothing discovered")
        .extracting(r -> r.get("url") + " " + r.get("state") + " " + r.get("attempts") + " " + r.get("not_before"))
        .containsExactly(A + " in_flight 0 0", B + " in_flight 0 0", C + " in_flight 0 0");
  }

  @Test
  void commitsOnlyItsOwnRowsInTheBatchAfterOneThatFailed() {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(A, B))), List.of(), List.of(), List.of(), 0);
      List<Long> ids = queuedIds(writer);
      writer.write(List.of(new FrontierUpdate(List.of(), ids, List.of())), List.of(), List.of(), List.of(), 0);
      List<PageRecord> failing = List.of(fetched(ids.get(0), A, "r"), fetched(ids.get(1), B, null));
      assertThatThrownBy(() -> writer.write(List.of(), failing, PageVersions.of(failing), failing.stream().map(PageRecord::discovered).toList(), 0))
          .isInstanceOf(StoreException.class);

      PageRecord b = fetched(ids.get(1), B, "r");
      writer.write(List.of(), List.of(b), PageVersions.of(List.of(b)), List.of(b.discovered()), 0);
    }
    assertThat(Db.rows(db, "SELECT url FROM pages")).extracting(r -> r.get("url")).containsExactly(B);
    assertThat(Db.count(db, "SELECT count(*) FROM links")).as("none of the failed batch's rows linger").isEqualTo(2);
    assertThat(Db.count(db, "SELECT count(*) FROM items")).isEqualTo(1);
    assertThat(Db.rows(db, "SELECT url, state FROM frontier ORDER BY id")).extracting(r -> r.get("url") + " " + r.get("state"))
        .containsExactly(A + " in_flight", B + " done", B + "/a queued");
  }

  @Test
  void archivesAKeyedItemsVersionOnceWhenALaterRunSightsItOnAnotherPage() {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(A, B, C))), List.of(), List.of(), List.of(), 0);
      long first = writer.openCrawl("{}", RunKind.CRAWL, 0);
      List<Long> ids = queuedIds(writer);
      PageRecord onA = keyedPage(ids.get(0), A, "K", 1);
      writer.write(List.of(), List.of(onA), PageVersions.of(List.of(onA)), List.of(List.of()), first);
      long second = writer.openCrawl("{}", RunKind.RECRAWL, Long.MAX_VALUE);

      PageRecord onB = keyedPage(ids.get(1), B, "K", 2);
      writer.write(List.of(), List.of(onB), PageVersions.of(List.of(onB)), List.of(List.of()), second);
      PageRecord onC = keyedPage(ids.get(2), C, "K", 3);
      writer.write(List.of(), List.of(onC), PageVersions.of(List.of(onC)), List.of(List.of()), second);
    }

    assertThat(Db.rows(db, "SELECT page_url, item_key, CAST(crawl_id AS INTEGER) AS crawl_id, "
        + "CAST(removed_in AS INTEGER) AS removed_in FROM item_history"))
        .as("the version the first run left, once: a second sighting in the same run is no version")
        .containsExactly(Map.of("page_url", A, "item_key", "K", "crawl_id", 1, "removed_in", 2));
    assertThat(Db.rows(db, "SELECT page_url, coalesce(item_key, '-') AS item_key, CAST(crawl_id AS INTEGER) AS crawl_id "
        + "FROM items ORDER BY page_url, item_key")).as("A keeps its unkeyed item; K is C's now").containsExactly(
        Map.of("page_url", A, "item_key", "-", "crawl_id", 1),
        Map.of("page_url", B, "item_key", "-", "crawl_id", 2),
        Map.of("page_url", C, "item_key", "-", "crawl_id", 2),
        Map.of("page_url", C, "item_key", "K", "crawl_id", 2));
  }

  private static List<Long> queuedIds(StoreWriter writer) {
    return writer.queued(0, 100).rows().stream().map(FrontierRow::id).toList();
  }

  /** A fetched page with two links, one discovered URL ({@code url/a}) and an item of {@code rule}. */
  static PageRecord fetched(long id, String url, String rule) {
    JsonArray items = new JsonArray().add(new JsonObject().put("rule", rule).put("data", new JsonObject().put("n", id)));
    FetchedPage response = FetchedPage.plain(new FetchRequest(id, url, 0, 0), url, 200, "text/html", new byte[100],
        1_700_000_000_000L, 5, 1);
    return PageRecord.parsed(response, "title", "hash" + id, List.of(url + "/a", url + "/b"), List.of(url + "/a"), items);
  }

  /** A new page holding the item of rule {@code r} keyed {@code key} and an item without a key. */
  private static PageRecord keyedPage(long id, String url, String key, int n) {
    JsonArray items = new JsonArray()
        .add(new JsonObject().put("rule", "r").put("key", key).put("data", new JsonObject().put("n", n)))
        .add(new JsonObject().put("rule", "r").put("data", new JsonObject().put("n", n)));
    return new PageRecord(id, url, url, 200, "text/html", 0, null, 1_700_000_000_000L, 1, 10, "hash" + n, 1, null,
        List.of(), List.of(), items, null, null, null, null);
  }

  private static PageRecord page(long id, String url, String error) {
    FetchedPage response = FetchedPage.plain(new FetchRequest(id, url, 0, 0), url, error == null ? 200 : 404,
        "text/html", new byte[10], 1_700_000_000_000L, 1, 1);
    return PageRecord.unparsed(response, error);
  }
}
