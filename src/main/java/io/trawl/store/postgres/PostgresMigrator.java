package io.trawl.store.postgres;

import io.trawl.store.PartitionBackfill;
import io.trawl.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the schema and its tables, or migrates them to {@link PostgresSchema#CURRENT}, in one
 * transaction: PostgreSQL's DDL is transactional, so a failure (no right to create a table, a lost
 * connection) leaves nothing half created. Several crawlers starting at once on the same schema
 * wait for each other on an advisory lock. Blocking; the writer thread.
 */
final class PostgresMigrator {
  private PostgresMigrator() {}

  /** Leaves {@code conn} with auto-commit off, the migration committed. */
  static void migrate(Connection conn, PgConnector connector) throws SQLException {
    conn.setAutoCommit(false);
    try (Statement stmt = conn.createStatement()) {
      lock(conn, connector.schema());
      if (!schemaExists(conn, connector.schema())) {
        stmt.execute("CREATE SCHEMA " + quoted(connector.schema()));
      }
      if (!PostgresCatalog.tableExists(conn, connector.schema(), PostgresSchema.VERSION_TABLE)) {
        stmt.execute("CREATE TABLE " + PostgresSchema.VERSION_TABLE + " (version integer NOT NULL)");
      }
      int version = version(stmt);
      if (version > PostgresSchema.CURRENT) {
        throw new StoreException(StoreException.Kind.FAILED, connector.display() + ": the tables have schema version "
            + version + ", newer than this trawl (" + PostgresSchema.CURRENT + "); use a newer trawl");
      }
      for (int v = version; v < PostgresSchema.CURRENT; v++) {
        for (String sql : PostgresSchema.STEPS.get(v)) {
          stmt.execute(sql);
        }
        if (v + 1 == PostgresSchema.PARTITION_STEP) {
          PartitionBackfill.run(conn);
        }
      }
      if (version < PostgresSchema.CURRENT) {
        stmt.executeUpdate("DELETE FROM " + PostgresSchema.VERSION_TABLE);
        stmt.executeUpdate("INSERT INTO " + PostgresSchema.VERSION_TABLE + " VALUES (" + PostgresSchema.CURRENT + ")");
      }
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      throw e;
    }
  }

  /** The schema version of the tables; 0 before the first migration. */
  static int version(Statement stmt) throws SQLException {
    try (ResultSet rs = stmt.executeQuery("SELECT max(version) FROM " + PostgresSchema.VERSION_TABLE)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** Until the transaction ends: one migration at a time on this schema. */
  private static void lock(Connection conn, String schema) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('trawl.migrate.' || ?))")) {
      stmt.setString(1, schema);
      stmt.executeQuery().close();
    }
  }

  static boolean schemaExists(Connection conn, String schema) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      stmt.setString(1, schema);
      try (ResultSet rs = stmt.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** A schema name as an SQL identifier. Config already checked it is {@code [a-z_][a-z0-9_]*}. */
  static String quoted(String schema) {
    return "\"" + schema.replace("\"", "\"\"") + "\"";
  }
}
