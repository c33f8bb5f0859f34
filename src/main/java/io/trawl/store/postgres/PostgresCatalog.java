package io.trawl.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What the catalog says of trawl's schema. Blocking; any thread. */
final class PostgresCatalog {
  private static final String TABLE = "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?";
  private static final String VIEW = "SELECT 1 FROM pg_views WHERE schemaname = ? AND viewname = ?";
  private static final String COLUMN =
      "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?";

  private PostgresCatalog() {}

  /** Whether {@code table} exists in {@code schema}. */
  static boolean tableExists(Connection conn, String schema, String table) throws SQLException {
    return anyRow(conn, TABLE, schema, table);
  }

  /** Whether {@code view} exists in {@code schema}. */
  static boolean viewExists(Connection conn, String schema, String view) throws SQLException {
    return anyRow(conn, VIEW, schema, view);
  }

  /** Whether {@code table} of {@code schema} has {@code column}. */
  static boolean columnExists(Connection conn, String schema, String table, String column) throws SQLException {
    return anyRow(conn, COLUMN, schema, table, column);
  }

  /** Whether the catalog query {@code sql}, given {@code names} in order, finds a row. */
  private static boolean anyRow(Connection conn, String sql, String... names) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(sql)) {
      for (int i = 0; i < names.length; i++) {
        stmt.setString(i + 1, names[i]);
      }
      try (ResultSet rs = stmt.executeQuery()) {
        return rs.next();
      }
    }
  }
}
