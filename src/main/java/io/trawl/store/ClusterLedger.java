package io.trawl.store;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * What the nodes of a cluster crawl agree on through the database they share: which nodes take
 * part ({@code crawl_nodes}, each with a lease it renews), which node owns which host partition
 * ({@code crawl_partitions}), the page budget of {@code crawl.max_pages}, and a request to stop.
 * The database is the arbiter: a node hands out a partition's URLs only while the row says it owns
 * the partition and its own lease holds, and takes a partition from another node only once that
 * node has released it or its lease has run out (then it is evicted, and the rows it had in flight
 * go back to the queue). The membership the nodes see of each other (Hazelcast) only says who
 * should own what; this says who may.
 *
 * <p>One connection of its own, so that renewing the lease never waits behind a batch of pages.
 * Every method blocks: call them on the cluster's own worker thread or the command line's main
 * thread, never on an event loop. Failures are {@link StoreException}s naming the database.
 */
public interface ClusterLedger extends AutoCloseable {
  /**
   * How a node entered the crawl.
   *
   * @param crawlId the {@code crawls} row of the cluster crawl
   * @param startedAtMs when the crawl started (its first node opened the {@code crawls} row), epoch
   *     millis of the database server's clock
   * @param first whether this node started it (seeded it, and opened the {@code crawls} row)
   * @param scope the crawl's scope as its first node recorded it ({@code crawls.scope}, JSON), which
   *     every node judges URLs by; null for a crawl started by a trawl before schema version 10
   */
  record Entry(long crawlId, long startedAtMs, boolean first, String scope) {}

  /**
   * A renewed lease.
   *
   * @param stop {@code trawl crawl --cluster --stop} asked the crawl to stop
   * @param liveNodes the nodes of this crawl whose leases hold, this one included
   * @param serverNowMs the database server's clock when it renewed the lease, epoch millis
   */
  record Renewal(boolean stop, Set<String> liveNodes, long serverNowMs) {}

  /**
   * Partitions taken.
   *
   * @param partitions the partitions this node now owns of those it asked for (those it owned already included)
   * @param evicted nodes whose lease had run out, now marked {@code lost}
   * @param requeued in-flight rows of the taken partitions put back to {@code queued}
   */
  record Acquired(List<Integer> partitions, List<String> evicted, int requeued) {}

  /**
   * Waits for the start lock (one node at a time joins or starts the crawl, released by {@link
   * #join} or {@link #start}) and says whether a crawl is running: the id of the crawl of the
   * nodes whose leases hold, or -1 when there is none and this node must start one.
   */
  long lockAndFindLiveCrawl();

  /**
   * Joins the running crawl {@code crawlId}: this node's row with a fresh lease; releases the start
   * lock. The entry carries the crawl's scope.
   */
  Entry join(long crawlId);

  /**
   * Starts a cluster crawl as its first node: evicts what is left of nodes of earlier runs, frees
   * every partition, puts rows left in flight back in the queue when resuming (counting the stop
   * as {@link StoreWriter#MAX_CRASHES} does), opens the {@code crawls} row and this node's row,
   * all under the start lock, which it then releases. The crawl's {@code started_at} is the
   * database server's clock, as the leases are, so that {@code crawl.max_duration} counts from one
   * moment on every node. Pages earlier runs stored count toward {@code
   * crawl.max_pages} ({@link #reserve}). The {@code seeds} go into the frontier in the same
   * transaction, so a node that joins next finds them, never an empty frontier it would take for
   * a finished crawl; so does the crawl's {@code scopeJson}, which the nodes that join take.
   */
  Entry start(String configJson, boolean requeueInFlight, List<String> seeds, String scopeJson);

  /** Releases the start lock without joining (the node gave up before its crawl began). */
  void unlockStart();

  /**
   * Renews this node's lease by {@code cluster.lease} from the database server's clock.
   *
   * @throws StoreException {@link StoreException.Kind#FAILED} when this node was evicted
   */
  Renewal renew();

  /**
   * Evicts the nodes whose lease has run out, then takes those of {@code wanted} that are free,
   * already this node's, or owned by a node no longer in the crawl, and puts their rows that
   * another node left in flight back in the queue; one transaction.
   */
  Acquired acquire(List<Integer> wanted);

  /** Gives up {@code partitions} (this node must have nothing of them in flight). */
  void release(List<Integer> partitions);

  /** The partitions this node owns according to the database. */
  List<Integer> owned();

  /**
   * Reserves up to {@code wanted} pages of the cluster's {@code crawl.max_pages}: what earlier
   * runs stored and every node's reservations count; returns how many were granted (0 once the
   * cluster has used its budget).
   */
  long reserve(long wanted, long maxPages);

  /** Whether no frontier row is queued or in flight, on any node: the cluster crawl is over. */
  boolean frontierDone();

  /**
   * This node leaves the crawl: its partitions freed, its unused reservation returned, its row
   * marked with {@code outcome}, and its {@code share} of the crawl's stats (what it counted, in
   * the shape of a crawl's {@code crawls.stats} on one machine) added to the {@code crawls} row
   * ({@link ClusterStats#merge}), all in one transaction; a node evicted before it left adds
   * nothing. The last node to leave closes the crawl's {@code crawls} row with {@code
   * crawlOutcome}, the shares and the cluster's counts ({@link ClusterStats#close}) and its own
   * {@code stopReason} (why its frontier stopped, as a crawl on one machine records it; null for
   * none); returns whether this node did.
   *
   * @param share this node's stats, or null for none
   */
  boolean leave(String outcome, String crawlOutcome, String stopReason, JsonObject share);

  /**
   * Asks every live node of the crawl on this database to stop ({@code --stop}); returns the
   * nodes asked. Needs no node of its own.
   */
  List<String> requestStop();

  /** Of {@code nodes}, those that have not left yet. */
  List<String> stillRunning(List<String> nodes);

  @Override
  void close();
}
