package io.trawl.frontier;

import io.trawl.bus.Addresses;
import io.trawl.bus.Delivery;
import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.OwnedPartitions;
import io.trawl.bus.Partitions;
import io.trawl.bus.Progress;
import io.trawl.bus.QueuedRequest;
import io.trawl.bus.Replies;
import io.trawl.config.HostOverrides;
import io.trawl.config.HostSettings;
import io.trawl.config.TrawlConfig;
import io.trawl.core.HostPartitions;
import io.trawl.metrics.CrawlMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer, wired to the bus and the clock: the {@link FrontierWindow} pages the
 * {@code frontier} table into the {@link Frontier}, which hands rows to fetchers against free
 * credits and per-host politeness; the fetchers' outcomes go back to both, and
 * {@link CrawlEnding} says when the crawl is over. Its requests to other stages are
 * {@link FrontierRequests}. Publishes {@link Progress} every second and once at the end, and tells the
 * metrics where it stands as often ({@link FrontierStatus}).
 *
 * <p>On a node of a cluster crawl ({@link #ofNode}) it hands out only the host partitions its node
 * owns, until its lease runs out or the cluster's {@code crawl.max_duration} does ({@link
 * Addresses#FRONTIER_PARTITIONS}), pages of {@code
 * crawl.max_pages} as the cluster grants them ({@link Addresses#PAGE_BUDGET}), reads its partitions
 * again every second for rows other nodes added, and ends only once no row is queued or in flight
 * on any node ({@link Addresses#CRAWL_DONE}). Event loop.
 */
public final class FrontierVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FrontierVerticle.class);

  private final TrawlConfig config;
  private final List<String> seeds;
  private final CrawlMetrics metrics;
  /** The node's fetchers, each at an address of its own. */
  private final int fetchers;
  /** Whether this is a node of a cluster crawl. */
  private final boolean clustered;
  private final long startedAtMs = System.currentTimeMillis();
  private EventBus bus;
  private FrontierRequests requests;
  private Frontier frontier;
  private FrontierWindow window;
  private CrawlEnding ending;
  private WakeTimer wakeTimer;
  private FrontierStatus status;
  /** A cluster node's rows put back to the queue and not yet written, by partition. */
  private final Map<Integer, Integer> puttingBack = new HashMap<>();
  private boolean budgetAsked;
  private boolean doneAsked;
  /** Whether the cluster crawl's max_duration has its timer here. */
  private boolean maxDurationTimed;

  /**
   * @param seeds normalized, in-scope seed URLs to add at depth 0 (empty when resuming)
   * @param metrics told where the frontier stands every second
   * @param fetchers the fetchers deployed, numbered from 0 ({@link Addresses#fetch(int)})
   */
  public FrontierVerticle(TrawlConfig config, List<String> seeds, CrawlMetrics metrics, int fetchers) {
    this(config, seeds, metrics, fetchers, false);
  }

  private FrontierVerticle(TrawlConfig config, List<String> seeds, CrawlMetrics metrics, int fetchers,
      boolean clustered) {
    this.config = config;
    this.seeds = List.copyOf(seeds);
    this.metrics = metrics;
    this.fetchers = fetchers;
    this.clustered = clustered;
  }

  /**
   * The frontier of one node of a cluster crawl: it hands out nothing until its node tells it
   * which partitions it owns.
   *
   * @param seeds seed URLs to add (the crawl's first node), or none
   * @param fetchers the node's fetchers, numbered from 0
   */
  public static FrontierVerticle ofNode(TrawlConfig config, List<String> seeds, CrawlMetrics metrics, int fetchers) {
    return new FrontierVerticle(config, seeds, metrics, fetchers, true);
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    requests = new FrontierRequests(bus, config, fetchers);
    TrawlConfig.Fetch fetch = config.fetch();
    HostOverrides hosts = HostOverrides.of(config);
    // A cluster's crawl.max_pages is its budget, granted by the node; the frontier counts none of its own.
    frontier = new Frontier(fetch.concurrency(), host -> limits(hosts.settings(host)),
        clustered ? 0 : config.crawl().maxPages(), System::nanoTime, System::currentTimeMillis);
    window = clustered ? new FrontierWindow(frontier, new PartitionCursors()) : new FrontierWindow(frontier);
    ending = new CrawlEnding(frontier, window, clustered);
    if (clustered) {
      window.own(Set.of());
      frontier.dispatchUntil(System.nanoTime());
      if (config.crawl().maxPages() > 0) {
        frontier.addBudget(0);
      }
    }
    wakeTimer = new WakeTimer(vertx, this::pump);
    status = new FrontierStatus(frontier, window, ending, metrics, startedAtMs);
    vertx.setPeriodic(1000, id -> everySecond());
    // A node of a cluster crawl stops at the cluster's max_duration, which its node tells it (onPartitions).
    if (!clustered && !config.crawl().maxDuration().isZero()) {
      vertx.setTimer(config.crawl().maxDuration().toMillis(), id -> stop(CrawlEnding.MAX_DURATION));
    }
    return Future.all(bus.<Void>localConsumer(Addresses.FRONTIER_STOP, this::onFrontierStop).completion(),
            bus.<Void>localConsumer(Addresses.FRONTIER_STATUS, msg -> msg.reply(status.stopping())).completion(),
            bus.<Long>localConsumer(Addresses.FRONTIER_FETCHED, this::onFrontierFetched).completion(),
            bus.<OwnedPartitions>localConsumer(Addresses.FRONTIER_PARTITIONS, this::onPartitions).completion())
        .onSuccess(v -> seed());
  }

  private void everySecond() {
    bus.publish(Addresses.PROGRESS, status.progress(), Delivery.local());
    status.toMetrics();
    if (clustered && ending.reason() == null) {
      askWhetherClusterIsDone(); // before the refresh, which has every partition read again
      window.refresh();
      pump();
    }
  }

  /** This node's frontier has nothing left: whether any node has (its rows may still add some here). */
  private void askWhetherClusterIsDone() {
    if (doneAsked || !frontier.isIdle() || !window.isDrained()) {
      return;
    }
    doneAsked = true;
    bus.<Boolean>request(Addresses.CRAWL_DONE, null, Delivery.local(Replies.STORE_REPLY_MS))
        .onComplete(ar -> doneAsked = false)
        .onSuccess(reply -> {
          if (Boolean.TRUE.equals(reply.body())) {
            ending.clusterDone();
          } else if (frontier.isIdle() && window.isDrained()) {
            // Rows are queued somewhere: any of this node's that its cursors passed are read now.
            window.rewind();
          }
          pump();
        })
        .onFailure(this::crawlFailed);
  }

  /** The node's partitions and lease: keep to them; answer with the partitions still in flight here. */
  private void onPartitions(Message<OwnedPartitions> msg) {
    OwnedPartitions owned = msg.body();
    window.own(new HashSet<>(owned.partitions()));
    frontier.dispatchUntil(owned.dispatchUntilNanos());
    if (owned.maxDurationEndsNanos() != null && !maxDurationTimed) {
      maxDurationTimed = true;
      long leftMs = (owned.maxDurationEndsNanos() - System.nanoTime()) / 1_000_000;
      vertx.setTimer(Math.max(1, leftMs), id -> stop(CrawlEnding.MAX_DURATION));
    }
    // A row put back but not yet written counts as in flight: handed over before its write, the
    // new owner could read past it while it still looks in flight, and never come back for it.
    Set<Integer> busy = new HashSet<>(frontier.partitionsInFlight());
    busy.addAll(puttingBack.keySet());
    msg.reply(new Partitions(busy.stream().sorted().toList()));
    pump();
  }

  /** Every row ready waits for the cluster's page budget: ask the node for more. */
  private void askForBudget() {
    if (budgetAsked || !frontier.wantsBudget()) {
      return;
    }
    budgetAsked = true;
    long wanted = 2L * config.fetch().concurrency();
    bus.<Long>request(Addresses.PAGE_BUDGET, wanted, Delivery.local(Replies.STORE_REPLY_MS))
        .onComplete(ar -> budgetAsked = false)
        .onSuccess(reply -> {
          if (reply.body() > 0) {
            frontier.addBudget(reply.body());
          } else if (ending.reason() == null) {
            stop(CrawlEnding.MAX_PAGES);
          }
          pump();
        })
        .onFailure(this::crawlFailed);
  }

  private void seed() {
    requests.addSeeds(seeds)
        .onSuccess(v -> {
          readSitemaps();
          pump();
        })
        .onFailure(this::crawlFailed);
  }

  /** With {@code crawl.sitemaps}, has each seed host's sitemaps read; the crawl goes on meanwhile. */
  private void readSitemaps() {
    if (!config.crawl().sitemaps() || config.crawl().maxDepth() < 1) {
      return;
    }
    for (String seed : ending.awaitSitemaps(seeds)) {
      requests.readSitemaps(seed)
          .onSuccess(newUrls -> {
            ending.sitemapsRead();
            window.added(newUrls);
            pump();
          })
          .onFailure(this::crawlFailed);
    }
  }

  /** The request of a dispatched row is over: its slot goes to the next row while it is stored. */
  private void onFrontierFetched(Message<Long> msg) {
    if (frontier.fetched(msg.body())) {
      pump();
    }
  }

  private void onFrontierStop(Message<Void> msg) {
    ending.whenAnnounced(() -> msg.reply(status.progress()));
    stop(CrawlEnding.STOPPED);
  }

  private void stop(String reason) {
    ending.stop(reason);
    pump();
  }

  /** Hands out every row that may go now; then ends the crawl, or waits for the next row's time and reads more rows. */
  private void pump() {
    List<FrontierRow> claimed = window.claim((row, lane) -> requests.fetch(row, lane)
        .onSuccess(outcome -> completed(row.id(), outcome))
        .onFailure(this::crawlFailed));
    if (!claimed.isEmpty()) {
      requests.claim(claimed).onFailure(this::crawlFailed);
    }
    if (ending.justEnded()) {
      ended();
    } else if (ending.reason() == null) {
      askForBudget();
      wakeTimer.setFor(frontier.nextWakeNanos());
      QueuedRequest load = window.nextLoad();
      if (load != null) {
        requests.read(load).onSuccess(window::loaded).onSuccess(batch -> pump()).onFailure(this::crawlFailed);
      }
    }
  }

  private void completed(long id, FetchOutcome outcome) {
    FrontierRow back = window.completed(id, outcome);
    if (back != null) {
      int partition = HostPartitions.ofUrl(back.url());
      puttingBack.merge(partition, 1, Integer::sum);
      requests.putBack(back)
          .onComplete(ar -> puttingBack.computeIfPresent(partition, (p, n) -> n == 1 ? null : n - 1))
          .onFailure(this::crawlFailed);
    }
    pump();
  }

  /** Logs and publishes the end, with the table's own count of queued rows. */
  private void ended() {
    wakeTimer.cancel();
    requests.read(FrontierWindow.countOnly())
        .onSuccess(batch -> window.counted(batch.queuedTotal()))
        .onComplete(ar -> {
          Progress last = status.progress();
          status.toMetrics();
          log.info("crawl finished reason={} stored={} failed={} queued={}", last.stopReason(), last.stored(),
              last.failed(), last.queued());
          ending.announce();
          bus.publish(Addresses.FINISHED, last, Delivery.local());
        });
  }

  private void crawlFailed(Throwable err) {
    if (ending.fail()) {
      log.error("crawl failed: the store could not be reached or written", err);
      wakeTimer.cancel();
      ending.announce();
      bus.publish(Addresses.FINISHED, status.progress(), Delivery.local());
    }
  }

  private static Frontier.HostLimits limits(HostSettings settings) {
    return new Frontier.HostLimits(settings.rate().intervalNanos(), settings.concurrency());
  }
}
