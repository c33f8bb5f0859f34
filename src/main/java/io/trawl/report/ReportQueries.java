package io.trawl.report;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where the report's SQL runs: one read-only statement at a time, its rows read before the next.
 * The SQL is plain: standard SQL that SQLite and PostgreSQL both run, plus the {@code host(url)}
 * function trawl gives both. Command line's main thread.
 */
@FunctionalInterface
public interface ReportQueries {
  /** The rows of {@code sql}; the caller closes the result set. */
  ResultSet query(String sql) throws SQLException;

  /**
   * Whether the database has {@code table} (a file or schema of an older version lacks
   * {@code downloads}). Looked for where the queries' unqualified names resolve: the connection's
   * current schema ({@code crawl.db_schema} on PostgreSQL, whose other schemas may hold trawl's
   * tables of another version), none on SQLite. Asked of the connection's metadata, so a missing
   * table never fails a statement, which would end PostgreSQL's read-only transaction.
   */
  default boolean hasTable(String table) throws SQLException {
    try (ResultSet probe = query("SELECT 1 AS one FROM crawls WHERE 1 = 0")) {
      Connection conn = probe.getStatement().getConnection();
      DatabaseMetaData meta = conn.getMetaData();
      try (ResultSet tables = meta.getTables(null, literal(conn.getSchema(), meta), literal(table, meta), null)) {
        return tables.next();
      }
    }
  }

  /** {@code name} as a metadata pattern that matches only itself ({@code _} is a wildcard there). */
  private static String literal(String name, DatabaseMetaData meta) throws SQLException {
    if (name == null) {
      return null;
    }
    String escape = meta.getSearchStringEscape();
    return escape == null || escape.isEmpty() ? name
        : name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
  }
}
