package io.trawl.cluster;

import io.trawl.bus.Addresses;
import io.trawl.bus.Delivery;
import io.trawl.bus.NodeProgress;
import io.trawl.bus.OwnedPartitions;
import io.trawl.bus.Partitions;
import io.trawl.bus.Progress;
import io.trawl.bus.Replies;
import io.trawl.core.FailureKind;
import io.trawl.store.ClusterLedger;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in a cluster crawl, between its frontier and the {@link ClusterLedger}: about
 * four times a lease it renews the node's lease, computes which host partitions it should own
 * among the nodes whose leases hold ({@link Rendezvous}), takes those that are free (a dead
 * node's once its lease ran out, its in-flight rows back in the queue), tells the frontier what it
 * may hand out and until when, and hands over the partitions it should no longer own once the
 * frontier has nothing of theirs in flight. It grants the frontier pages of {@code
 * crawl.max_pages} from the cluster's budget, says when no node has work left, tells the frontier
 * when the cluster crawl's {@code crawl.max_duration} runs out (counted from the crawl's start on
 * the database server's clock, so every node stops at the same moment and a node that joins late
 * gets only what is left), and passes on a request to stop ({@code --stop}) to the crawl. Each
 * second it publishes the node's progress to every node and tells the node's progress line where
 * the cluster stands ({@link ProgressBoard}).
 * On leaving it frees its partitions and adds what the node counted to the crawl's {@code
 * crawls.stats}; the last node to leave closes the {@code crawls} row.
 *
 * <p>Event loop; every ledger call runs on the node's own single worker thread ({@code
 * trawl-cluster}), in order, on the ledger's own connection.
 */
public final class ClusterVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ClusterVerticle.class);

  private final ClusterLedger ledger;
  private final String node;
  private final long leaseMs;
  private final long maxPages;
  private final long maxDurationMs;
  private final long crawlStartedAtMs;
  /** System.nanoTime at which crawl.max_duration runs out, once the first renewal said; null before or without one. */
  private Long maxDurationEndsNanos;
  private final Consumer<Throwable> crawlFailed;
  private final Runnable stopRequested;
  private boolean stopping;
  private boolean leaving;
  private WorkerExecutor worker;
  private long timer;
  private boolean ticking;
  private long lastRenewedNanos;
  private List<Integer> owned = List.of();
  private volatile String outcome = "failed";
  private volatile String crawlOutcome = "failed";
  private volatile String stopReason;
  private volatile JsonObject stats;
  private ProgressBoard board;

  /**
   * @param ledger the node's ledger, its entry into the crawl done; closed when this stops
   * @param maxPages {@code crawl.max_pages}, 0 for none
   * @param maxDurationMs {@code crawl.max_duration} in millis, 0 for none
   * @param entry how the node entered the crawl: when the crawl started, on the database server's clock
   * @param crawlFailed told when the node lost its place in the crawl (its lease ran out)
   * @param stopRequested told once when {@code trawl crawl --cluster --stop} asked the crawl to stop
   */
  public ClusterVerticle(ClusterLedger ledger, String node, long leaseMs, long maxPages, long maxDurationMs,
      ClusterLedger.Entry entry, Consumer<Throwable> crawlFailed, Runnable stopRequested) {
    this.maxDurationMs = maxDurationMs;
    this.crawlStartedAtMs = entry.startedAtMs();
    this.stopRequested = stopRequested;
    this.ledger = ledger;
    this.node = node;
    this.leaseMs = leaseMs;
    this.maxPages = maxPages;
    this.crawlFailed = crawlFailed;
  }

  /**
   * How this node ended ({@code crawl_nodes.outcome}) and, if it leaves last, the crawl ({@code
   * crawls.outcome}, and {@code stopReason} in its {@code stats}: why this node's frontier
   * stopped); {@code stats}, what this node counted, goes into the crawl's {@code crawls.stats}
   * as it leaves.
   */
  public void outcome(String nodeOutcome, String crawlOutcome, String stopReason, JsonObject stats) {
    this.outcome = nodeOutcome;
    this.crawlOutcome = crawlOutcome;
    this.stopReason = stopReason;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    worker = vertx.createSharedWorkerExecutor("trawl-cluster-" + node, 1);
    lastRenewedNanos = System.nanoTime();
    timer = vertx.setPeriodic(1, Math.max(250, leaseMs / 4), id -> tick());
    board = new ProgressBoard(node);
    return Future.all(
        vertx.eventBus().<Long>localConsumer(Addresses.PAGE_BUDGET, this::onPageBudget).completion(),
        vertx.eventBus().<Void>localConsumer(Addresses.CRAWL_DONE, this::onCrawlDone).completion(),
        vertx.eventBus().<Progress>localConsumer(Addresses.PROGRESS, msg -> onOwnProgress(msg.body())).completion(),
        // The one consumer other nodes reach: their progress notices.
        vertx.eventBus().<NodeProgress>consumer(Addresses.CLUSTER_PROGRESS, msg -> onNodeProgress(msg.body()))
            .completion());
  }

  /**
   * The cluster's members changed (a node joined, left or stopped answering): renew and
   * rebalance now rather than at the next tick, so a joining node gets its share at once. Any
   * thread (Hazelcast's); the work runs on this verticle's event loop.
   */
  public void membersChanged() {
    if (context != null) {
      context.runOnContext(v -> tick());
    }
  }

  /** Renews the lease, takes and hands over partitions, tells the frontier; one at a time. */
  private void tick() {
    if (ticking || leaving) {
      return;
    }
    ticking = true;
    long sentNanos = System.nanoTime();
    worker.executeBlocking(this::renewAndAcquire, true)
        .compose(step -> frontierKeeps(step, sentNanos))
        .onComplete(ar -> ticking = false)
        .onSuccess(v -> lastRenewedNanos = sentNanos)
        .onFailure(this::tickFailed);
  }

  /** What one renewal found: the partitions this node should own, those it owns, those it holds. */
  private record Step(List<Integer> wanted, ClusterLedger.Acquired acquired, List<Integer> held, int liveNodes,
      boolean stop, long serverNowMs) {}

  private Step renewAndAcquire() {
    ClusterLedger.Renewal renewal = ledger.renew();
    List<Integer> wanted = Rendezvous.partitionsOf(node, renewal.liveNodes());
    ClusterLedger.Acquired acquired = ledger.acquire(wanted);
    return new Step(wanted, acquired, ledger.owned(), renewal.liveNodes().size(), renewal.stop(),
        renewal.serverNowMs());
  }

  /**
   * Tells the frontier what it may hand out, counting the lease from when the renewal was sent
   * (the server's lease began later) less a quarter for the next renewal's way; then hands over
   * what this node holds and should not, except partitions with rows still in flight here.
   */
  private Future<Void> frontierKeeps(Step step, long sentNanos) {
    if (step.stop() && !stopping) {
      stopping = true;
      log.info("cluster crawl asked to stop node={}", node);
      stopRequested.run();
    }
    if (!step.acquired().evicted().isEmpty() || step.acquired().requeued() > 0) {
      log.info("cluster partitions taken over evicted nodes={} requeued={}", step.acquired().evicted(),
          step.acquired().requeued());
    }
    List<Integer> keep = step.acquired().partitions();
    if (!keep.equals(owned)) {
      log.info("cluster partitions node={} owned={} wanted={} nodes={}", node, keep.size(), step.wanted().size(),
          step.liveNodes());
      owned = keep;
    }
    long until = sentNanos + leaseMs * 750_000L;
    if (maxDurationMs > 0 && maxDurationEndsNanos == null) {
      maxDurationEndsNanos = maxDurationEnds(step.serverNowMs(), sentNanos);
    }
    if (maxDurationEndsNanos != null && maxDurationEndsNanos - until < 0) {
      until = maxDurationEndsNanos;
    }
    OwnedPartitions owns = new OwnedPartitions(keep, until, maxDurationEndsNanos);
    return vertx.eventBus().<Partitions>request(Addresses.FRONTIER_PARTITIONS, owns,
            Delivery.local(Replies.STORE_REPLY_MS))
        .map(reply -> reply.body().partitions())
        .recover(ClusterVerticle::noFrontierYet)
        .compose(inFlight -> handOver(step, inFlight));
  }

  /**
   * When {@code crawl.max_duration} runs out on this JVM's clock: what was left of it when the
   * server renewed the lease, counted from when the renewal was sent (earlier than the server's
   * reading), so the node stops no later than the server's clock says, as with the lease.
   */
  private long maxDurationEnds(long serverNowMs, long sentNanos) {
    long leftMs = crawlStartedAtMs + maxDurationMs - serverNowMs;
    log.info("cluster crawl.max_duration ends in {} ms node={} (crawl.max_duration {} ms from the crawl's start)",
        Math.max(0, leftMs), node, maxDurationMs);
    return sentNanos + leftMs * 1_000_000L;
  }

  /** Before the frontier is deployed and after it is gone, nothing is in flight. */
  private static Future<List<Integer>> noFrontierYet(Throwable err) {
    return err instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
        ? Future.succeededFuture(List.of())
        : Future.failedFuture(err);
  }

  private Future<Void> handOver(Step step, List<Integer> inFlight) {
    List<Integer> release = new ArrayList<>(step.held());
    release.removeAll(step.wanted());
    release.removeAll(inFlight);
    if (release.isEmpty()) {
      return Future.succeededFuture();
    }
    log.info("cluster partitions handed over node={} partitions={}", node, release.size());
    return worker.executeBlocking(() -> {
      ledger.release(release);
      return null;
    }, true);
  }

  /** A failed renewal is retried at the next tick; once the lease has run out, the node has lost its place. */
  private void tickFailed(Throwable err) {
    if (System.nanoTime() - lastRenewedNanos >= leaseMs * 1_000_000L) {
      vertx.cancelTimer(timer);
      log.error("cluster node lost its lease node={}", node, err);
      crawlFailed.accept(err);
    } else {
      log.warn("cluster lease renewal failed, retrying node={}", node, err);
    }
  }

  /** The frontier's progress of this node: to every node, and this node's view of the cluster to its progress line. */
  private void onOwnProgress(Progress progress) {
    long now = System.nanoTime();
    NodeProgress report = board.report(progress, now);
    board.record(report, now);
    vertx.eventBus().publish(Addresses.CLUSTER_PROGRESS, report);
    vertx.eventBus().publish(Addresses.CLUSTER_TOTALS, board.totals(now), Delivery.local());
  }

  private void onNodeProgress(NodeProgress report) {
    if (!report.node().equals(node)) {
      board.record(report, System.nanoTime());
    }
  }

  private void onPageBudget(Message<Long> msg) {
    if (maxPages <= 0) {
      msg.reply(msg.body());
      return;
    }
    worker.executeBlocking(() -> ledger.reserve(msg.body(), maxPages), true)
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, FailureKind.STORE, String.valueOf(err.getMessage())));
  }

  private void onCrawlDone(Message<Void> msg) {
    worker.executeBlocking(ledger::frontierDone, true)
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, FailureKind.STORE, String.valueOf(err.getMessage())));
  }

  /** Leaves the crawl (its partitions freed for the others) and closes the ledger. */
  @Override
  public Future<?> stop() {
    leaving = true;
    vertx.cancelTimer(timer);
    return worker.executeBlocking(() -> {
          try (ClusterLedger closing = ledger) {
            boolean last = closing.leave(outcome, crawlOutcome, stopReason, stats);
            log.info("cluster node left node={} outcome={} last={}", node, outcome, last);
          }
          return null;
        }, true)
        .eventually(() -> worker.close());
  }
}
