package io.trawl.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a JDBC result as an aligned table, JSON lines, a JSON array or CSV, row by row where the
 * format allows. The table is for a terminal and shows control characters as {@link TerminalText}
 * does; JSON and CSV keep every character, escaped as their formats say.
 */
final class RowWriter {
  enum Format { TABLE, JSONL, JSON, CSV }

  /** Columns whose text is JSON and is embedded as JSON rather than as a string. */
  private static final List<String> JSON_COLUMNS = List.of("data", "config", "stats");
  private static final int MAX_CELL = 80;

  private RowWriter() {}

  /** Writes every row of {@code rs}; returns how many. */
  static long write(ResultSet rs, Format format, PrintWriter out) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int n = meta.getColumnCount();
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = meta.getColumnLabel(i + 1);
    }
    return switch (format) {
      case TABLE -> table(rs, names, out);
      case JSONL, JSON -> json(rs, names, out, format == Format.JSON);
      case CSV -> csv(rs, names, out);
    };
  }

  private static long table(ResultSet rs, String[] names, PrintWriter out) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    while (rs.next()) {
      String[] row = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        row[i] = rs.getString(i + 1);
      }
      rows.add(row);
    }
    table(names, rows, out);
    return rows.size();
  }

  /** Rows as an aligned table, each cell as the terminal may show it (null as NULL, at most 80 characters). */
  static void table(String[] names, List<String[]> rows, PrintWriter out) {
    int[] widths = new int[names.length];
    String[] header = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      header[i] = TerminalText.visible(names[i]);
      widths[i] = header[i].length();
    }
    List<String[]> shown = new ArrayList<>(rows.size());
    for (String[] cells : rows) {
      String[] row = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        String value = cells[i] == null ? "NULL" : TerminalText.visible(cells[i]);
        if (value.length() > MAX_CELL) {
          value = value.substring(0, MAX_CELL - 1) + "…";
        }
        row[i] = value;
        widths[i] = Math.max(widths[i], value.length());
      }
      shown.add(row);
    }
    printTable(header, shown, widths, out);
  }

  /** Writes rows computed in Java (cells already text) as an aligned table, like a result's. */
  static void table(List<String> names, List<List<String>> cells, PrintWriter out) {
    String[] header = names.toArray(String[]::new);
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = header[i].length();
    }
    List<String[]> rows = new ArrayList<>();
    for (List<String> row : cells) {
      String[] r = row.stream().map(TerminalText::visible).toArray(String[]::new);
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
      rows.add(r);
    }
    printTable(header, rows, widths, out);
  }

  private static void printTable(String[] names, List<String[]> rows, int[] widths, PrintWriter out) {
    printRow(names, widths, out);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
    }
    out.println(rule);
    for (String[] row : rows) {
      printRow(row, widths, out);
    }
  }

  private static void printRow(String[] cells, int[] widths, PrintWriter out) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      line.append(cells[i]);
      if (i < cells.length - 1) {
        line.append(" ".repeat(widths[i] - cells[i].length()));
      }
    }
    out.println(line);
  }

  private static long json(ResultSet rs, String[] names, PrintWriter out, boolean array) throws SQLException {
    long count = 0;
    if (array) {
      out.println("[");
    }
    while (rs.next()) {
      JsonObject row = new JsonObject();
      for (int i = 0; i < names.length; i++) {
        Object value = rs.getObject(i + 1);
        if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
          value = rs.getString(i + 1); // jsonb, timestamps, arrays...: their text, as the table and CSV show them
        }
        if (value instanceof String text && JSON_COLUMNS.contains(names[i]) && text.startsWith("{")) {
          value = new JsonObject(text);
        } else if (value instanceof BigDecimal decimal) {
          value = decimal.scale() <= 0 && decimal.precision() - decimal.scale() < 19 ? (Object) decimal.longValueExact() : decimal.doubleValue();
        }
        row.put(names[i], value);
      }
      if (array && count > 0) {
        out.println(",");
      }
      out.print(row.encode());
      if (!array) {
        out.println();
      }
      count++;
    }
    if (array) {
      out.println(count > 0 ? "\n]" : "]");
    }
    out.flush();
    return count;
  }

  private static long csv(ResultSet rs, String[] names, PrintWriter out) throws SQLException {
    out.println(Csv.line(List.of(names)));
    long count = 0;
    List<String> cells = new ArrayList<>(names.length);
    while (rs.next()) {
      cells.clear();
      for (int i = 0; i < names.length; i++) {
        cells.add(rs.getString(i + 1));
      }
      out.println(Csv.line(cells));
      count++;
    }
    out.flush();
    return count;
  }
}
