package io.trawl.store.postgres;

import io.trawl.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A node of a cluster crawl commits a batch only while its {@code crawl_nodes} row says it is
 * one: the batch's first statement ({@link #SQL}) reads that row {@code FOR SHARE}, so the
 * survivors' eviction of the node (an update of the row, once its lease has run out) waits for the
 * batch's commit, or the batch finds the node evicted and is rolled back. Pages a node fetched after
 * it was evicted (cut off for longer than {@code cluster.lease}) are never written beside the new
 * owner's. Outside a cluster (no node) the fence is open and costs nothing. On the store's writer
 * thread, on the writer's connection.
 */
final class NodeFence {
  /** The fence's statement: a row while the node is one of the crawl. */
  static final String SQL = "SELECT 1 FROM crawl_nodes WHERE node = ? AND left_at IS NULL FOR SHARE";

  private final Connection conn;
  private final PgConnector connector;
  /** The node of a cluster crawl fenced, or null for a crawl on one machine. */
  private final String node;

  NodeFence(Connection conn, PgConnector connector, String node) {
    this.conn = conn;
    this.connector = connector;
    this.node = node;
  }

  /** Whether writes are fenced: in a cluster. */
  boolean active() {
    return node != null;
  }

  /**
   * The fence of a write outside a batch (a sitemap's schedule, URLs added, the cookies): in a
   * cluster, the transaction's first statement, as in a batch; nothing on one machine.
   */
  void check() throws SQLException {
    if (node == null) {
      return;
    }
    try (PreparedStatement stmt = conn.prepareStatement(SQL)) {
      stmt.setString(1, node);
      try (ResultSet rs = stmt.executeQuery()) {
        checkResult(rs);
      }
    }
  }

  /** Reads the fence's answer: rolls the transaction back and throws when the node was evicted. */
  void checkResult(ResultSet rs) throws SQLException {
    if (!rs.next()) {
      conn.rollback();
      throw evicted();
    }
  }

  private StoreException evicted() {
    return new StoreException(StoreException.Kind.FAILED, connector.display() + ": node " + node
        + " is no longer part of the cluster crawl (no lease renewed for longer than cluster.lease, so its hosts "
        + "moved to other nodes); the pages it had in flight are left to them");
  }

  /**
   * A cluster node's session: the server ends a transaction of it left open and idle for longer
   * than {@code ms}, and the session with it. A node frozen or cut off between a batch's statements
   * and its commit holds the {@code FOR SHARE} lock of its fence, which the others' eviction of it
   * waits for; without this it would wait until the lost connection's TCP timeout (hours). Ended
   * after a lease, the transaction is rolled back, the eviction goes on, and the node, back, finds
   * its session gone and its crawl failed. A healthy node's transactions are idle for microseconds:
   * each sends its statements and commits at once.
   */
  static void endIdleTransactionsAfter(Connection conn, long ms) throws SQLException {
    try (Statement stmt = conn.createStatement()) {
      stmt.execute("SET idle_in_transaction_session_timeout = " + Math.max(1, ms));
    }
    conn.commit();
  }
}
