package io.trawl.store;

import io.trawl.bus.Addresses;
import io.trawl.bus.CookieChanges;
import io.trawl.bus.CrawlRecord;
import io.trawl.bus.DiscoveredUrls;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.QueuedRequest;
import io.trawl.bus.Replies;
import io.trawl.bus.StoredCookies;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import io.trawl.metrics.CrawlMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer to the crawl's database (its {@link StoreBackend}): page writes are answered once their transaction commits;
 * frontier changes and crawl records go through the same writer thread, so every write is in
 * submission order. Reads of queued rows run on that thread too, on the writer's own connection,
 * after the pending writes, so a row just added is never missed. Event loop; the SQL runs on the
 * {@code trawl-store} worker thread.
 */
public final class StoreVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StoreVerticle.class);

  private final StoreBackend backend;
  private final TrawlConfig.Store settings;
  private final RecrawlSchedule schedule;
  private final boolean resume;
  private final CrawlMetrics metrics;
  /** The cluster node this store writes for, or null on one machine. */
  private final String node;
  private final long clusterCrawlId;
  private final long leaseMs;
  private WorkerExecutor writerThread;
  private StoreWriter store;
  private BatchWriter writer;

  /**
   * @param backend the database
   * @param settings batching
   * @param schedule when each page stored is next due
   * @param resume put rows left {@code in_flight} by an interrupted run back to {@code queued}
   * @param metrics told of every page committed and every transaction
   */
  public StoreVerticle(StoreBackend backend, TrawlConfig.Store settings, RecrawlSchedule schedule, boolean resume,
      CrawlMetrics metrics) {
    this(backend, settings, schedule, resume, metrics, null, 0, 0);
  }

  private StoreVerticle(StoreBackend backend, TrawlConfig.Store settings, RecrawlSchedule schedule, boolean resume,
      CrawlMetrics metrics, String node, long crawlId, long leaseMs) {
    this.metrics = metrics;
    this.backend = backend;
    this.settings = settings;
    this.schedule = schedule;
    this.resume = resume;
    this.node = node;
    this.clusterCrawlId = crawlId;
    this.leaseMs = leaseMs;
  }

  /**
   * The store of one node of a cluster crawl ({@link StoreBackend#openNodeWriter}): its pages belong
   * to the cluster's crawl {@code crawlId}, its writes carry {@code node} and stop once the node
   * is evicted. It never requeues: the cluster's first node did that.
   */
  public static StoreVerticle ofNode(StoreBackend backend, TrawlConfig.Store settings, RecrawlSchedule schedule,
      CrawlMetrics metrics, String node, long crawlId, long leaseMs) {
    return new StoreVerticle(backend, settings, schedule, false, metrics, node, crawlId, leaseMs);
  }

  @Override
  public Future<?> start() {
    writerThread = vertx.createSharedWorkerExecutor("trawl-store-" + backend.display(), 1);
    return writerThread.executeBlocking(() -> {
          store = node == null ? backend.openWriter(resume) : backend.openNodeWriter(node, leaseMs);
          // Made here too: its fingerprint set is 32 MB to allocate and zero, 0.3 s seen on an event loop.
          return new BatchWriter(vertx, writerThread, store, schedule, settings.batchSize(), settings.batchDelay(),
              metrics);
        })
        .compose(created -> {
          writer = created;
          writer.crawlId(clusterCrawlId);
          List<MessageConsumer<?>> consumers = List.of(
              vertx.eventBus().<PageRecord>localConsumer(Addresses.STORE_PAGE, this::onStorePage),
              vertx.eventBus().<FrontierUpdate>localConsumer(Addresses.STORE_FRONTIER, this::onStoreFrontier),
              vertx.eventBus().<QueuedRequest>localConsumer(Addresses.STORE_QUEUED, this::onStoreQueued),
              vertx.eventBus().<DiscoveredUrls>localConsumer(Addresses.STORE_DISCOVERED, this::onStoreDiscovered),
              vertx.eventBus().<CrawlRecord>localConsumer(Addresses.STORE_CRAWL, this::onStoreCrawl),
              vertx.eventBus().<CookieChanges>localConsumer(Addresses.STORE_COOKIES, this::onStoreCookies),
              vertx.eventBus().<Void>localConsumer(Addresses.STORE_COOKIES_READ, this::onStoreCookiesRead));
          return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
        });
  }

  @Override
  public Future<?> stop() {
    if (writer == null) {
      return writerThread == null ? Future.succeededFuture() : writerThread.close();
    }
    return writer.flush()
        .eventually(() -> writerThread.executeBlocking(() -> {
          store.close();
          return null;
        }))
        .eventually(() -> writerThread.close());
  }

  private void onStorePage(Message<PageRecord> msg) {
    writer.savePage(msg.body())
        .onSuccess(msg::reply)
        .onFailure(err -> failed(msg, err));
  }

  private void onStoreFrontier(Message<FrontierUpdate> msg) {
    writer.saveFrontier(msg.body())
        .onSuccess(v -> msg.reply(null))
        .onFailure(err -> failed(msg, err));
  }

  private void onStoreDiscovered(Message<DiscoveredUrls> msg) {
    DiscoveredUrls discovered = msg.body();
    // After pending batches, on the same writer thread: one more transaction in submission order.
    writer.flush()
        .compose(v -> writerThread.executeBlocking(() -> addDiscovered(discovered), true))
        .onSuccess(added -> msg.reply(added))
        .onFailure(err -> failed(msg, err));
  }

  /** Writer thread: the URLs, then their sitemap hints (the interval held within the schedule's bounds). */
  private int addDiscovered(DiscoveredUrls discovered) {
    int added = store.addDiscovered(discovered.urls(), discovered.depth());
    if (!discovered.lastModifiedMs().isEmpty()) {
      List<Long> intervals = discovered.changeIntervalMs().stream()
          .map(ms -> ms < 0 ? 0L : schedule.fromChangeFrequency(Duration.ofMillis(ms)))
          .toList();
      store.scheduleFromSitemap(discovered.urls(), discovered.lastModifiedMs(), intervals, System.currentTimeMillis());
    }
    return added;
  }

  private void onStoreQueued(Message<QueuedRequest> msg) {
    QueuedRequest request = msg.body();
    // Read after pending writes so a row just added is never missed by the cursor.
    writer.flush()
        .compose(v -> writerThread.executeBlocking(() -> request.byPartition()
            ? store.queuedIn(request.partitions(), request.afterIds(), request.limit())
            : store.queued(request.afterId(), request.limit()), true))
        .onSuccess(msg::reply)
        .onFailure(err -> failed(msg, err));
  }

  private void onStoreCookies(Message<CookieChanges> msg) {
    writer.saveCookies(msg.body())
        .onSuccess(v -> msg.reply(null))
        .onFailure(err -> failed(msg, err));
  }

  private void onStoreCookiesRead(Message<Void> msg) {
    writer.flush()
        .compose(v -> writerThread.executeBlocking(() -> store.cookies(), true))
        .onSuccess(cookies -> msg.reply(new StoredCookies(cookies)))
        .onFailure(err -> failed(msg, err));
  }

  private void onStoreCrawl(Message<CrawlRecord> msg) {
    CrawlRecord record = msg.body();
    Future<Long> id;
    if (record.id() == 0) {
      id = writer.flush()
          .compose(v -> writerThread.executeBlocking(() -> store.openCrawl(record.config().encode(),
              RunKind.fromColumn(record.kind()), record.dueBeforeMs()), true))
          .onSuccess(writer::crawlId);
    } else {
      id = writer.flush()
          .compose(v -> writerThread.executeBlocking(() -> {
            store.closeCrawl(record.id(), record.outcome(), record.stats().encode());
            return record.id();
          }, true));
    }
    id.onSuccess(crawlId -> msg.reply(crawlId)).onFailure(err -> failed(msg, err));
  }

  private static void failed(Message<?> msg, Throwable err) {
    log.error("store write failed address={}", msg.address(), err);
    Replies.fail(msg, FailureKind.STORE, String.valueOf(err.getMessage()));
  }
}
