package io.trawl.report;

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
   * Whether the database has {@code table} (a file of an older schema lacks {@code downloads}).
   * Asked of the connection's metadata, so a missing table never fails a statement, which would
   * end PostgreSQL's read-only transaction.
   */
  default boolean hasTable(String table) throws SQLException {
    try (ResultSet probe = query("SELECT 1 AS one FROM crawls WHERE 1 = 0");
        ResultSet tables = probe.getStatement().getConnection().getMetaData().getTables(null, null, table, null)) {
      return tables.next();
    }
  }
}
