package io.trawl.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.trawl.bus.PageRecord;
import io.trawl.core.PageChange;
import io.trawl.store.PageVersion;
import io.trawl.store.StoreException;
import io.trawl.testing.Db;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link graph as the writer stores it through its remembered URL ids ({@link LinkWriter}): the
 * same rows whether it remembers every id, a few (so they are pushed out and read again) or none,
 * and the right ones after a failed batch, in a second writer, and for a URL SQLite reads back
 * otherwise than it was written.
 */
class LinkWriterTest {
  private static final String SITE = "http://127.0.0.1:1/p/";
  private static final int SITE_PAGES = 300;

  @TempDir Path dir;

  @Test
  void storesTheSameLinksWhetherItRemembersEveryIdAFewOrNone() throws Exception {
    List<List<PageRecord>> batches = siteBatches();
    List<List<PageVersion>> versions = new ArrayList<>();
    for (int b = 0; b < batches.size(); b++) {
      // From the fourth batch on, pages are fetched again and changed: their old links go.
      PageChange change = b < 3 ? PageChange.NEW : PageChange.CHANGED;
      versions.add(Collections.nCopies(batches.get(b).size(), new PageVersion(change, 0, 0)));
    }

    List<List<Object>> all = linksWritten(dir.resolve("all.db"), LinkWriter.CACHED_IDS, batches, versions);
    List<List<Object>> few = linksWritten(dir.resolve("few.db"), 7, batches, versions);
    List<List<Object>> none = linksWritten(dir.resolve("none.db"), 0, batches, versions);

    assertThat(all).containsExactlyElementsOf(expectedLinks(batches, versions)).hasSizeGreaterThan(1000);
    assertThat(few).isEqualTo(all);
    assertThat(none).isEqualTo(all);
    for (String file : List.of("all.db", "few.db", "none.db")) {
      assertThat(Db.count(dir.resolve(file), "SELECT count(*) FROM urls")).as("each URL once")
          .isEqualTo(Db.count(dir.resolve(file), "SELECT count(DISTINCT url) FROM urls")).isEqualTo(SITE_PAGES);
    }
  }

  @Test
  void forgetsTheIdsOfABatchThatFailed() throws Exception {
    Path file = dir.resolve("failed.db");
    try (var conn = DriverManager.getConnection(SqliteWriter.url(file))) {
      SqliteWriter writer = SqliteWriter.open(conn, false);
      // An item without a rule breaks items.rule NOT NULL after the batch's links were written.
      JsonArray badItem = new JsonArray().add(new JsonObject().put("data", new JsonObject()));
      PageRecord failing = page(SITE + "a", List.of(SITE + "x", SITE + "y"), badItem);
      catchThrowableOfType(StoreException.class, () -> write(writer, List.of(failing)));

      // The rolled-back ids of a, x and y are given again: to b, z and y.
      write(writer, List.of(page(SITE + "b", List.of(SITE + "z", SITE + "y"), new JsonArray())));
    }
    assertThat(Db.rows(file, "SELECT from_url, to_url FROM links"))
        .extracting(r -> r.get("from_url") + " " + r.get("to_url"))
        .containsExactly(SITE + "b " + SITE + "z", SITE + "b " + SITE + "y");
  }

  @Test
  void findsTheIdsAnEarlierWriterGaveInsteadOfAddingTheUrlsAgain() throws Exception {
    Path file = dir.resolve("two.db");
    try (var conn = DriverManager.getConnection(SqliteWriter.url(file))) {
      write(SqliteWriter.open(conn, false), List.of(page(SITE + "a", List.of(SITE + "b", SITE + "c"), new JsonArray())));
    }
    try (var conn = DriverManager.getConnection(SqliteWriter.url(file))) {
      write(SqliteWriter.open(conn, false), List.of(page(SITE + "b", List.of(SITE + "c", SITE + "d", SITE + "a"),
          new JsonArray())));
    }
    assertThat(Db.rows(file, "SELECT from_url, to_url FROM links"))
        .extracting(r -> r.get("from_url") + " " + r.get("to_url"))
        .containsExactly(SITE + "a " + SITE + "b", SITE + "a " + SITE + "c",
            SITE + "b " + SITE + "c", SITE + "b " + SITE + "d", SITE + "b " + SITE + "a");
    assertThat(Db.rows(file, "SELECT url FROM urls ORDER BY id")).extracting(r -> r.get("url"))
        .containsExactly(SITE + "a", SITE + "b", SITE + "c", SITE + "d");
  }

  /** The driver writes a lone surrogate as '?': the URL read back is not the one bound. */
  @Test
  void storesALinkToAUrlReadBackOtherwiseThanWritten() throws Exception {
    Path file = dir.resolve("odd.db");
    String odd = SITE + "\uD800";
    try (var conn = DriverManager.getConnection(SqliteWriter.url(file))) {
      SqliteWriter writer = SqliteWriter.open(conn, false);
      write(writer, List.of(page(SITE + "a", List.of(odd, SITE + "b"), new JsonArray())));
      write(writer, List.of(page(SITE + "c", List.of(odd), new JsonArray())));
    }
    List<Object> stored = Db.rows(file, "SELECT url FROM urls ORDER BY id").stream().map(r -> r.get("url")).toList();
    assertThat(stored).hasSize(4);
    assertThat(Db.rows(file, "SELECT from_url, to_url FROM links"))
        .extracting(r -> r.get("from_url") + " " + r.get("to_url"))
        .containsExactly(SITE + "a " + stored.get(1), SITE + "a " + SITE + "b", SITE + "c " + stored.get(1));
  }

  /** Every link of the file as (from, seq, to), in page URL and seq order. */
  private static List<List<Object>> linksWritten(Path file, int cachedIds, List<List<PageRecord>> batches,
      List<List<PageVersion>> versions) throws Exception {
    try (var conn = DriverManager.getConnection(SqliteWriter.url(file))) {
      SqliteWriter writer = SqliteWriter.open(conn, false, cachedIds);
      for (int b = 0; b < batches.size(); b++) {
        List<PageRecord> batch = batches.get(b);
        writer.write(List.of(), batch, versions.get(b), Collections.nCopies(batch.size(), List.of()), 0);
      }
    }
    return Db.rows(file, "SELECT f.url AS f, l.seq AS s, t.url AS t FROM link_ids l JOIN urls f ON f.id = l.from_id "
        + "JOIN urls t ON t.id = l.to_id ORDER BY f.url, l.seq").stream()
        .map(r -> List.<Object>of(r.get("f"), ((Number) r.get("s")).intValue(), r.get("t"))).toList();
  }

  /**
   * Batches of pages of a site of {@link #SITE_PAGES} pages, some linking to the same page twice,
   * one batch holding a page twice, and later batches fetching pages again with other links.
   */
  private static List<List<PageRecord>> siteBatches() {
    Random random = new Random(17);
    List<List<PageRecord>> batches = new ArrayList<>();
    for (int b = 0; b < 6; b++) {
      List<PageRecord> batch = new ArrayList<>();
      for (int p = 0; p < 40; p++) {
        int n = b < 3 ? b * 40 + p : random.nextInt(120);
        List<String> links = new ArrayList<>();
        int count = 1 + random.nextInt(60);
        for (int l = 0; l < count; l++) {
          links.add(SITE + random.nextInt(SITE_PAGES));
        }
        batch.add(page(SITE + n, links, new JsonArray()));
      }
      batch.add(page(SITE + (b * 40), List.of(SITE + "0"), new JsonArray()));
      batches.add(batch);
    }
    return batches;
  }

  /**
   * What the batches should leave: a changed page's links of earlier batches go before the batch's
   * links are written; a link row is keyed by its page and seq, and the first written stays, so a
   * page twice in a batch keeps its first record's links and any the second has past their count.
   */
  private static List<List<Object>> expectedLinks(List<List<PageRecord>> batches, List<List<PageVersion>> versions) {
    Map<String, Map<Integer, String>> graph = new TreeMap<>();
    for (int b = 0; b < batches.size(); b++) {
      List<PageRecord> batch = batches.get(b);
      for (int p = 0; p < batch.size(); p++) {
        if (versions.get(b).get(p).dropsOldItemsAndLinks()) {
          graph.remove(batch.get(p).url());
        }
      }
      for (PageRecord page : batch) {
        Map<Integer, String> links = graph.computeIfAbsent(page.url(), url -> new TreeMap<>());
        for (int seq = 0; seq < page.links().size(); seq++) {
          links.putIfAbsent(seq, page.links().get(seq));
        }
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    graph.forEach((from, links) -> links.forEach((seq, to) -> rows.add(List.of(from, seq, to))));
    return rows;
  }

  private static void write(SqliteWriter writer, List<PageRecord> pages) {
    writer.write(List.of(), pages, Collections.nCopies(pages.size(), new PageVersion(PageChange.NEW, 0, 0)),
        Collections.nCopies(pages.size(), List.of()), 0);
  }

  private static PageRecord page(String url, List<String> links, JsonArray items) {
    return new PageRecord(0, url, url, 200, "text/html", 0, "t", 1_700_000_000_000L, 1, 10, "hash", 1, null,
        links, List.of(), items, null, null, null, null);
  }
}
