package io.trawl.cli;

import io.trawl.store.ExportTable;
import io.trawl.store.StoreReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code export --table items --format csv}: one column per field of the items' data (the union
 * over the exported rules, in the order they first appear) after {@code page_url}, {@code rule}
 * and {@code extracted_at}. Arrays and nested records are written as JSON text. The columns come
 * from one pass over the keys in the database (grouped: memory per distinct key, not per row), the
 * rows from a second, streamed one.
 */
final class ItemsCsv {
  private static final List<String> META = List.of("page_url", "rule", "extracted_at");
  private ItemsCsv() {}

  /** Writes the items of {@code rule} (null: all) as CSV; returns how many rows. */
  static long write(StoreReader reader, String rule, PrintWriter out) throws SQLException {
    List<String> keys = reader.itemKeys(rule);
    List<String> header = new ArrayList<>(META);
    for (String key : keys) {
      header.add(META.contains(key) ? "data." + key : key);
    }
    out.println(Csv.line(header));
    long count = 0;
    try (ResultSet rs = reader.export(ExportTable.ITEMS, rule)) {
      List<String> cells = new ArrayList<>(header.size());
      while (rs.next()) {
        cells.clear();
        cells.add(rs.getString("page_url"));
        cells.add(rs.getString("rule"));
        cells.add(rs.getString("extracted_at"));
        JsonObject data = new JsonObject(rs.getString("data"));
        for (String key : keys) {
          cells.add(cell(data.getValue(key)));
        }
        out.println(Csv.line(cells));
        count++;
      }
    }
    out.flush();
    return count;
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
