package io.trawl.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import io.trawl.store.StoreReader;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code rules} section of {@code trawl stats}: per extraction rule, the rows it has in
 * {@code items}, and, summed over every run's {@code crawls.stats} (where each run records what its
 * rules made: {@code "rules": {"<rule>": {"items", "dropped", "empty": {"<field>": n}}}}), the items
 * extracted, the items dropped as incomplete and the fields most often empty. A run killed before it
 * ended recorded no stats, so its counts are missing here (its items are still in the table). Reads
 * plain rows through the store's read-only reader and sums in Java, so it needs no JSON functions
 * of either database (SQLite or PostgreSQL). Main thread.
 */
final class RuleStatsTable {
  private static final int SHOWN_FIELDS = 3;

  private RuleStatsTable() {}

  private static final class Sums {
    long rows;
    long extracted = -1;
    long dropped;
    final Map<String, Long> empty = new HashMap<>();
  }

  static void print(StoreReader reader, PrintWriter out) throws SQLException {
    Map<String, Sums> byRule = new TreeMap<>();
    try (ResultSet rs = reader.query("SELECT rule, count(*) FROM items GROUP BY rule")) {
      while (rs.next()) {
        byRule.computeIfAbsent(rs.getString(1), r -> new Sums()).rows = rs.getLong(2);
      }
    }
    try (ResultSet rs = reader.query("SELECT stats FROM crawls WHERE stats IS NOT NULL ORDER BY id")) {
      while (rs.next()) {
        add(rs.getString(1), byRule);
      }
    }
    List<List<String>> rows = new ArrayList<>();
    byRule.forEach((rule, sums) -> rows.add(List.of(rule, Long.toString(sums.rows),
        sums.extracted < 0 ? "-" : Long.toString(sums.extracted), Long.toString(sums.dropped), mostOftenEmpty(sums))));
    RowWriter.table(List.of("rule", "rows", "extracted", "dropped", "most_often_empty"), rows, out);
  }

  private static void add(String statsJson, Map<String, Sums> byRule) {
    JsonObject rules;
    try {
      rules = new JsonObject(statsJson).getJsonObject("rules");
    } catch (DecodeException | ClassCastException e) {
      return; // a run's stats that are not ours to read (written by hand): nothing to add
    }
    if (rules == null) {
      return;
    }
    for (String rule : rules.fieldNames()) {
      JsonObject counts = rules.getJsonObject(rule);
      Sums sums = byRule.computeIfAbsent(rule, r -> new Sums());
      sums.extracted = Math.max(sums.extracted, 0) + counts.getLong("items", 0L);
      sums.dropped += counts.getLong("dropped", 0L);
      JsonObject empty = counts.getJsonObject("empty", new JsonObject());
      empty.forEach(e -> sums.empty.merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
    }
  }

  /** The fields most often empty, most first: {@code author 12, tags 3}; "-" when none was. */
  private static String mostOftenEmpty(Sums sums) {
    if (sums.empty.isEmpty()) {
      return "-";
    }
    return sums.empty.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(SHOWN_FIELDS)
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
