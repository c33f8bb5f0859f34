package io.trawl.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code export --table items --format csv}: one column per field of the items' data (the union
 * over the exported rules, in the order they first appear) after {@code page_url}, {@code rule}
 * and {@code extracted_at}. Arrays and nested records are written as JSON text. The columns come
 * from one SQL pass over the keys (json_each, grouped: memory per distinct key, not per row), the
 * rows from a second, streamed one.
 */
final class ItemsCsv {
  private static final List<String> META = List.of("page_url", "rule", "extracted_at");
  private static final String KEYS =
      """
      SELECT j.key FROM items, json_each(items.data) j
      WHERE (? IS NULL OR items.rule = ?)
      GROUP BY j.key ORDER BY min(items.id), min(j.id)""";
  private static final String ROWS =
      "SELECT page_url, rule, extracted_at, data FROM items WHERE (? IS NULL OR rule = ?) ORDER BY id";

  private ItemsCsv() {}

  /** Writes the items of {@code rule} (null: all) as CSV; returns how many rows. */
  static long write(Connection conn, String rule, PrintWriter out) throws SQLException {
    List<String> keys = keys(conn, rule);
    List<String> header = new ArrayList<>(META);
    for (String key : keys) {
      header.add(META.contains(key) ? "data." + key : key);
    }
    out.println(Csv.line(header));
    long count = 0;
    try (PreparedStatement stmt = conn.prepareStatement(ROWS)) {
      stmt.setString(1, rule);
      stmt.setString(2, rule);
      stmt.setFetchSize(1000);
      try (ResultSet rs = stmt.executeQuery()) {
        List<String> cells = new ArrayList<>(header.size());
        while (rs.next()) {
          cells.clear();
          cells.add(rs.getString(1));
          cells.add(rs.getString(2));
          cells.add(rs.getString(3));
          JsonObject data = new JsonObject(rs.getString(4));
          for (String key : keys) {
            cells.add(cell(data.getValue(key)));
          }
          out.println(Csv.line(cells));
          count++;
        }
      }
    }
    out.flush();
    return count;
  }

  private static List<String> keys(Connection conn, String rule) throws SQLException {
    List<String> keys = new ArrayList<>();
    try (PreparedStatement stmt = conn.prepareStatement(KEYS)) {
      stmt.setString(1, rule);
      stmt.setString(2, rule);
      try (ResultSet rs = stmt.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
    }
    return keys;
  }

  private static String cell(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject object) {
      return object.encode();
    }
    if (value instanceof JsonArray array) {
      return array.encode();
    }
    return String.valueOf(value);
  }
}
