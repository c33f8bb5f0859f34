package io.trawl.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What an existing database already holds, read before a crawl starts. Main thread, plain JDBC. */
final class CrawlLedger {
  /**
   * @param hasCrawl a crawl has run on this file
   * @param unfinished its frontier still has queued or in-flight rows
   * @param pending those rows
   * @param lastConfig the config of the last run, or null
   */
  record State(boolean hasCrawl, boolean unfinished, long pending, JsonObject lastConfig) {}

  private CrawlLedger() {}

  static State inspect(Path file) {
    if (!Files.isRegularFile(file)) {
      return new State(false, false, 0, null);
    }
    try (Connection conn = CliDatabase.openReadOnly(file); Statement stmt = conn.createStatement()) {
      if (!tableExists(stmt, "crawls")) {
        return new State(false, false, 0, null);
      }
      JsonObject lastConfig = null;
      try (ResultSet rs = stmt.executeQuery("SELECT config FROM crawls ORDER BY id DESC LIMIT 1")) {
        if (rs.next()) {
          lastConfig = new JsonObject(rs.getString(1));
        }
      }
      long pending;
      try (ResultSet rs = stmt.executeQuery("SELECT count(*) FROM frontier WHERE state IN ('queued', 'in_flight')")) {
        pending = rs.next() ? rs.getLong(1) : 0;
      }
      return new State(lastConfig != null, pending > 0, pending, lastConfig);
    } catch (SQLException e) {
      throw new BadInputException(file + ": not a trawl database it can read (" + e.getMessage() + ")");
    }
  }

  /** Removes the database and its WAL files, for {@code --fresh}. */
  static void delete(Path file) {
    try {
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        Files.deleteIfExists(Path.of(file + suffix));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean tableExists(Statement stmt, String table) throws SQLException {
    try (ResultSet rs = stmt.executeQuery(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
      return rs.next();
    }
  }
}
