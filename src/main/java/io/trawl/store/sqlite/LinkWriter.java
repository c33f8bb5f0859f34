package io.trawl.store.sqlite;

import io.trawl.bus.PageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the link graph of a batch's pages (migration 9): each URL once in {@code urls}, each link
 * as a {@code link_ids} row of two URL ids and its place among its page's links. It remembers the
 * ids of the URLs it has met again after storing them, up to {@link #CACHED_IDS} (emptied when full), so
 * a link to a URL it knows costs neither a probe of {@code urls}' text index nor binding its URL: a
 * page's links are one row bound with its URL's id and its links' ids as one JSON array. At the
 * bench's 50 links a page, that was 101 URLs bound and about 150 index probes a page (BENCHMARKS.md).
 * The ids are exact, read from the table, never guessed; a batch that fails makes it forget them
 * all, since the rollback voids the ids the batch gave. Writer thread only, one batch at a time.
 */
final class LinkWriter {
  /**
   * URL ids remembered: 65,536 URLs, about 7 MB with the bench's URLs and 17 MB with URLs of 200
   * characters; the bench's site (20,000 pages, 40,000 URLs with one off-site link a page) fits whole.
   */
  static final int CACHED_IDS = 1 << 16;
  private final PreparedStatement insertUrls;
  private final PreparedStatement selectUrls;
  private final PreparedStatement selectUrl;
  private final PreparedStatement insertLinks;
  private final UrlIds ids;
  /** Whether most URLs of the last {@link #idsOf} were stored before it: then it looks the next up first. */
  private boolean lookUpFirst;
  /** The batch's pages that have links, in batch order. */
  private final List<PageRecord> pages = new ArrayList<>();
  private final StringBuilder json = new StringBuilder();

  LinkWriter(Connection conn, int cachedIds) throws SQLException {
    this.insertUrls = conn.prepareStatement(SqliteSql.INSERT_URLS);
    this.selectUrls = conn.prepareStatement(SqliteSql.SELECT_URL_IDS);
    this.selectUrl = conn.prepareStatement(SqliteSql.SELECT_URL_ID);
    this.insertLinks = conn.prepareStatement(SqliteSql.INSERT_LINK_IDS);
    this.ids = new UrlIds(cachedIds);
  }

  /** Queues the links of {@code page} (none: nothing to do) for {@link #write}. */
  void add(PageRecord page) {
    if (!page.links().isEmpty()) {
      pages.add(page);
    }
  }

  /**
   * Writes the queued pages' links, in the batch's transaction, after any delete of a changed page's
   * old links. A page queued twice keeps its first links ({@code INSERT OR IGNORE} on its key).
   */
  void write() throws SQLException {
    if (pages.isEmpty()) {
      return;
    }
    // Ids held per page: the remembered ones are read before learning the others may empty the table.
    List<long[]> rows = new ArrayList<>(pages.size());
    List<String> unknown = new ArrayList<>();
    for (PageRecord page : pages) {
      long[] row = new long[page.links().size() + 1];
      row[0] = known(page.url(), unknown);
      for (int i = 0; i < page.links().size(); i++) {
        row[i + 1] = known(page.links().get(i), unknown);
      }
      rows.add(row);
    }
    Map<String, Long> learnt = unknown.isEmpty() ? Map.of() : idsOf(unknown);
    for (int p = 0; p < pages.size(); p++) {
      PageRecord page = pages.get(p);
      long[] row = rows.get(p);
      for (int i = 0; i < row.length; i++) {
        if (row[i] == 0) {
          row[i] = learnt.get(i == 0 ? page.url() : page.links().get(i - 1));
        }
      }
      insertLinks.setLong(1, row[0]);
      insertLinks.setString(2, toIds(row));
      insertLinks.addBatch();
    }
    insertLinks.executeBatch();
    pages.clear();
  }

  /** After the batch's transaction was rolled back: nothing queued, and no id remembered. */
  void discard() throws SQLException {
    pages.clear();
    ids.clear();
    insertLinks.clearBatch();
  }

  /** The id of {@code url} if remembered; otherwise 0 (urls ids start at 1), and it joins {@code unknown}. */
  private long known(String url, List<String> unknown) {
    long id = ids.get(url);
    if (id == 0) {
      unknown.add(url); // repeats are harmless: the insert ignores them, and they are learnt once
    }
    return id;
  }

  /**
   * The ids of {@code urls}, added to urls if not there: {@link SqliteSql#URLS_PER_STATEMENT} to a
   * statement, a short chunk filled up with repeats of its first URL (which the insert ignores and
   * the lookup finds once) so there is one statement of each shape. If most of the last batch's
   * were stored already (past the discovery of a large site, nearly all) they are looked up first
   * and only those not found inserted; otherwise (discovery, or a site whose known URLs the table
   * holds, leaving the new ones) inserted first and those the insert ignored looked up. Either way
   * one 50-URL statement where the other order takes two (BENCHMARKS.md, "The writer past 100,000
   * pages"). Only the ids of URLs stored before are remembered (the table is emptied first if they
   * would not fit): a URL met once, as most off-site links and the URLs of a sprawling site are,
   * never takes a place, so the table does not churn (a crawl discovering a million URLs held its
   * peak heap only so).
   */
  private Map<String, Long> idsOf(List<String> urls) throws SQLException {
    Map<String, Long> stored = new HashMap<>(2 * urls.size());
    Map<String, Long> added = new HashMap<>(2 * urls.size());
    List<String> rest;
    if (lookUpFirst) {
      run(selectUrls, urls, stored);
      rest = notIn(stored, urls);
      if (!rest.isEmpty()) {
        run(insertUrls, rest, added);
        rest = notIn(added, rest);
      }
    } else {
      run(insertUrls, urls, added);
      rest = notIn(added, urls);
      if (!rest.isEmpty()) {
        run(selectUrls, rest, stored);
        rest = notIn(stored, rest);
      }
    }
    // Read back otherwise than written (a lone surrogate is stored as '?'): found by the URL as bound.
    for (String url : rest) {
      stored.put(url, idOf(url));
    }
    lookUpFirst = 2 * stored.size() >= urls.size();
    if (!ids.fits(stored.size())) {
      ids.clear();
    }
    stored.forEach(ids::put);
    stored.putAll(added);
    return stored;
  }

  private static List<String> notIn(Map<String, Long> learnt, Iterable<String> urls) {
    List<String> out = new ArrayList<>();
    for (String url : urls) {
      if (!learnt.containsKey(url)) {
        out.add(url);
      }
    }
    return out;
  }

  private long idOf(String url) throws SQLException {
    selectUrl.setString(1, url);
    try (ResultSet rs = selectUrl.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("urls lacks a URL just inserted: " + url);
      }
      return rs.getLong(1);
    }
  }

  /** Runs {@code stmt} (URLs in, (id, url) rows out) over {@code urls} by chunks into {@code learnt}. */
  private static void run(PreparedStatement stmt, Iterable<String> urls, Map<String, Long> learnt) throws SQLException {
    List<String> chunk = new ArrayList<>(SqliteSql.URLS_PER_STATEMENT);
    for (String url : urls) {
      chunk.add(url);
      if (chunk.size() == SqliteSql.URLS_PER_STATEMENT) {
        runChunk(stmt, chunk, learnt);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      runChunk(stmt, chunk, learnt);
    }
  }

  private static void runChunk(PreparedStatement stmt, List<String> chunk, Map<String, Long> learnt)
      throws SQLException {
    for (int i = 0; i < SqliteSql.URLS_PER_STATEMENT; i++) {
      stmt.setString(i + 1, chunk.get(i < chunk.size() ? i : 0));
    }
    try (ResultSet rs = stmt.executeQuery()) {
      while (rs.next()) {
        learnt.put(rs.getString(2), rs.getLong(1));
      }
    }
  }

  /** The page's link ids (all but the first of {@code row}, the page's own) as a JSON array. */
  private String toIds(long[] row) {
    json.setLength(0);
    json.append('[');
    for (int i = 1; i < row.length; i++) {
      if (i > 1) {
        json.append(',');
      }
      json.append(row[i]);
    }
    return json.append(']').toString();
  }
}
