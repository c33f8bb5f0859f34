package io.trawl.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What the catalog says of trawl's schema. Blocking; any thread. */
final class PostgresCatalog {
  private PostgresCatalog() {}

  /** Whether {@code table} exists in {@code schema}. */
  static boolean tableExists(Connection conn, String schema, String table) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(
        "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?")) {
      stmt.setString(1, schema);
      stmt.setString(2, table);
      try (ResultSet rs = stmt.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Whether {@code table} of {@code schema} has {@code column}. */
  static boolean columnExists(Connection conn, String schema, String table, String column) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?")) {
      stmt.setString(1, schema);
      stmt.setString(2, table);
      stmt.setString(3, column);
      try (ResultSet rs = stmt.executeQuery()) {
        return rs.next();
      }
    }
  }
}
