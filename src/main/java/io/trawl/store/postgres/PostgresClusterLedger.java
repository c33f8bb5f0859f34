package io.trawl.store.postgres;

import io.trawl.core.HostPartitions;
import io.trawl.store.ClusterLedger;
import io.trawl.store.ClusterStats;
import io.trawl.store.InFlightRows;
import io.trawl.store.RunKind;
import io.trawl.store.StoreException;
import io.vertx.core.json.JsonObject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link ClusterLedger} on PostgreSQL. Times are the server's ({@code clock_timestamp()}, in
 * epoch millis in {@code crawl_nodes.lease_until}), so the nodes' clocks never need to agree; a
 * node counts its own lease from when it sent the renewal, which is earlier than the server's
 * time, so it always sees its lease end first. Changes of ownership take a transaction-scoped
 * advisory lock, so they happen one at a time. One connection; blocking; the cluster worker
 * thread (or the main thread while the node starts).
 */
final class PostgresClusterLedger implements ClusterLedger {
  private static final String NOW_MS = "floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint";
  private static final String LOCK_START =
      "SELECT pg_advisory_lock(hashtext('trawl.cluster.start'), hashtext(current_database() || '.' || ?))";
  private static final String UNLOCK_START =
      "SELECT pg_advisory_unlock(hashtext('trawl.cluster.start'), hashtext(current_database() || '.' || ?))";
  private static final String LOCK_OWNERS =
      "SELECT pg_advisory_xact_lock(hashtext('trawl.cluster.owners'), hashtext(current_database() || '.' || ?))";
  private static final String LIVE_CRAWL =
      "SELECT crawl_id FROM crawl_nodes WHERE left_at IS NULL AND lease_until > " + NOW_MS + " ORDER BY joined_at LIMIT 1";
  private static final String INSERT_NODE =
      "INSERT INTO crawl_nodes (node, crawl_id, address, joined_at, lease_until, pages_before) VALUES (?, ?, ?, ?, "
          + NOW_MS + " + ?, ?)";
  private static final String STARTED_AT = "SELECT started_at FROM crawls WHERE id = ?";
  private static final String STARTED_AT_AND_SCOPE = "SELECT started_at, scope FROM crawls WHERE id = ?";
  /** Nodes of earlier runs that never left (killed): none of them holds a lease, or a crawl would be running. */
  private static final String EVICT_ALL =
      "UPDATE crawl_nodes SET left_at = ?, outcome = 'lost' WHERE left_at IS NULL AND lease_until <= " + NOW_MS;
  private static final String FREE_PARTITIONS =
      """
      INSERT INTO crawl_partitions (partition, node) SELECT generate_series(0, ? - 1), NULL
      ON CONFLICT (partition) DO UPDATE SET node = NULL""";
  /** Pages stored by the runs of the current pass, as the writers count them toward crawl.max_pages. */
  private static final String COUNT_FINISHED =
      """
      SELECT count(*) FROM pages
      WHERE crawl_id IS NULL
         OR crawl_id >= (SELECT coalesce(max(id), 0) FROM crawls WHERE kind IS NULL OR kind <> 'resume')""";
  /** The first node's seeds, as its writer adds them (which it does again, finding them there). */
  private static final String INSERT_SEEDS =
      """
      INSERT INTO frontier (url, depth, partition)
      SELECT u, 0, p FROM unnest(?::text[], ?::int[]) WITH ORDINALITY AS v(u, p, n) ORDER BY n
      ON CONFLICT (url) DO NOTHING""";
  private static final String OPEN_CRAWL =
      "INSERT INTO crawls (started_at, config, kind, scope) VALUES (?, ?, ?, ?) RETURNING id";
  private static final String SERVER_NOW = "SELECT " + NOW_MS;
  private static final String RENEW =
      "UPDATE crawl_nodes SET lease_until = " + NOW_MS + " + ? WHERE node = ? AND left_at IS NULL RETURNING stop, "
          + NOW_MS;
  private static final String LIVE_NODES =
      "SELECT node FROM crawl_nodes WHERE crawl_id = ? AND left_at IS NULL AND lease_until > " + NOW_MS + " ORDER BY node";
  /** Nodes whose lease ran out; a node that reserved pages keeps as many as it stored. */
  private static final String EVICT_EXPIRED =
      """
      UPDATE crawl_nodes n SET left_at = ?, outcome = 'lost',
        reserved = CASE WHEN n.reserved > 0 THEN (SELECT count(*) FROM pages p WHERE p.node = n.node) ELSE 0 END
      WHERE left_at IS NULL AND lease_until < %s RETURNING node""".formatted(NOW_MS);
  private static final String TAKE =
      """
      UPDATE crawl_partitions p SET node = ? WHERE partition = ANY(?::int[])
        AND (p.node IS NULL OR p.node = ? OR NOT EXISTS (
          SELECT 1 FROM crawl_nodes n WHERE n.node = p.node AND n.left_at IS NULL))
      RETURNING partition""";
  private static final String REQUEUE_TAKEN =
      """
      UPDATE frontier SET state = 'queued', node = NULL
      WHERE partition = ANY(?::int[]) AND state = 'in_flight' AND node IS DISTINCT FROM ?""";
  private static final String RELEASE = "UPDATE crawl_partitions SET node = NULL WHERE partition = ANY(?::int[]) AND node = ?";
  private static final String OWNED = "SELECT partition FROM crawl_partitions WHERE node = ? ORDER BY partition";
  private static final String LOCK_BUDGET =
      "SELECT pg_advisory_xact_lock(hashtext('trawl.cluster.budget'), hashtext(current_database() || '.' || ?))";
  private static final String BUDGET_USED =
      "SELECT coalesce(sum(reserved + pages_before), 0) FROM crawl_nodes WHERE crawl_id = ?";
  private static final String ADD_RESERVED = "UPDATE crawl_nodes SET reserved = reserved + ? WHERE node = ?";
  private static final String FRONTIER_BUSY =
      "SELECT EXISTS (SELECT 1 FROM frontier WHERE state IN ('queued', 'in_flight'))";
  private static final String FREE_MINE = "UPDATE crawl_partitions SET node = NULL WHERE node = ?";
  private static final String LEAVE =
      """
      UPDATE crawl_nodes n SET left_at = ?, outcome = ?,
        reserved = CASE WHEN n.reserved > 0 THEN (SELECT count(*) FROM pages p WHERE p.node = n.node) ELSE 0 END
      WHERE node = ?""";
  private static final String OTHERS_LIVE =
      "SELECT count(*) FROM crawl_nodes WHERE crawl_id = ? AND left_at IS NULL AND node <> ? AND lease_until > " + NOW_MS;
  private static final String STILL_MEMBER = "SELECT left_at IS NULL FROM crawl_nodes WHERE node = ?";
  /** The crawl's row, locked, with what the nodes that left before added to its stats. */
  private static final String CRAWL_STATS = "SELECT stats FROM crawls WHERE id = ? FOR UPDATE";
  private static final String SAVE_STATS = "UPDATE crawls SET stats = ? WHERE id = ?";
  private static final String CRAWL_COUNTS =
      "SELECT count(*), count(error), count(DISTINCT host(url)) FROM pages WHERE crawl_id = ?";
  private static final String FRONTIER_LEFT =
      "SELECT count(*) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'in_flight') FROM frontier "
          + "WHERE state IN ('queued', 'in_flight')";
  private static final String NODE_COUNT = "SELECT count(*) FROM crawl_nodes WHERE crawl_id = ?";
  private static final String CLOSE_CRAWL =
      "UPDATE crawls SET finished_at = ?, outcome = ?, stats = ? WHERE id = ? AND finished_at IS NULL";
  private static final String ASK_STOP =
      "UPDATE crawl_nodes SET stop = true WHERE left_at IS NULL AND lease_until > " + NOW_MS + " RETURNING node";
  private static final String STILL_RUNNING =
      "SELECT node FROM crawl_nodes WHERE node = ANY(?::text[]) AND left_at IS NULL AND lease_until > " + NOW_MS;

  private final PgConnector connector;
  private final String node;
  private final String address;
  private final long leaseMs;
  private Connection conn;
  private long crawlId = -1;

  /**
   * @param node this node's id, unique to this run of it; null for a ledger that only asks to stop
   * @param address where the other nodes reach it, for {@code crawl_nodes.address}
   */
  PostgresClusterLedger(PgConnector connector, String node, String address, long leaseMs) {
    this.connector = connector;
    this.node = node;
    this.address = address;
    this.leaseMs = leaseMs;
  }

  @Override
  public long lockAndFindLiveCrawl() {
    try {
      Connection c = connection();
      PostgresMigrator.migrate(c, connector);
      try (PreparedStatement lock = c.prepareStatement(LOCK_START)) {
        lock.setString(1, connector.schema());
        lock.executeQuery().close();
      }
      c.commit();
      try (PreparedStatement live = c.prepareStatement(LIVE_CRAWL); ResultSet rs = live.executeQuery()) {
        long id = rs.next() ? rs.getLong(1) : -1;
        c.commit();
        return id;
      }
    } catch (SQLException e) {
      throw failed("find the cluster crawl to join", e);
    }
  }

  @Override
  public Entry join(long crawlId) {
    try {
      Connection c = connection();
      insertNode(c, crawlId, 0);
      long startedAt = System.currentTimeMillis();
      String scope = null;
      try (PreparedStatement stmt = c.prepareStatement(STARTED_AT_AND_SCOPE)) {
        stmt.setLong(1, crawlId);
        try (ResultSet rs = stmt.executeQuery()) {
          if (rs.next()) {
            startedAt = Instant.parse(rs.getString(1)).toEpochMilli();
            scope = rs.getString(2);
          }
        }
      }
      c.commit();
      this.crawlId = crawlId;
      unlockStart();
      return new Entry(crawlId, startedAt, false, scope);
    } catch (SQLException e) {
      throw failed("join the cluster crawl", e);
    }
  }

  @Override
  public Entry start(String configJson, boolean requeueInFlight, List<String> seeds, String scopeJson) {
    try {
      Connection c = connection();
      PostgresMigrator.migrate(c, connector);
      String now = Instant.ofEpochMilli(serverNowMs(c)).toString();
      try (PreparedStatement evict = c.prepareStatement(EVICT_ALL); PreparedStatement free = c.prepareStatement(FREE_PARTITIONS)) {
        evict.setString(1, now);
        evict.executeUpdate();
        free.setInt(1, HostPartitions.COUNT);
        free.executeUpdate();
      }
      if (requeueInFlight) {
        c.commit();
        InFlightRows.requeue(c, PostgresSql.REQUEUE_IN_FLIGHT);
      }
      long finished;
      try (PreparedStatement count = c.prepareStatement(COUNT_FINISHED); ResultSet rs = count.executeQuery()) {
        finished = rs.next() ? rs.getLong(1) : 0;
      }
      long id;
      try (PreparedStatement open = c.prepareStatement(OPEN_CRAWL)) {
        open.setString(1, now);
        open.setString(2, configJson);
        open.setString(3, (requeueInFlight ? RunKind.RESUME : RunKind.CRAWL).column());
        open.setString(4, scopeJson);
        try (ResultSet rs = open.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      insertNode(c, id, finished);
      try (PreparedStatement insert = c.prepareStatement(INSERT_SEEDS)) {
        insert.setArray(1, c.createArrayOf("text", seeds.toArray(new String[0])));
        insert.setArray(2, c.createArrayOf("int4", seeds.stream().map(HostPartitions::ofUrl).toArray(Integer[]::new)));
        insert.executeUpdate();
      }
      c.commit();
      this.crawlId = id;
      unlockStart();
      return new Entry(id, Instant.parse(now).toEpochMilli(), true, scopeJson);
    } catch (SQLException e) {
      throw failed("start the cluster crawl", e);
    }
  }

  private static long serverNowMs(Connection c) throws SQLException {
    try (PreparedStatement stmt = c.prepareStatement(SERVER_NOW); ResultSet rs = stmt.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void insertNode(Connection c, long crawl, long pagesBefore) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(INSERT_NODE)) {
      insert.setString(1, node);
      insert.setLong(2, crawl);
      insert.setString(3, address);
      insert.setString(4, Instant.now().toString());
      insert.setLong(5, leaseMs);
      insert.setLong(6, pagesBefore);
      insert.executeUpdate();
    }
  }

  @Override
  public void unlockStart() {
    try {
      Connection c = connection();
      try (PreparedStatement unlock = c.prepareStatement(UNLOCK_START)) {
        unlock.setString(1, connector.schema());
        unlock.executeQuery().close();
      }
      c.commit();
    } catch (SQLException e) {
      throw failed("let the next node join", e);
    }
  }

  @Override
  public Renewal renew() {
    try {
      Connection c = connection();
      boolean stop;
      long serverNowMs;
      try (PreparedStatement renew = c.prepareStatement(RENEW)) {
        renew.setLong(1, leaseMs);
        renew.setString(2, node);
        try (ResultSet rs = renew.executeQuery()) {
          if (!rs.next()) {
            c.rollback();
            throw evicted();
          }
          stop = rs.getBoolean(1);
          serverNowMs = rs.getLong(2);
        }
      }
      Set<String> live = new LinkedHashSet<>();
      try (PreparedStatement nodes = c.prepareStatement(LIVE_NODES)) {
        nodes.setLong(1, crawlId);
        try (ResultSet rs = nodes.executeQuery()) {
          while (rs.next()) {
            live.add(rs.getString(1));
          }
        }
      }
      c.commit();
      return new Renewal(stop, live, serverNowMs);
    } catch (SQLException e) {
      throw failed("renew this node's lease", e);
    }
  }

  @Override
  public Acquired acquire(List<Integer> wanted) {
    try {
      Connection c = connection();
      lockOwners(c);
      List<String> evicted = new ArrayList<>();
      try (PreparedStatement evict = c.prepareStatement(EVICT_EXPIRED)) {
        evict.setString(1, Instant.now().toString());
        try (ResultSet rs = evict.executeQuery()) {
          while (rs.next()) {
            evicted.add(rs.getString(1));
          }
        }
      }
      List<Integer> taken = new ArrayList<>();
      try (PreparedStatement take = c.prepareStatement(TAKE)) {
        take.setString(1, node);
        take.setArray(2, ints(c, wanted));
        take.setString(3, node);
        try (ResultSet rs = take.executeQuery()) {
          while (rs.next()) {
            taken.add(rs.getInt(1));
          }
        }
      }
      int requeued = 0;
      if (!taken.isEmpty()) {
        try (PreparedStatement requeue = c.prepareStatement(REQUEUE_TAKEN)) {
          requeue.setArray(1, ints(c, taken));
          requeue.setString(2, node);
          requeued = requeue.executeUpdate();
        }
      }
      c.commit();
      taken.sort(null);
      return new Acquired(taken, evicted, requeued);
    } catch (SQLException e) {
      throw failed("take over host partitions", e);
    }
  }

  @Override
  public void release(List<Integer> partitions) {
    try {
      Connection c = connection();
      lockOwners(c);
      try (PreparedStatement release = c.prepareStatement(RELEASE)) {
        release.setArray(1, ints(c, partitions));
        release.setString(2, node);
        release.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      throw failed("hand over host partitions", e);
    }
  }

  @Override
  public List<Integer> owned() {
    try {
      Connection c = connection();
      List<Integer> owned = new ArrayList<>();
      try (PreparedStatement stmt = c.prepareStatement(OWNED)) {
        stmt.setString(1, node);
        try (ResultSet rs = stmt.executeQuery()) {
          while (rs.next()) {
            owned.add(rs.getInt(1));
          }
        }
      }
      c.commit();
      return owned;
    } catch (SQLException e) {
      throw failed("read this node's partitions", e);
    }
  }

  @Override
  public long reserve(long wanted, long maxPages) {
    try {
      Connection c = connection();
      try (PreparedStatement lock = c.prepareStatement(LOCK_BUDGET)) {
        lock.setString(1, connector.schema());
        lock.executeQuery().close();
      }
      long used;
      try (PreparedStatement sum = c.prepareStatement(BUDGET_USED)) {
        sum.setLong(1, crawlId);
        try (ResultSet rs = sum.executeQuery()) {
          used = rs.next() ? rs.getLong(1) : 0;
        }
      }
      long granted = Math.max(0, Math.min(wanted, maxPages - used));
      if (granted > 0) {
        try (PreparedStatement add = c.prepareStatement(ADD_RESERVED)) {
          add.setLong(1, granted);
          add.setString(2, node);
          add.executeUpdate();
        }
      }
      c.commit();
      return granted;
    } catch (SQLException e) {
      throw failed("reserve pages of crawl.max_pages", e);
    }
  }

  @Override
  public boolean frontierDone() {
    try {
      Connection c = connection();
      boolean busy;
      try (PreparedStatement stmt = c.prepareStatement(FRONTIER_BUSY); ResultSet rs = stmt.executeQuery()) {
        busy = rs.next() && rs.getBoolean(1);
      }
      c.commit();
      return !busy;
    } catch (SQLException e) {
      throw failed("check whether the cluster crawl is over", e);
    }
  }

  @Override
  public boolean leave(String outcome, String crawlOutcome, String stopReason, JsonObject share) {
    try {
      Connection c = connection();
      lockOwners(c);
      String now = Instant.now().toString();
      JsonObject stats = addShare(c, share);
      try (PreparedStatement free = c.prepareStatement(FREE_MINE); PreparedStatement leave = c.prepareStatement(LEAVE)) {
        free.setString(1, node);
        free.executeUpdate();
        leave.setString(1, now);
        leave.setString(2, outcome);
        leave.setString(3, node);
        leave.executeUpdate();
      }
      long others;
      try (PreparedStatement stmt = c.prepareStatement(OTHERS_LIVE)) {
        stmt.setLong(1, crawlId);
        stmt.setString(2, node);
        try (ResultSet rs = stmt.executeQuery()) {
          others = rs.next() ? rs.getLong(1) : 0;
        }
      }
      boolean last = others == 0;
      if (last) {
        closeCrawl(c, serverNowMs(c), crawlOutcome, stopReason, stats);
      }
      c.commit();
      return last;
    } catch (SQLException e) {
      throw failed("leave the cluster crawl", e);
    }
  }

  /**
   * Adds this node's share to the crawl's {@code crawls.stats} under the row's lock, in the
   * transaction that marks the node gone, so no other node's share is lost and this one counts
   * once; returns the stats as they are now. A node evicted before it left adds nothing: its late
   * pages were refused and fetched again by the others, who counted them.
   */
  private JsonObject addShare(Connection c, JsonObject share) throws SQLException {
    boolean member;
    try (PreparedStatement stmt = c.prepareStatement(STILL_MEMBER)) {
      stmt.setString(1, node);
      try (ResultSet rs = stmt.executeQuery()) {
        member = rs.next() && rs.getBoolean(1);
      }
    }
    JsonObject stats;
    try (PreparedStatement stmt = c.prepareStatement(CRAWL_STATS)) {
      stmt.setLong(1, crawlId);
      try (ResultSet rs = stmt.executeQuery()) {
        String json = rs.next() ? rs.getString(1) : null;
        stats = json == null ? new JsonObject() : new JsonObject(json);
      }
    }
    if (!member || share == null) {
      return stats;
    }
    stats = ClusterStats.merge(stats, share);
    try (PreparedStatement save = c.prepareStatement(SAVE_STATS)) {
      save.setString(1, stats.encode());
      save.setLong(2, crawlId);
      save.executeUpdate();
    }
    return stats;
  }

  /**
   * The crawl's {@code crawls} row, closed with the nodes' shares and the crawl's figures: the pages
   * the whole cluster stored in this run and their hosts, what is left in the frontier, and its
   * pages a second over its whole duration (from its start, both ends on the server's clock).
   */
  private void closeCrawl(Connection c, long nowMs, String outcome, String stopReason, JsonObject shares)
      throws SQLException {
    long stored;
    long failed;
    long hosts;
    try (PreparedStatement counts = c.prepareStatement(CRAWL_COUNTS)) {
      counts.setLong(1, crawlId);
      try (ResultSet rs = counts.executeQuery()) {
        rs.next();
        stored = rs.getLong(1);
        failed = rs.getLong(2);
        hosts = rs.getLong(3);
      }
    }
    long queued;
    long inFlight;
    try (PreparedStatement left = c.prepareStatement(FRONTIER_LEFT); ResultSet rs = left.executeQuery()) {
      rs.next();
      queued = rs.getLong(1);
      inFlight = rs.getLong(2);
    }
    long nodes;
    try (PreparedStatement stmt = c.prepareStatement(NODE_COUNT)) {
      stmt.setLong(1, crawlId);
      try (ResultSet rs = stmt.executeQuery()) {
        rs.next();
        nodes = rs.getLong(1);
      }
    }
    long startedAtMs;
    try (PreparedStatement stmt = c.prepareStatement(STARTED_AT)) {
      stmt.setLong(1, crawlId);
      try (ResultSet rs = stmt.executeQuery()) {
        startedAtMs = rs.next() ? Instant.parse(rs.getString(1)).toEpochMilli() : nowMs;
      }
    }
    JsonObject stats = ClusterStats.close(shares, stored, failed, queued, inFlight, hosts,
        Math.max(0, nowMs - startedAtMs), nodes, stopReason);
    try (PreparedStatement close = c.prepareStatement(CLOSE_CRAWL)) {
      close.setString(1, Instant.ofEpochMilli(nowMs).toString());
      close.setString(2, outcome);
      close.setString(3, stats.encode());
      close.setLong(4, crawlId);
      close.executeUpdate();
    }
  }

  @Override
  public List<String> requestStop() {
    try {
      Connection c = connection();
      List<String> asked = new ArrayList<>();
      try (PreparedStatement stmt = c.prepareStatement(ASK_STOP); ResultSet rs = stmt.executeQuery()) {
        while (rs.next()) {
          asked.add(rs.getString(1));
        }
      }
      c.commit();
      return asked;
    } catch (SQLException e) {
      throw failed("ask the cluster crawl to stop", e);
    }
  }

  @Override
  public List<String> stillRunning(List<String> nodes) {
    try {
      Connection c = connection();
      List<String> running = new ArrayList<>();
      try (PreparedStatement stmt = c.prepareStatement(STILL_RUNNING)) {
        stmt.setArray(1, c.createArrayOf("text", nodes.toArray(new String[0])));
        try (ResultSet rs = stmt.executeQuery()) {
          while (rs.next()) {
            running.add(rs.getString(1));
          }
        }
      }
      c.commit();
      return running;
    } catch (SQLException e) {
      throw failed("read which nodes are still running", e);
    }
  }

  @Override
  public void close() {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException e) {
        throw connector.failed("close the cluster's connection", e);
      } finally {
        conn = null;
      }
    }
  }

  /** The connection, opened again after one was lost (the next renewal or takeover then just works). */
  private Connection connection() throws SQLException {
    if (conn != null && conn.isClosed()) {
      conn = null;
    }
    if (conn == null) {
      conn = connector.open(false);
      conn.setAutoCommit(false);
      if (node != null) {
        NodeFence.endIdleTransactionsAfter(conn, leaseMs); // as the node's writer's
      }
    }
    return conn;
  }

  private void lockOwners(Connection c) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement(LOCK_OWNERS)) {
      lock.setString(1, connector.schema());
      lock.executeQuery().close();
    }
  }

  private static Array ints(Connection c, List<Integer> values) throws SQLException {
    return c.createArrayOf("int4", values.toArray(new Integer[0]));
  }

  private StoreException evicted() {
    return new StoreException(StoreException.Kind.FAILED, connector.display() + ": node " + node
        + " was evicted from the cluster crawl (its lease ran out: cut off from the database for longer than "
        + "cluster.lease, or paused that long); its hosts moved to other nodes");
  }

  /** Rolls back what the failed statement left open, and says what failed. */
  private StoreException failed(String what, SQLException e) {
    if (conn != null) {
      try {
        conn.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
        try {
          conn.close();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        }
        conn = null;
      }
    }
    return connector.failed(what, e);
  }
}
