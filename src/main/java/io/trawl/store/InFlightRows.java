package io.trawl.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * The frontier rows a stopped run left {@code in_flight} (a crash, kill or out of memory; or a
 * graceful stop whose grace ran out), and what the next run does with them: the same statements
 * on SQLite and PostgreSQL, as {@link CookieSql}, but for the requeue itself, which each dialect
 * gives. Blocking, on the connection of the writer that opens the crawl (or of the cluster ledger starting one).
 */
public final class InFlightRows {
  /** The stop counted on each row in flight at it. */
  private static final String COUNT_CRASH = "UPDATE frontier SET crashes = crashes + 1 WHERE state = 'in_flight'";
  /**
   * The pages row of each in-flight URL that was in flight in {@code ?} abnormal stops (error
   * {@code crashed}), charged to the last run, the one that stopped; then {@link #FAIL_CRASHED}.
   */
  private static final String STORE_CRASHED =
      """
      INSERT INTO pages (url, final_url, status, content_type, depth, title, fetched_at, elapsed_ms,
                         bytes, content_hash, attempts, error, crawl_id)
      SELECT url, NULL, NULL, NULL, depth, NULL, ?, 0, 0, NULL, attempts, 'crashed', (SELECT max(id) FROM crawls)
      FROM frontier WHERE state = 'in_flight' AND crashes >= ?
      ON CONFLICT (url) DO UPDATE SET
        final_url = excluded.final_url, status = excluded.status, content_type = excluded.content_type,
        depth = excluded.depth, title = excluded.title, fetched_at = excluded.fetched_at,
        elapsed_ms = excluded.elapsed_ms, bytes = excluded.bytes, content_hash = excluded.content_hash,
        attempts = excluded.attempts, error = excluded.error, crawl_id = excluded.crawl_id""";
  /** Their page_versions rows, as failures, before {@link #FAIL_CRASHED}. */
  private static final String VERSION_CRASHED =
      """
      INSERT INTO page_versions (url, crawl_id, fetched_at, status, bytes, error, change)
      SELECT url, (SELECT max(id) FROM crawls), ?, NULL, 0, 'crashed', 'failed'
      FROM frontier WHERE state = 'in_flight' AND crashes >= ?""";
  private static final String FAIL_CRASHED =
      "UPDATE frontier SET state = 'failed' WHERE state = 'in_flight' AND crashes >= ?";

  /**
   * The outcome of the last run. One recorded as {@code interrupted} stopped gracefully (Ctrl-C,
   * SIGTERM, {@code --stop}) and left in flight only the pages its grace gave up on: no crash.
   */
  private static final String LAST_OUTCOME = "SELECT outcome FROM crawls ORDER BY id DESC LIMIT 1";

  private InFlightRows() {}

  /**
   * Puts the rows an abnormally stopped run left {@code in_flight} back in the queue, each one
   * counting that stop; a row that was in flight in {@value StoreWriter#MAX_CRASHES} of them fails
   * instead, with error {@code crashed}, so that a page which takes the JVM down is not fetched on
   * every {@code --resume}. The rows a graceful stop left (the last run recorded as
   * {@code interrupted}) go back without counting anything. One transaction, committed; rolled
   * back on failure.
   *
   * @param requeueInFlight the dialect's statement that puts every in-flight row back in the queue
   */
  public static void requeue(Connection conn, String requeueInFlight) throws SQLException {
    try (Statement stmt = conn.createStatement();
        PreparedStatement storeCrashed = conn.prepareStatement(STORE_CRASHED);
        PreparedStatement versionCrashed = conn.prepareStatement(VERSION_CRASHED);
        PreparedStatement failCrashed = conn.prepareStatement(FAIL_CRASHED)) {
      if (!stoppedGracefully(stmt)) {
        stmt.executeUpdate(COUNT_CRASH);
        String now = Instant.now().toString();
        storeCrashed.setString(1, now);
        storeCrashed.setInt(2, StoreWriter.MAX_CRASHES);
        storeCrashed.executeUpdate();
        versionCrashed.setString(1, now);
        versionCrashed.setInt(2, StoreWriter.MAX_CRASHES);
        versionCrashed.executeUpdate();
        failCrashed.setInt(1, StoreWriter.MAX_CRASHES);
        failCrashed.executeUpdate();
      }
      stmt.executeUpdate(requeueInFlight);
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      throw e;
    }
  }

  private static boolean stoppedGracefully(Statement stmt) throws SQLException {
    try (ResultSet rs = stmt.executeQuery(LAST_OUTCOME)) {
      return rs.next() && "interrupted".equals(rs.getString(1));
    }
  }
}
