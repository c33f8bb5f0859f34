package io.trawl.store.postgres;

import io.trawl.store.ClusterLedger;
import io.trawl.store.CrawlHistory;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreClaim;
import io.trawl.store.StoreException;
import io.trawl.store.StoreReader;
import io.trawl.store.StoreWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A crawl's database in a PostgreSQL schema ({@code crawl.db_schema}, default {@code public}):
 * the same tables as the SQLite file, written by one connection on the store's writer thread with
 * the driver (pgjdbc), read by read-only connections. For teams that run PostgreSQL already, and
 * for a crawl spread over several machines. Blocking: the writer thread or the command line's main
 * thread.
 */
public final class PostgresBackend implements StoreBackend {
  private final PgConnector connector;

  PostgresBackend(PgConnector connector) {
    this.connector = connector;
  }

  /**
   * @param url a {@code postgresql://} or {@code postgres://} URL
   * @param schema the schema of the tables, created if missing
   * @throws StoreException {@link StoreException.Kind#BAD_LOCATION} for a URL it cannot read
   */
  public static PostgresBackend of(String url, String schema) {
    return new PostgresBackend(new PgConnector(PgUrl.parse(url), schema));
  }

  @Override
  public String display() {
    return connector.display();
  }

  @Override
  public StoreClaim claim() {
    return PgAdvisoryLock.take(connector);
  }

  @Override
  public StoreWriter openWriter(boolean requeueInFlight) {
    return PostgresWriter.open(connector, requeueInFlight, null, 0);
  }

  @Override
  public StoreClaim claimForCluster() {
    return PgAdvisoryLock.take(connector, true);
  }

  @Override
  public StoreWriter openNodeWriter(String node, long leaseMs) {
    return PostgresWriter.open(connector, false, node, leaseMs);
  }

  @Override
  public ClusterLedger openClusterLedger(String node, String address, long leaseMs) {
    return new PostgresClusterLedger(connector, node, address, leaseMs);
  }

  @Override
  public CrawlHistory history() {
    try (Connection conn = connector.open(true); Statement stmt = conn.createStatement()) {
      if (!PostgresCatalog.tableExists(conn, connector.schema(), "crawls")) {
        return CrawlHistory.NONE;
      }
      String lastConfig = null;
      try (ResultSet rs = stmt.executeQuery("SELECT config FROM crawls ORDER BY id DESC LIMIT 1")) {
        if (rs.next()) {
          lastConfig = rs.getString(1);
        }
      }
      long pending;
      try (ResultSet rs = stmt.executeQuery("SELECT count(*) FROM frontier WHERE state IN ('queued', 'in_flight')")) {
        pending = rs.next() ? rs.getLong(1) : 0;
      }
      return new CrawlHistory(lastConfig != null, pending, lastConfig);
    } catch (SQLException e) {
      throw connector.failed("read the earlier crawls", e);
    }
  }

  /** Drops trawl's tables and its host() function in one transaction; the schema and anything else in it stay. */
  @Override
  public void wipe() {
    try (Connection conn = connector.open(false); Statement stmt = conn.createStatement()) {
      conn.setAutoCommit(false);
      if (PostgresMigrator.schemaExists(conn, connector.schema())) {
        String schema = PostgresMigrator.quoted(connector.schema());
        if (PostgresCatalog.viewExists(conn, connector.schema(), "links")) {
          stmt.execute("DROP VIEW " + schema + ".links");
        }
        for (String table : PostgresSchema.TABLES) {
          stmt.execute("DROP TABLE IF EXISTS " + schema + "." + table);
        }
        stmt.execute("DROP FUNCTION IF EXISTS " + schema + ".host(text)");
      }
      conn.commit();
    } catch (SQLException e) {
      throw connector.failed("drop the tables of the earlier crawl", e);
    }
  }

  @Override
  public StoreReader openReader() {
    return PostgresReader.open(connector);
  }

  @Override
  public String toString() {
    return display();
  }
}
