package io.trawl.store.postgres;

import io.trawl.store.StoreWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** The frontier rows a stopped run left {@code in_flight}, and what a new run does with them. */
final class InFlightRows {
  private InFlightRows() {}

  /**
   * Puts the rows an abnormally stopped run left {@code in_flight} back in the queue, each one
   * counting that stop; one in flight in {@value StoreWriter#MAX_CRASHES} of them fails instead,
   * with error {@code crashed}, as SQLite's writer does. One transaction, on the connection of the
   * writer that opens the crawl (or of the cluster ledger taking over a node's rows); blocking.
   */
  static void requeue(Connection conn) throws SQLException {
    try (Statement stmt = conn.createStatement();
        PreparedStatement storeCrashed = conn.prepareStatement(PostgresSql.STORE_CRASHED);
        PreparedStatement versionCrashed = conn.prepareStatement(PostgresSql.VERSION_CRASHED);
        PreparedStatement failCrashed = conn.prepareStatement(PostgresSql.FAIL_CRASHED)) {
      stmt.executeUpdate(PostgresSql.COUNT_CRASH);
      String now = Instant.now().toString();
      storeCrashed.setString(1, now);
      storeCrashed.setInt(2, StoreWriter.MAX_CRASHES);
      storeCrashed.executeUpdate();
      versionCrashed.setString(1, now);
      versionCrashed.setInt(2, StoreWriter.MAX_CRASHES);
      versionCrashed.executeUpdate();
      failCrashed.setInt(1, StoreWriter.MAX_CRASHES);
      failCrashed.executeUpdate();
      stmt.executeUpdate(PostgresSql.REQUEUE_IN_FLIGHT);
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      throw e;
    }
  }
}
