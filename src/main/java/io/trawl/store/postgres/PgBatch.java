package io.trawl.store.postgres;

import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.core.FrontierState;
import io.trawl.core.HostPartitions;
import io.trawl.store.PageVersion;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The statements of one write batch and their columns, built from the batch's records before
 * anything is sent: each a {@link Part} whose binding fills whole columns as arrays. The writer
 * joins the parts into the one multi-statement batch it sends. Plain functions; run on the store's
 * writer thread.
 */
final class PgBatch {
  private PgBatch() {}

  /** One statement of a batch and how to bind its parameters. */
  record Part(String sql, Binding bind) {}

  @FunctionalInterface
  interface Binding {
    void bind(ArrayBinder binder) throws SQLException;
  }

  /** Seeds, claims and put-backs, each when there are any. */
  static void frontierParts(List<FrontierUpdate> updates, String node, List<Part> parts) {
    List<String> seeds = new ArrayList<>();
    List<Long> claimed = new ArrayList<>();
    Map<Long, FrontierRow> back = new LinkedHashMap<>();
    for (FrontierUpdate update : updates) {
      seeds.addAll(update.seeds());
      claimed.addAll(update.claimed());
      for (FrontierRow row : update.putBack()) {
        back.remove(row.id());
        back.put(row.id(), row); // as SQLite's batch: the last put-back of a row wins
      }
    }
    if (!seeds.isEmpty()) {
      parts.add(new Part(PostgresSql.INSERT_SEEDS, b -> {
        b.texts(seeds);
        b.ints(partitions(seeds));
      }));
    }
    if (!claimed.isEmpty()) {
      parts.add(new Part(PostgresSql.CLAIM, b -> {
        b.text(node);
        b.longs(claimed);
      }));
    }
    if (!back.isEmpty()) {
      List<FrontierRow> rows = List.copyOf(back.values());
      parts.add(new Part(PostgresSql.PUT_BACK, b -> {
        b.longs(rows.stream().map(FrontierRow::id).toList());
        b.ints(rows.stream().map(FrontierRow::attempts).toList());
        b.longs(rows.stream().map(FrontierRow::notBeforeMs).toList());
      }));
    }
  }

  /**
   * Pages, links, items, downloads, discovered URLs and final frontier states.
   *
   * @param pageOf filled with, for each discovered URL, the index of the first page that listed it
   */
  static void pageParts(List<PageRecord> pages, List<PageVersion> versions, List<List<String>> discovered,
      long crawlId, String node, Map<String, Integer> pageOf, List<Part> parts) {
    // One row per URL: a URL stored twice in one batch keeps its last record, as SQLite's upsert does.
    Map<String, PageRecord> replaced = new LinkedHashMap<>();
    Map<String, PageRecord> touched = new LinkedHashMap<>();
    Map<String, PageRecord> downloads = new LinkedHashMap<>();
    Map<Long, Integer> finished = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    for (int i = 0; i < pages.size(); i++) {
      PageRecord page = pages.get(i);
      PageVersion version = versions.get(i);
      replaced.remove(page.url());
      touched.remove(page.url());
      boolean hadContent = page.revisit() != null && page.revisit().hasContent();
      (version.replacesContent(hadContent) ? replaced : touched).put(page.url(), page);
      if (version.dropsOldItemsAndLinks()) {
        dropped.add(page.url());
      }
      if (page.download() != null) {
        downloads.remove(page.url());
        downloads.put(page.url(), page);
      }
      finished.remove(page.frontierId());
      finished.put(page.frontierId(), i);
    }
    if (!replaced.isEmpty()) {
      PageColumns columns = new PageColumns(replaced.values(), crawlId, node);
      parts.add(new Part(PostgresSql.UPSERT_PAGES, columns::bind));
    }
    if (!touched.isEmpty()) {
      parts.add(touchPart(List.copyOf(touched.values()), crawlId, node));
    }
    parts.add(new Part(PostgresSql.INSERT_VERSIONS, b -> bindVersions(b, pages, versions, crawlId)));
    if (!dropped.isEmpty()) {
      parts.add(new Part(PostgresSql.ARCHIVE_ITEMS, b -> {
        b.longValue(crawlId);
        b.texts(dropped);
      }));
      parts.add(new Part(PostgresSql.DELETE_ITEMS, b -> b.texts(dropped)));
      parts.add(new Part(PostgresSql.DELETE_LINKS, b -> b.texts(dropped)));
    }
    linkParts(pages, parts);
    itemParts(pages, crawlId, parts);
    if (!downloads.isEmpty()) {
      parts.add(downloadPart(List.copyOf(downloads.values())));
    }
    discoveredParts(pages, discovered, pageOf, parts);
    parts.add(finishPart(pages, versions, List.copyOf(finished.values())));
  }

  /** The pages whose content stays as it was (unchanged, or failed): their fetch's own columns. */
  private static Part touchPart(List<PageRecord> rows, long crawlId, String node) {
    Long crawl = crawlId == 0 ? null : crawlId;
    return new Part(PostgresSql.TOUCH_PAGES, b -> {
      b.texts(rows.stream().map(PageRecord::url).toList());
      b.texts(rows.stream().map(p -> Instant.ofEpochMilli(p.fetchedAtMs()).toString()).toList());
      b.longs(rows.stream().map(PageRecord::elapsedMs).toList());
      b.ints(rows.stream().map(PageRecord::attempts).toList());
      b.texts(rows.stream().map(PageRecord::error).toList());
      b.longs(rows.stream().map(p -> crawl).toList());
      b.texts(rows.stream().map(PageRecord::etag).toList());
      b.texts(rows.stream().map(PageRecord::lastModified).toList());
      b.texts(rows.stream().map(p -> node).toList());
    });
  }

  /** The links' URLs, then the links by them, when the pages have any. */
  private static void linkParts(List<PageRecord> pages, List<Part> parts) {
    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    List<Integer> seqs = new ArrayList<>();
    for (PageRecord page : pages) {
      for (int seq = 0; seq < page.links().size(); seq++) {
        from.add(page.url());
        seqs.add(seq);
        to.add(page.links().get(seq));
      }
    }
    if (from.isEmpty()) {
      return;
    }
    TreeSet<String> linkUrls = new TreeSet<>(from);
    linkUrls.addAll(to);
    List<String> sortedUrls = List.copyOf(linkUrls);
    parts.add(new Part(PostgresSql.INSERT_URLS, b -> b.texts(sortedUrls)));
    parts.add(new Part(PostgresSql.INSERT_LINKS, b -> {
      b.texts(from);
      b.ints(seqs);
      b.texts(to);
    }));
  }

  /** The stored versions of the keyed items sighted again, archived, then the items, when there are any. */
  private static void itemParts(List<PageRecord> pages, long crawlId, List<Part> parts) {
    List<String> itemPage = new ArrayList<>();
    List<String> itemRule = new ArrayList<>();
    List<String> itemData = new ArrayList<>();
    List<String> itemAt = new ArrayList<>();
    List<String> itemKey = new ArrayList<>();
    List<Long> itemCrawl = new ArrayList<>();
    Long crawl = crawlId == 0 ? null : crawlId;
    for (ItemRow row : lastOfEachKey(pages)) {
      itemPage.add(row.pageUrl());
      itemRule.add(row.item().getString("rule"));
      itemData.add(row.item().getJsonObject("data").encode());
      itemAt.add(row.extractedAt());
      itemKey.add(row.item().getString("key"));
      itemCrawl.add(crawl);
    }
    List<String> keyedRule = new ArrayList<>();
    List<String> keyedKey = new ArrayList<>();
    for (int i = 0; i < itemKey.size(); i++) {
      if (itemKey.get(i) != null) { // once each: lastOfEachKey keeps one row per key
        keyedRule.add(itemRule.get(i));
        keyedKey.add(itemKey.get(i));
      }
    }
    if (!keyedKey.isEmpty()) {
      parts.add(new Part(PostgresSql.ARCHIVE_KEYED_ITEMS, b -> {
        b.longValue(crawlId);
        b.texts(keyedRule);
        b.texts(keyedKey);
        b.longValue(crawlId);
      }));
    }
    if (!itemPage.isEmpty()) {
      parts.add(new Part(PostgresSql.UPSERT_ITEMS, b -> {
        b.texts(itemPage);
        b.texts(itemRule);
        b.texts(itemData);
        b.texts(itemAt);
        b.texts(itemKey);
        b.longs(itemCrawl);
      }));
    }
  }

  /** The files the pages' bodies (or screenshots) were saved to. */
  private static Part downloadPart(List<PageRecord> saved) {
    return new Part(PostgresSql.UPSERT_DOWNLOADS, b -> {
      b.texts(saved.stream().map(PageRecord::url).toList());
      b.texts(saved.stream().map(p -> p.download().path()).toList());
      b.longs(saved.stream().map(p -> p.download().bytes()).toList());
      b.texts(saved.stream().map(p -> p.download().sha256()).toList());
      b.texts(saved.stream().map(p -> p.download().contentType() != null ? p.download().contentType()
          : p.contentType()).toList());
      b.texts(saved.stream().map(p -> Instant.ofEpochMilli(p.fetchedAtMs()).toString()).toList());
    });
  }

  /**
   * The discovered URLs, one level deeper than their page, when there are any.
   *
   * @param pageOf filled with, for each discovered URL, the index of the first page that listed it
   */
  private static void discoveredParts(List<PageRecord> pages, List<List<String>> discovered,
      Map<String, Integer> pageOf, List<Part> parts) {
    List<String> urls = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    for (int i = 0; i < pages.size(); i++) {
      for (String url : discovered.get(i)) {
        urls.add(url);
        depths.add(pages.get(i).depth() + 1);
        pageOf.putIfAbsent(url, i);
      }
    }
    if (!urls.isEmpty()) {
      parts.add(new Part(PostgresSql.INSERT_DISCOVERED, b -> {
        b.texts(urls);
        b.ints(depths);
        b.ints(partitions(urls));
      }));
    }
  }

  /** The final state and schedule of each page's frontier row, {@code done} holding each row's last page. */
  private static Part finishPart(List<PageRecord> pages, List<PageVersion> versions, List<Integer> done) {
    return new Part(PostgresSql.FINISH, b -> {
      b.longs(done.stream().map(i -> pages.get(i).frontierId()).toList());
      b.texts(done.stream().map(i -> (pages.get(i).error() == null ? FrontierState.DONE : FrontierState.FAILED).column())
          .toList());
      b.ints(done.stream().map(i -> pages.get(i).attempts()).toList());
      b.bools(done.stream().map(i -> versions.get(i).keepsInterval()).toList());
      b.longs(done.stream().map(i -> versions.get(i).intervalMs()).toList());
      b.longs(done.stream().map(i -> versions.get(i).scheduledAtMs()).toList());
      b.longs(done.stream().map(i -> versions.get(i).dueAtMs()).toList());
    });
  }

  /** Every page's page_versions row, in batch order. */
  private static void bindVersions(ArrayBinder b, List<PageRecord> pages, List<PageVersion> versions, long crawlId)
      throws SQLException {
    Long crawl = crawlId == 0 ? null : crawlId;
    b.texts(pages.stream().map(PageRecord::url).toList());
    b.longs(pages.stream().map(p -> crawl).toList());
    b.texts(pages.stream().map(p -> Instant.ofEpochMilli(p.fetchedAtMs()).toString()).toList());
    b.ints(pages.stream().map(p -> p.status() == 0 ? null : p.status()).toList());
    b.longs(pages.stream().map(PageRecord::bytes).toList());
    b.texts(pages.stream().map(PageRecord::contentHash).toList());
    b.texts(pages.stream().map(PageRecord::etag).toList());
    b.texts(pages.stream().map(PageRecord::lastModified).toList());
    b.texts(pages.stream().map(PageRecord::error).toList());
    b.texts(versions.stream().map(v -> v.change().column()).toList());
  }

  /** The host partition of each URL, in order. */
  static List<Integer> partitions(List<String> urls) {
    List<Integer> partitions = new ArrayList<>(urls.size());
    for (String url : urls) {
      partitions.add(HostPartitions.ofUrl(url));
    }
    return partitions;
  }

  /** The seventeen columns of {@code pages} for one batch, bound in the order of {@link PostgresSql#UPSERT_PAGES}. */
  private record PageColumns(List<PageRecord> pages, long crawlId, String node) {
    PageColumns(Collection<PageRecord> pages, long crawlId, String node) {
      this(List.copyOf(pages), crawlId, node);
    }

    void bind(ArrayBinder binder) throws SQLException {
      binder.texts(map(PageRecord::url));
      binder.texts(map(PageRecord::finalUrl));
      binder.ints(map(p -> p.status() == 0 ? null : p.status()));
      binder.texts(map(PageRecord::contentType));
      binder.ints(map(PageRecord::depth));
      binder.texts(map(PageRecord::title));
      binder.texts(map(p -> Instant.ofEpochMilli(p.fetchedAtMs()).toString()));
      binder.longs(map(PageRecord::elapsedMs));
      binder.longs(map(PageRecord::bytes));
      binder.texts(map(PageRecord::contentHash));
      binder.ints(map(PageRecord::attempts));
      binder.texts(map(PageRecord::error));
      binder.longs(map(p -> crawlId == 0 ? null : crawlId));
      binder.texts(map(PageRecord::etag));
      binder.texts(map(PageRecord::lastModified));
      binder.texts(map(PageRecord::rendered));
      binder.texts(map(p -> node));
    }

    /** One column of the pages, nulls included. */
    private <T> List<T> map(Function<PageRecord, T> column) {
      List<T> values = new ArrayList<>(pages.size());
      for (PageRecord page : pages) {
        values.add(column.apply(page));
      }
      return values;
    }
  }

  /** One items row of a batch: the item, its page, when it was extracted. */
  record ItemRow(JsonObject item, String pageUrl, String extractedAt) {}

  /**
   * The batch's items in order, a keyed item seen again in the batch kept at its last sighting
   * only (where SQLite's row-by-row upsert ends too); items without a key all kept.
   */
  static List<ItemRow> lastOfEachKey(List<PageRecord> pages) {
    List<ItemRow> rows = new ArrayList<>();
    Map<String, Integer> lastByKey = new HashMap<>();
    for (PageRecord page : pages) {
      String fetchedAt = Instant.ofEpochMilli(page.fetchedAtMs()).toString();
      for (int j = 0; j < page.items().size(); j++) {
        JsonObject item = page.items().getJsonObject(j);
        String key = item.getString("key");
        if (key != null) {
          lastByKey.put(item.getString("rule") + "\u0000" + key, rows.size());
        }
        rows.add(new ItemRow(item, page.url(), fetchedAt));
      }
    }
    List<ItemRow> kept = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      String key = rows.get(i).item().getString("key");
      if (key == null || lastByKey.get(rows.get(i).item().getString("rule") + "\u0000" + key) == i) {
        kept.add(rows.get(i));
      }
    }
    return kept;
  }
}
