package io.trawl.report;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * Everything the report shows, read from a crawl's database as one JSON object: the run history,
 * totals, throughput over the crawl's time, pages by status and by error, the slowest and the most
 * failing hosts, pages by depth, items per rule with a few samples, and downloads. Each figure is
 * one aggregate query (a scan of {@code pages} at most), so a crawl of 100,000 pages is read in
 * seconds and the JSON stays small whatever the crawl's size. Command line's main thread.
 */
public final class ReportData {
  /** Points of the throughput chart at most: seconds are merged into wider buckets past this. */
  static final int MAX_POINTS = 600;
  /** Hosts in each host table. */
  static final int TOP_HOSTS = 15;
  /** Items shown per rule. */
  static final int SAMPLES = 3;

  private static final String IS_ERROR = "CASE WHEN error IS NULL THEN 0 ELSE 1 END";

  private final ReportQueries db;

  public ReportData(ReportQueries db) {
    this.db = db;
  }

  public JsonObject read() throws SQLException {
    return new JsonObject()
        .put("crawls", crawls())
        .put("totals", totals())
        .put("throughput", throughput())
        .put("statuses", rows("SELECT status, count(*) AS pages FROM pages GROUP BY status ORDER BY status"))
        .put("errors", rows("SELECT error, count(*) AS pages FROM pages WHERE error IS NOT NULL "
            + "GROUP BY error ORDER BY pages DESC, error"))
        .put("depths", rows("SELECT depth, count(*) AS pages FROM pages GROUP BY depth ORDER BY depth"))
        .put("hosts", hosts())
        .put("rules", rules())
        .put("downloads", db.hasTable("downloads") ? downloads() : null);
  }

  private JsonArray crawls() throws SQLException {
    JsonArray crawls = new JsonArray();
    try (ResultSet rs = db.query("SELECT id, started_at, finished_at, outcome, stats FROM crawls ORDER BY id")) {
      while (rs.next()) {
        JsonObject stats = json(rs.getString("stats"));
        crawls.add(new JsonObject()
            .put("id", rs.getLong("id"))
            .put("startedAt", rs.getString("started_at"))
            .put("finishedAt", rs.getString("finished_at"))
            .put("outcome", rs.getString("outcome"))
            .put("stored", stats.getValue("stored"))
            .put("failed", stats.getValue("failed"))
            .put("queued", stats.getValue("queued"))
            .put("elapsedMs", stats.getValue("elapsedMs"))
            .put("pagesPerSecond", stats.getValue("pagesPerSecond")));
      }
    }
    return crawls;
  }

  private JsonObject totals() throws SQLException {
    JsonObject totals = one("SELECT count(*) AS pages, coalesce(sum(" + IS_ERROR + "), 0) AS failed, "
        + "coalesce(sum(bytes), 0) AS bytes, min(fetched_at) AS first_fetch, max(fetched_at) AS last_fetch, "
        + "coalesce(avg(CASE WHEN status IS NOT NULL THEN elapsed_ms END), 0) AS avg_ms FROM pages");
    totals.put("links", one("SELECT count(*) AS n FROM links").getValue("n"));
    totals.put("items", one("SELECT count(*) AS n FROM items").getValue("n"));
    totals.put("queued", one("SELECT count(*) AS n FROM frontier WHERE state = 'queued'").getValue("n"));
    return totals;
  }

  /**
   * Pages and errors per time bucket over the crawl's time: per second from SQL (the first 19
   * characters of {@code fetched_at}, ISO-8601 to the second), merged here into at most
   * {@value #MAX_POINTS} buckets, each a rate in pages per second.
   */
  private JsonObject throughput() throws SQLException {
    List<long[]> seconds = new ArrayList<>();
    try (ResultSet rs = db.query("SELECT substr(fetched_at, 1, 19) AS second, count(*) AS pages, sum(" + IS_ERROR
        + ") AS errors FROM pages GROUP BY substr(fetched_at, 1, 19) ORDER BY 1")) {
      while (rs.next()) {
        long epoch = epochSecond(rs.getString(1));
        if (epoch >= 0) {
          seconds.add(new long[] {epoch, rs.getLong(2), rs.getLong(3)});
        }
      }
    }
    JsonArray t = new JsonArray();
    JsonArray pages = new JsonArray();
    JsonArray errors = new JsonArray();
    long bucket = 1;
    if (!seconds.isEmpty()) {
      long first = seconds.get(0)[0];
      long span = seconds.get(seconds.size() - 1)[0] - first + 1;
      bucket = Math.max(1, (span + MAX_POINTS - 1) / MAX_POINTS);
      long[] pageSums = new long[(int) ((span + bucket - 1) / bucket)];
      long[] errorSums = new long[pageSums.length];
      for (long[] second : seconds) {
        int i = (int) ((second[0] - first) / bucket);
        pageSums[i] += second[1];
        errorSums[i] += second[2];
      }
      for (int i = 0; i < pageSums.length; i++) {
        t.add(first + i * bucket);
        pages.add((double) pageSums[i] / bucket);
        errors.add((double) errorSums[i] / bucket);
      }
    }
    return new JsonObject().put("bucketSeconds", bucket).put("t", t).put("pages", pages).put("errors", errors);
  }

  /**
   * The hosts' figures, in one pass over {@code pages}: how many there are, the slowest (by mean
   * time of the pages that got a response) and the most failing. Memory per table row, not per
   * host.
   */
  private JsonObject hosts() throws SQLException {
    Comparator<JsonObject> slowest = Comparator.comparingDouble((JsonObject h) -> h.getDouble("avgMs"));
    Comparator<JsonObject> failing = Comparator.comparingLong((JsonObject h) -> h.getLong("errors"))
        .thenComparingDouble(h -> h.getDouble("errorShare"));
    PriorityQueue<JsonObject> slow = new PriorityQueue<>(slowest);
    PriorityQueue<JsonObject> fail = new PriorityQueue<>(failing);
    long count = 0;
    try (ResultSet rs = db.query("SELECT host(url) AS host, count(*) AS pages, sum(" + IS_ERROR + ") AS errors, "
        + "avg(CASE WHEN status IS NOT NULL THEN elapsed_ms END) AS avg_ms, max(elapsed_ms) AS max_ms "
        + "FROM pages GROUP BY host(url)")) {
      while (rs.next()) {
        count++;
        long pages = rs.getLong("pages");
        long errors = rs.getLong("errors");
        double avgMs = rs.getDouble("avg_ms");
        boolean timed = !rs.wasNull();
        JsonObject host = new JsonObject()
            .put("host", rs.getString("host"))
            .put("pages", pages)
            .put("errors", errors)
            .put("errorShare", pages == 0 ? 0.0 : (double) errors / pages)
            .put("avgMs", timed ? avgMs : 0.0)
            .put("maxMs", rs.getLong("max_ms"));
        if (timed) {
          keep(slow, host);
        }
        if (errors > 0) {
          keep(fail, host);
        }
      }
    }
    return new JsonObject()
        .put("count", count)
        .put("slowest", descending(slow, slowest))
        .put("failing", descending(fail, failing));
  }

  private JsonArray rules() throws SQLException {
    JsonArray rules = new JsonArray();
    try (ResultSet rs = db.query("SELECT rule, count(*) AS items FROM items GROUP BY rule ORDER BY rule")) {
      while (rs.next()) {
        rules.add(new JsonObject().put("rule", rs.getString(1)).put("items", rs.getLong(2)).put("samples", new JsonArray()));
      }
    }
    if (rules.isEmpty()) {
      return rules;
    }
    try (ResultSet rs = db.query("SELECT rule, page_url, data FROM (SELECT rule, page_url, CAST(data AS TEXT) AS data, "
        + "row_number() OVER (PARTITION BY rule ORDER BY id) AS n FROM items) AS sampled WHERE n <= " + SAMPLES
        + " ORDER BY rule, n")) {
      while (rs.next()) {
        String rule = rs.getString(1);
        for (Object entry : rules) {
          JsonObject r = (JsonObject) entry;
          if (r.getString("rule").equals(rule)) {
            r.getJsonArray("samples").add(new JsonObject().put("pageUrl", rs.getString(2)).put("data", rs.getString(3)));
          }
        }
      }
    }
    return rules;
  }

  private JsonObject downloads() throws SQLException {
    JsonObject downloads = one("SELECT count(*) AS urls, count(DISTINCT path) AS files FROM downloads");
    downloads.put("bytes", one("SELECT coalesce(sum(bytes), 0) AS n FROM (SELECT DISTINCT path, bytes FROM downloads) AS files")
        .getValue("n"));
    downloads.put("byType", rows("SELECT coalesce(content_type, '') AS content_type, count(*) AS urls, "
        + "sum(bytes) AS bytes FROM downloads GROUP BY content_type ORDER BY urls DESC, content_type"));
    return downloads;
  }

  private static void keep(PriorityQueue<JsonObject> top, JsonObject host) {
    top.add(host);
    if (top.size() > TOP_HOSTS) {
      top.poll();
    }
  }

  private static JsonArray descending(PriorityQueue<JsonObject> top, Comparator<JsonObject> order) {
    List<JsonObject> list = new ArrayList<>(top);
    list.sort(order.reversed());
    return new JsonArray(new ArrayList<>(list));
  }

  /** Every row of {@code sql}, each a JSON object keyed by column label in lower case. */
  private JsonArray rows(String sql) throws SQLException {
    JsonArray rows = new JsonArray();
    try (ResultSet rs = db.query(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        JsonObject row = new JsonObject();
        for (int i = 1; i <= columns; i++) {
          row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), value(rs, i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private JsonObject one(String sql) throws SQLException {
    JsonArray rows = rows(sql);
    return rows.isEmpty() ? new JsonObject() : rows.getJsonObject(0);
  }

  /** A column as JSON: integers as longs (SQLite and PostgreSQL give them as int, long or BigDecimal), text as text. */
  private static Object value(ResultSet rs, int column) throws SQLException {
    Object value = rs.getObject(column);
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigDecimal d) {
      return d.scale() <= 0 ? d.longValue() : d.doubleValue();
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    return value == null ? null : value.toString();
  }

  private static JsonObject json(String text) {
    if (text == null || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      // crawls.stats is trawl's own JSON; a row some other tool wrote badly shows as a run without figures
      return new JsonObject();
    }
  }

  /** {@code 2026-12-03T15:45:54} (a SQLite row) or {@code 2026-12-03 15:45:54}, in UTC; -1 when unreadable. */
  static long epochSecond(String second) {
    if (second == null || second.length() < 19) {
      return -1;
    }
    try {
      return LocalDateTime.parse(second.substring(0, 10) + "T" + second.substring(11, 19)).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
