package io.trawl.frontier;

import io.trawl.bus.Addresses;
import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FetchRequest;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.Progress;
import io.trawl.bus.QueuedBatch;
import io.trawl.bus.QueuedRequest;
import io.trawl.bus.Replies;
import io.trawl.bus.SitemapRequest;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import io.trawl.core.UrlNormalizer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer: pages the {@code frontier} table into a bounded in-memory window, hands rows to
 * fetchers against free credits and per-host politeness, and learns of new rows from the store's
 * answers. Publishes {@link Progress}; ends the crawl when nothing is queued or in flight, or at a
 * limit. Event loop; the logic lives in {@link Frontier}.
 */
public final class FrontierVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FrontierVerticle.class);
  /** Rows kept in memory at most; more are paged in from SQLite as these drain. */
  static final int WINDOW = 20_000;
  private static final int PAGE_IN = 5_000;

  private final TrawlConfig config;
  private final List<String> seeds;
  private final long startedAtMs = System.currentTimeMillis();
  private Frontier frontier;
  private EventBus bus;
  private DeliveryOptions fetchDelivery;
  private final DeliveryOptions storeDelivery = new DeliveryOptions().setSendTimeout(Replies.STORE_REPLY_MS);
  private long cursor;
  private boolean loading;
  private boolean exhausted;
  private long insertGeneration;
  private long queuedTotal;
  private long wakeTimer = -1;
  private long wakeAtNanos = Long.MAX_VALUE;
  private String stopReason;
  private boolean finished;
  private int sitemapsPending;
  private final List<Long> claims = new ArrayList<>();
  /** Rows handed out, by id, and which of them have reported their request over. */
  private final Map<Long, FrontierRow> dispatched = new HashMap<>();
  private final Set<Long> fetched = new HashSet<>();
  private final List<Promise<Void>> stopWaiters = new ArrayList<>();

  /**
   * @param config the crawl's config
   * @param seeds normalized, in-scope seed URLs to add at depth 0 (empty when resuming)
   */
  public FrontierVerticle(TrawlConfig config, List<String> seeds) {
    this.config = config;
    this.seeds = List.copyOf(seeds);
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    TrawlConfig.Fetch fetch = config.fetch();
    frontier = new Frontier(fetch.concurrency(), fetch.perHostConcurrency(), fetch.perHostRate().intervalNanos(),
        config.crawl().maxPages(), System::nanoTime, System::currentTimeMillis);
    fetchDelivery = new DeliveryOptions().setSendTimeout(fetchReplyTimeoutMs());
    vertx.setPeriodic(1000, id -> bus.publish(Addresses.PROGRESS, progress()));
    if (!config.crawl().maxDuration().isZero()) {
      vertx.setTimer(config.crawl().maxDuration().toMillis(), id -> stopDispatching("max_duration"));
    }
    var stopConsumer = bus.<Void>consumer(Addresses.FRONTIER_STOP, this::onFrontierStop);
    var fetchedConsumer = bus.<Long>consumer(Addresses.FRONTIER_FETCHED, this::onFrontierFetched);
    return Future.all(stopConsumer.completion(), fetchedConsumer.completion())
        .onSuccess(v -> seed());
  }

  /** Long enough for every retry of a fetch, its parse and its store, so the reply is the real outcome. */
  private long fetchReplyTimeoutMs() {
    TrawlConfig.Retry retry = config.retry();
    long perAttempt = config.fetch().requestTimeout().toMillis() + retry.maxDelay().toMillis();
    return perAttempt * retry.maxAttempts() + Replies.STORE_REPLY_MS;
  }

  private void seed() {
    Future<Void> added = seeds.isEmpty()
        ? Future.succeededFuture()
        : bus.request(Addresses.STORE_FRONTIER, FrontierUpdate.ofSeeds(seeds), storeDelivery).mapEmpty();
    added.onSuccess(v -> {
      readSitemaps();
      load();
    }).onFailure(this::crawlFailed);
  }

  /**
   * With {@code crawl.sitemaps}, asks for each seed host's sitemaps to be read; the crawl goes on
   * meanwhile and does not end before every host has answered with the rows it added.
   */
  private void readSitemaps() {
    if (!config.crawl().sitemaps() || config.crawl().maxDepth() < 1) {
      return;
    }
    TrawlConfig.Fetch fetch = config.fetch();
    long perFileMs = fetch.requestTimeout().toMillis() + fetch.perHostRate().intervalNanos() / 1_000_000;
    DeliveryOptions sitemapDelivery = new DeliveryOptions()
        .setSendTimeout(SitemapRequest.MAX_FILES * perFileMs + fetch.requestTimeout().toMillis() + Replies.STORE_REPLY_MS);
    Set<String> hosts = new HashSet<>();
    for (String seed : seeds) {
      if (!hosts.add(UrlNormalizer.host(seed))) {
        continue;
      }
      sitemapsPending++;
      bus.<Integer>request(Addresses.SITEMAPS, new SitemapRequest(seed), sitemapDelivery)
          .map(Message::body)
          .recover(err -> {
            if (Replies.kindOf(err).equals(FailureKind.STORE)) {
              return Future.failedFuture(err);
            }
            log.warn("sitemaps not read seed={} kind={}", seed, Replies.kindOf(err).code(), err);
            return Future.succeededFuture(0);
          })
          .onSuccess(this::sitemapsRead)
          .onFailure(this::crawlFailed);
    }
  }

  private void sitemapsRead(int newUrls) {
    sitemapsPending--;
    if (newUrls > 0) {
      insertGeneration++;
      exhausted = false;
      queuedTotal += newUrls;
    }
    pump();
  }

  /** The request of a dispatched row is over: its slot goes to the next row while it is stored. */
  private void onFrontierFetched(Message<Long> msg) {
    FrontierRow row = dispatched.get(msg.body());
    if (row != null && fetched.add(row.id())) {
      frontier.fetched(row);
      pump();
    }
  }

  private void onFrontierStop(Message<Void> msg) {
    Promise<Void> drained = Promise.promise();
    stopWaiters.add(drained);
    drained.future().onComplete(ar -> msg.reply(progress()));
    stopDispatching("stopped");
  }

  private void stopDispatching(String reason) {
    if (stopReason == null) {
      stopReason = reason;
      log.info("crawl stopping reason={} inFlight={}", reason, frontier.inFlight());
    }
    frontier.stop();
    checkFinished();
  }

  private void load() {
    if (loading || exhausted || frontier.inMemory() > WINDOW - PAGE_IN || frontier.isStopped()) {
      return;
    }
    loading = true;
    long generation = insertGeneration;
    bus.<QueuedBatch>request(Addresses.STORE_QUEUED, new QueuedRequest(cursor, PAGE_IN), storeDelivery)
        .map(Message::body)
        .onSuccess(batch -> loaded(batch, generation))
        .onFailure(this::crawlFailed);
  }

  private void loaded(QueuedBatch batch, long generation) {
    loading = false;
    for (FrontierRow row : batch.rows()) {
      frontier.add(row);
      cursor = row.id();
    }
    queuedTotal = batch.queuedTotal();
    if (batch.finishedTotal() >= 0) {
      frontier.storedBefore(batch.finishedTotal());
    }
    exhausted = batch.rows().size() < PAGE_IN && generation == insertGeneration;
    pump();
  }

  private void pump() {
    FrontierRow row;
    while ((row = frontier.next()) != null) {
      claims.add(row.id());
      queuedTotal--;
      dispatch(row);
    }
    if (!claims.isEmpty()) {
      FrontierUpdate claimed = new FrontierUpdate(List.of(), List.copyOf(claims), List.of());
      claims.clear();
      bus.request(Addresses.STORE_FRONTIER, claimed, storeDelivery).onFailure(this::crawlFailed);
    }
    if (frontier.maxPagesReached() && frontier.inFlight() == 0) {
      stopDispatching("max_pages"); // e.g. resumed at a limit the earlier runs already reached
    }
    armWakeTimer();
    load();
    checkFinished();
  }

  private void dispatch(FrontierRow row) {
    FetchRequest request = new FetchRequest(row.id(), row.url(), row.depth(), row.attempts());
    dispatched.put(row.id(), row);
    bus.<FetchOutcome>request(Addresses.FETCH, request, fetchDelivery)
        .map(Message::body)
        .recover(err -> recordLostFetch(request, err))
        .onSuccess(outcome -> completed(row, outcome))
        .onFailure(this::crawlFailed);
  }

  /** A fetch that never answered still ends as a pages row, so no tried URL disappears. */
  private Future<FetchOutcome> recordLostFetch(FetchRequest request, Throwable err) {
    FailureKind kind = Replies.kindOf(err);
    if (kind.equals(FailureKind.STORE)) {
      return Future.failedFuture(err);
    }
    log.warn("fetch lost url={} kind={}", request.url(), kind.code(), err);
    long now = System.currentTimeMillis();
    PageRecord failure = PageRecord.failure(request, kind.code(), request.attempts() + 1, now, 0);
    return bus.request(Addresses.STORE_PAGE, failure, storeDelivery)
        .map(stored -> FetchOutcome.done(request.id(), kind.code(), request.attempts() + 1, 0));
  }

  private void completed(FrontierRow row, FetchOutcome outcome) {
    dispatched.remove(row.id());
    boolean wasFetched = fetched.remove(row.id());
    if (outcome.crawlDelayMs() > 0) {
      frontier.crawlDelay(row, outcome.crawlDelayMs() * 1_000_000L);
    }
    if (outcome.stored()) {
      frontier.markDone(row, outcome.error() != null, wasFetched);
    } else {
      FrontierRow back = new FrontierRow(row.id(), row.url(), row.depth(), outcome.attempts(), outcome.retryAtMs());
      frontier.reclaim(back, wasFetched);
      queuedTotal++;
      bus.request(Addresses.STORE_FRONTIER, new FrontierUpdate(List.of(), List.of(), List.of(back)),
          storeDelivery).onFailure(this::crawlFailed);
    }
    if (outcome.newUrls() > 0) {
      insertGeneration++;
      exhausted = false;
      queuedTotal += outcome.newUrls();
    }
    if (frontier.maxPagesReached() && frontier.inFlight() == 0) {
      stopDispatching("max_pages");
    }
    pump();
  }

  private void armWakeTimer() {
    long wake = frontier.nextWakeNanos();
    if (wake < 0 || wake >= wakeAtNanos) {
      return;
    }
    if (wakeTimer >= 0) {
      vertx.cancelTimer(wakeTimer);
    }
    wakeAtNanos = wake;
    long delayMs = Math.max(1, (wake - System.nanoTime() + 999_999) / 1_000_000);
    wakeTimer = vertx.setTimer(delayMs, id -> {
      wakeTimer = -1;
      wakeAtNanos = Long.MAX_VALUE;
      pump();
    });
  }

  private void checkFinished() {
    if (finished || frontier.inFlight() > 0) {
      return;
    }
    boolean drained = frontier.isIdle() && exhausted && !loading && sitemapsPending == 0;
    if (stopReason == null && !drained) {
      return;
    }
    finished = true;
    if (stopReason == null) {
      stopReason = "done";
    }
    if (wakeTimer >= 0) {
      vertx.cancelTimer(wakeTimer);
    }
    // The running count of queued rows is an estimate (a load's count and a page's new rows can
    // overlap); the summary and crawls.stats get the table's own count.
    bus.<QueuedBatch>request(Addresses.STORE_QUEUED, new QueuedRequest(Long.MAX_VALUE, 0), storeDelivery)
        .map(reply -> reply.body().queuedTotal())
        .onSuccess(total -> queuedTotal = total)
        .onComplete(ar -> {
          Progress last = progress();
          log.info("crawl finished reason={} stored={} failed={} queued={}", stopReason, last.stored(), last.failed(),
              last.queued());
          stopWaiters.forEach(Promise::tryComplete);
          bus.publish(Addresses.FINISHED, last);
        });
  }

  private void crawlFailed(Throwable err) {
    if (finished) {
      return;
    }
    log.error("crawl failed: the store could not be reached or written", err);
    finished = true;
    stopReason = "failed";
    frontier.stop();
    stopWaiters.forEach(Promise::tryComplete);
    bus.publish(Addresses.FINISHED, progress());
  }

  private Progress progress() {
    return new Progress(frontier.stored(), frontier.failed(), frontier.inFlight(), Math.max(0, queuedTotal),
        frontier.retries(), System.currentTimeMillis() - startedAtMs, frontier.hostCount(),
        finished ? stopReason : null);
  }
}
