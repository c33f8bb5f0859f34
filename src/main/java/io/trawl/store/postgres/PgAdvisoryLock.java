package io.trawl.store.postgres;

import io.trawl.store.StoreClaim;
import io.trawl.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crawl's exclusive claim on a PostgreSQL schema ({@link StoreClaim}): a session advisory lock
 * keyed by the database and schema, on a connection of its own held for the crawl. The server
 * releases it when that connection ends, so a crawl killed with {@code kill -9} leaves no stale
 * lock. The nodes of a cluster crawl take it shared. Main thread.
 */
final class PgAdvisoryLock implements StoreClaim {
  private static final Logger log = LoggerFactory.getLogger(PgAdvisoryLock.class);
  private static final String TRY_LOCK =
      "SELECT pg_try_advisory_lock(hashtext('trawl.crawl'), hashtext(current_database() || '.' || ?))";
  private static final String UNLOCK =
      "SELECT pg_advisory_unlock(hashtext('trawl.crawl'), hashtext(current_database() || '.' || ?))";
  /** The same lock, shared by the nodes of a cluster crawl: a crawl on one machine cannot take it meanwhile. */
  private static final String TRY_LOCK_SHARED =
      "SELECT pg_try_advisory_lock_shared(hashtext('trawl.crawl'), hashtext(current_database() || '.' || ?))";
  private static final String UNLOCK_SHARED =
      "SELECT pg_advisory_unlock_shared(hashtext('trawl.crawl'), hashtext(current_database() || '.' || ?))";

  private final Connection conn;
  private final PgConnector connector;
  private final boolean shared;

  private PgAdvisoryLock(Connection conn, PgConnector connector, boolean shared) {
    this.conn = conn;
    this.connector = connector;
    this.shared = shared;
  }

  static PgAdvisoryLock take(PgConnector connector) {
    return take(connector, false);
  }

  /**
   * @param shared for a node of a cluster crawl: the nodes share the claim, and a crawl on one
   *     machine is refused while any node holds it, as a node is while such a crawl runs
   */
  static PgAdvisoryLock take(PgConnector connector, boolean shared) {
    Connection conn = connector.open(false);
    try (PreparedStatement stmt = conn.prepareStatement(shared ? TRY_LOCK_SHARED : TRY_LOCK)) {
      stmt.setString(1, connector.schema());
      boolean locked;
      try (ResultSet rs = stmt.executeQuery()) {
        locked = rs.next() && rs.getBoolean(1);
      }
      if (!locked) {
        conn.close();
        throw new StoreException(StoreException.Kind.BUSY, connector.display()
            + (shared ? ": a crawl that is not a cluster crawl is running on this database and schema; "
                : ": another crawl is running on this database and schema; ")
            + "wait for it to end or stop it, or use --db-schema for another schema");
      }
      return new PgAdvisoryLock(conn, connector, shared);
    } catch (SQLException e) {
      try {
        conn.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw connector.failed("claim the database for this crawl", e);
    }
  }

  /**
   * Unlocks, then closes the connection. Closing alone would free the lock only once the server
   * has ended the connection's backend, some time after this returns: a crawl started right
   * after this one (a resume) could find its schema still claimed.
   */
  @Override
  public void close() {
    try (Connection held = conn; PreparedStatement stmt = held.prepareStatement(shared ? UNLOCK_SHARED : UNLOCK)) {
      stmt.setString(1, connector.schema());
      stmt.execute();
    } catch (SQLException e) {
      log.warn("releasing the crawl's lock failed db={}", connector.display(), e);
    }
  }
}
