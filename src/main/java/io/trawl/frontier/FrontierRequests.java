package io.trawl.frontier;

import io.trawl.bus.Addresses;
import io.trawl.bus.Delivery;
import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FetchRequest;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.QueuedBatch;
import io.trawl.bus.QueuedRequest;
import io.trawl.bus.Replies;
import io.trawl.bus.SitemapRequest;
import io.trawl.config.Rate;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the frontier asks of the other stages over the bus: fetches, sitemaps, and changes and
 * reads of the {@code frontier} table. A future here fails only when the store failed, which ends
 * the crawl; any other failure is logged and becomes a result: a fetch that never answered is
 * stored as a failed page, sitemaps that could not be read add nothing. Event loop.
 */
final class FrontierRequests {
  private static final Logger log = LoggerFactory.getLogger(FrontierRequests.class);

  private final EventBus bus;
  /** The addresses of the node's fetchers, by number. */
  private final String[] fetchers;
  private final DeliveryOptions fetchDelivery;
  private final DeliveryOptions sitemapDelivery;
  private final DeliveryOptions storeDelivery = Delivery.local(Replies.STORE_REPLY_MS);
  /**
   * Claims gathered while an earlier claim waits for its transaction: they go as one message when
   * it is answered, or before any other request to the store, so the store sees every frontier
   * change in the order the frontier made it (a claim before the row's put-back, every claim
   * before a read of queued rows).
   */
  private final List<Long> claimsHeld = new ArrayList<>();
  private Promise<Void> heldClaimsSent;
  private int claimsOnTheirWay;

  /** @param fetchers the fetchers of the node ({@link Addresses#fetch(int)}) */
  FrontierRequests(EventBus bus, TrawlConfig config, int fetchers) {
    this.bus = bus;
    this.fetchers = new String[fetchers];
    Arrays.setAll(this.fetchers, Addresses::fetch);
    this.fetchDelivery = Delivery.local(fetchReplyMs(config));
    this.sitemapDelivery = Delivery.local(sitemapsReplyMs(config));
  }

  /** The longest robots.txt Crawl-delay trawl obeys (README, Politeness and failures). */
  private static final long MAX_CRAWL_DELAY_MS = 60_000;

  /**
   * Long enough for every try of a fetch with its longest backoff, then its parse and store: the
   * reply is the real outcome. A try in the browser may first wait for a tab ({@link
   * TrawlConfig.Render#longestTryMs}); each hop of a plain one for its host's turn ({@link
   * #turnWaitMs}).
   */
  static long fetchReplyMs(TrawlConfig config) {
    TrawlConfig.Retry retry = config.retry();
    long tryMs = config.fetch().requestTimeout().toMillis() + turnWaitMs(config);
    if (config.render().enabled()) {
      tryMs = Math.max(tryMs, config.render().longestTryMs(config.fetch().concurrency()));
    }
    long perAttemptMs = tryMs + retry.maxDelay().toMillis();
    return perAttemptMs * retry.maxAttempts() + Replies.STORE_REPLY_MS;
  }

  /**
   * The longest the hops of one request may wait for their host's turn on the fetchers' clock: on
   * each hop, behind the host's other requests (as many as it may have at once, its robots.txt and a
   * sitemap), each an interval apart, the slowest a host may have.
   */
  static long turnWaitMs(TrawlConfig config) {
    TrawlConfig.Fetch fetch = config.fetch();
    long intervalNanos = fetch.perHostRate().intervalNanos();
    int perHost = fetch.perHostConcurrency();
    for (TrawlConfig.Host host : config.hosts().values()) {
      intervalNanos = Math.max(intervalNanos, host.perHostRate().map(Rate::intervalNanos).orElse(0L));
      perHost = Math.max(perHost, host.perHostConcurrency().orElse(0));
    }
    long intervalMs = Math.max(intervalNanos / 1_000_000, fetch.respectRobots() ? MAX_CRAWL_DELAY_MS : 0);
    if (fetch.autothrottle()) {
      intervalMs = Math.max(intervalMs, fetch.autothrottleMaxDelay().toMillis());
    }
    return (perHost + 2L) * intervalMs * (fetch.maxRedirects() + 1L);
  }

  /** Robots.txt, then up to {@link SitemapRequest#MAX_FILES} files one at a time at the host's rate, then the store. */
  static long sitemapsReplyMs(TrawlConfig config) {
    TrawlConfig.Fetch fetch = config.fetch();
    long perFileMs = fetch.requestTimeout().toMillis() + fetch.perHostRate().intervalNanos() / 1_000_000;
    return SitemapRequest.MAX_FILES * perFileMs + fetch.requestTimeout().toMillis() + Replies.STORE_REPLY_MS;
  }

  /**
   * Hands {@code row} to the fetcher its lane names ({@link Frontier#lastLane}); its outcome once
   * the page is stored or the URL put back.
   */
  Future<FetchOutcome> fetch(FrontierRow row, int lane) {
    FetchRequest request = new FetchRequest(row.id(), row.url(), row.depth(), row.attempts(), row.revisit(), row.render());
    String fetcher = fetchers[Math.floorMod(lane, fetchers.length)];
    return bus.<FetchOutcome>request(fetcher, request, fetchDelivery)
        .map(Message::body)
        .recover(err -> unlessStore(err, "fetch lost url={} kind={}", row.url())
            .compose(kind -> recordLost(request, kind)));
  }

  /** A fetch that never answered still ends as a pages row, so no tried URL disappears. */
  private Future<FetchOutcome> recordLost(FetchRequest request, FailureKind kind) {
    int attempts = request.attempts() + 1;
    PageRecord failure = PageRecord.failure(request, kind.code(), attempts, System.currentTimeMillis(), 0);
    return bus.request(Addresses.STORE_PAGE, failure, storeDelivery)
        .map(stored -> FetchOutcome.done(request.id(), kind.code(), attempts, 0));
  }

  /** Has the sitemaps of {@code seed}'s host read; the count of frontier rows they added. */
  Future<Integer> readSitemaps(String seed) {
    return bus.<Integer>request(Addresses.SITEMAPS, new SitemapRequest(seed), sitemapDelivery)
        .map(Message::body)
        .recover(err -> unlessStore(err, "sitemaps not read seed={} kind={}", seed).map(0));
  }

  /** Adds the seeds at depth 0; those already in the table stay as they are. */
  Future<?> addSeeds(List<String> seeds) {
    return seeds.isEmpty() ? Future.succeededFuture() : update(FrontierUpdate.ofSeeds(seeds));
  }

  /**
   * Marks the rows handed to fetchers {@code in_flight}. One claim at a time is on its way to the
   * store: while it waits for its transaction, the next pumps' claims are held and then sent
   * together (a message and a reply per transaction instead of per page, on two event loops).
   * A late claim is harmless to a row already stored: a claim changes only a queued row.
   */
  Future<?> claim(List<FrontierRow> rows) {
    rows.forEach(row -> claimsHeld.add(row.id()));
    if (heldClaimsSent == null) {
      heldClaimsSent = Promise.promise();
    }
    Future<Void> sent = heldClaimsSent.future();
    if (claimsOnTheirWay == 0) {
      sendHeldClaims();
    }
    return sent;
  }

  private void sendHeldClaims() {
    if (claimsHeld.isEmpty()) {
      return;
    }
    List<Long> ids = List.copyOf(claimsHeld);
    claimsHeld.clear();
    Promise<Void> promise = heldClaimsSent;
    heldClaimsSent = null;
    claimsOnTheirWay++;
    bus.request(Addresses.STORE_FRONTIER, FrontierUpdate.ofClaims(ids), storeDelivery)
        .onComplete(ar -> {
          if (--claimsOnTheirWay == 0) {
            sendHeldClaims();
          }
          promise.handle(ar.mapEmpty());
        });
  }

  /** Puts a row back to {@code queued} with its attempts and not-before. */
  Future<?> putBack(FrontierRow row) {
    return update(FrontierUpdate.ofPutBack(row));
  }

  /** Reads queued rows; the store runs the read after every write sent before it. */
  Future<QueuedBatch> read(QueuedRequest request) {
    sendHeldClaims();
    return bus.<QueuedBatch>request(Addresses.STORE_QUEUED, request, storeDelivery).map(Message::body);
  }

  private Future<?> update(FrontierUpdate update) {
    sendHeldClaims();
    return bus.request(Addresses.STORE_FRONTIER, update, storeDelivery);
  }

  /** A store failure stays a failure; any other is logged and gotten over, as its kind. */
  private static Future<FailureKind> unlessStore(Throwable err, String warning, String url) {
    FailureKind kind = Replies.kindOf(err);
    if (kind.equals(FailureKind.STORE)) {
      return Future.failedFuture(err);
    }
    log.warn(warning, url, kind.code(), err);
    return Future.succeededFuture(kind);
  }
}
