package io.trawl.parse;

import io.trawl.api.Item;
import io.trawl.api.ItemSink;
import io.trawl.api.PageHandler;
import io.trawl.bus.Addresses;
import io.trawl.bus.Delivery;
import io.trawl.bus.FetchedPage;
import io.trawl.bus.PageRecord;
import io.trawl.bus.PageStored;
import io.trawl.bus.ParseResult;
import io.trawl.bus.Replies;
import io.trawl.bus.Revisit;
import io.trawl.config.TrawlConfig;
import io.trawl.core.ContentHash;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.trawl.core.RenderReason;
import io.trawl.core.Scope;
import io.trawl.metrics.CrawlMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of {@link Addresses#PARSE}: parses a fetched page with Jsoup on the shared
 * {@code trawl-parse} worker pool (never on the event loop), within its share of the heap
 * ({@link ParseBudget}, which a page waits for before its parse starts), keeps the links in scope
 * and within the depth limit as discovered URLs, and hands the page to the store. Answers once the
 * store has committed it, saying whether the rules found what they look for; or, for a page that
 * {@link FetchedPage#mayRender may be rendered} and lacks it ({@link ContentCheck}), at once,
 * storing nothing: the fetcher has the browser render it. Deployed once per JVM: the budget is the verticle's own.
 */
public final class ParseVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ParseVerticle.class);
  private static final DeliveryOptions DOWNSTREAM = Delivery.local(Replies.STORE_REPLY_MS);

  private final TrawlConfig config;
  private final Scope scope;
  private final HtmlParser parser;
  private final ParseBudget budget = ParseBudget.ofHeap();
  private final Extractor extractor;
  private final DroppedLinks dropped;
  private final List<PageHandler> pageHandlers;
  private final ItemSink itemSink;
  private final AtomicBoolean handlerFailureLogged = new AtomicBoolean();
  private final CrawlMetrics metrics;
  private final ContentCheck contentCheck;
  private WorkerExecutor parsePool;

  /**
   * A page parsed: its record to store, whether the rules found what they look for, and why it
   * must be rendered instead (then nothing is stored), or null.
   */
  private record Parsed(PageRecord record, boolean found, String renderWanted) {}

  /**
   * @param dropped where the links the parser leaves out are counted, for the whole crawl
   * @param ruleStats where the extraction rules' items, drops and empty fields are counted
   */
  public ParseVerticle(TrawlConfig config, Scope scope, DroppedLinks dropped, RuleStats ruleStats) {
    this(config, scope, dropped, ruleStats, List.of(), null, CrawlMetrics.OFF);
  }

  /**
   * @param pageHandlers the library's page handlers, run on every parsed page after the rules
   * @param itemSink the library's item sink, given each page's items before the page is stored; null for none
   * @param metrics told how long each page took on the parse pool (parse, extraction, handlers, item sink)
   */
  public ParseVerticle(TrawlConfig config, Scope scope, DroppedLinks dropped, RuleStats ruleStats,
      List<PageHandler> pageHandlers, ItemSink itemSink, CrawlMetrics metrics) {
    this.config = config;
    this.scope = scope;
    this.metrics = metrics;
    this.parser = new HtmlParser(config);
    this.extractor = new Extractor(config.rules(), config.download().fromFields(), ruleStats);
    this.dropped = dropped;
    this.pageHandlers = List.copyOf(pageHandlers);
    this.itemSink = itemSink;
    this.contentCheck = new ContentCheck(config.rules(), config.render().whenMissing());
  }

  /** Parse threads: the configured count, or one per core. */
  public static int threads(TrawlConfig.Parse parse) {
    return parse.threads() > 0 ? parse.threads() : Runtime.getRuntime().availableProcessors();
  }

  @Override
  public Future<?> start() {
    parsePool = vertx.createSharedWorkerExecutor("trawl-parse", threads(config.parse()));
    return vertx.eventBus().<FetchedPage>localConsumer(Addresses.PARSE, this::onParse).completion();
  }

  @Override
  public Future<?> stop() {
    return parsePool.close();
  }

  private void onParse(Message<FetchedPage> msg) {
    FetchedPage page = msg.body();
    long share = budget.reservationFor(page.body().length);
    PageClock clock = new PageClock();
    budget.acquire(share)
        .compose(v -> parsePool.executeBlocking(() -> clock.time(() -> parse(page, share)), false)
            .onComplete(parsed -> budget.release(share)))
        .recover(err -> parseFailure(page, err).map(record -> new Parsed(record, false, null)))
        .compose(parsed -> storeUnlessToRender(parsed, clock))
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, Replies.kindOf(err), String.valueOf(err.getMessage())));
  }

  /** Stores the page (its items given to the sink first), or answers at once that it is to be rendered. */
  private Future<ParseResult> storeUnlessToRender(Parsed parsed, PageClock clock) {
    if (parsed.renderWanted() != null) {
      return Future.succeededFuture(ParseResult.toRender(parsed.renderWanted()));
    }
    return delivered(parsed.record(), clock)
        .onSuccess(record -> parsed(record, clock))
        .compose(record -> vertx.eventBus().<PageStored>request(Addresses.STORE_PAGE, record, DOWNSTREAM))
        .map(stored -> ParseResult.stored(stored.body(), parsed.found()));
  }

  /**
   * The page's items given to the item sink, on the parse pool, before the page is stored: a sink
   * that throws fails the request as {@code store}, which ends the crawl as failed with the page
   * not stored, so a resumed crawl delivers it again.
   */
  private Future<PageRecord> delivered(PageRecord record, PageClock clock) {
    if (itemSink == null || record.items().isEmpty()) {
      return Future.succeededFuture(record);
    }
    return parsePool.executeBlocking(() -> clock.time(() -> {
      List<Item> items = new ArrayList<>(record.items().size());
      for (Object item : record.items()) {
        items.add(HandledPage.item((JsonObject) item, record.url()));
      }
      try {
        itemSink.accept(items);
      } catch (Exception e) {
        throw new CrawlException(FailureKind.STORE, record.url(), "the item sink failed: " + e, e);
      }
      return record;
    }), false);
  }

  /** A page that parsed counts its time on the parse pool toward the parse stage's histogram. */
  private void parsed(PageRecord record, PageClock clock) {
    if (record.error() == null) {
      metrics.parsed(clock.nanos());
    }
  }

  /**
   * Parsing is throughput work: on a machine with few cores the event loops, which hand out the
   * next fetch, should not wait behind it. The parse pool's threads are its own, so each lowers
   * itself once. Java priorities only reach the OS with {@code -XX:ThreadPriorityPolicy=1} on
   * Linux, which the {@code trawl} launcher passes; elsewhere this changes nothing.
   */
  private static void lowerPriority() {
    Thread thread = Thread.currentThread();
    if (thread.getPriority() != Thread.MIN_PRIORITY) {
      thread.setPriority(Thread.MIN_PRIORITY);
    }
  }

  /**
   * Parse thread. The URLs to queue are the links in scope within the depth limit (only those the
   * matching rules' {@code follow} regions hold, when they have one, and among the links kept, so
   * that what is queued is in {@code links}), plus the in-scope URLs of {@code download.from_fields}
   * whatever the depth: the user named those files. A page that {@link FetchedPage#mayRender may
   * be rendered} and lacks what the rules look for goes no further: no handler sees it.
   */
  private Parsed parse(FetchedPage page, long maxHeapBytes) throws Exception {
    lowerPriority();
    String previousHash = Revisit.contentHashOf(page.request().revisit());
    if (previousHash != null && previousHash.equals(ContentHash.of(page.body()))) {
      // The content the crawl holds: its links and items are those stored; nothing to parse, and
      // nothing for auto mode to learn (the content was found when it was first stored).
      return new Parsed(PageRecord.unchanged(page, page.body().length), true, null);
    }
    HtmlParser.ParsedPage parsed = parser.parse(page.finalUrl(), page.body(), page.contentType(), maxHeapBytes);
    Extractor.Extracted extracted =
        extractor.extract(page.request().url(), page.finalUrl(), parsed.document(), parsed.baseUrl());
    ContentCheck.Lack lack = contentCheck.lack(page.request().url(), page.finalUrl(), parsed.document(), extracted);
    if (page.mayRender() && lack != ContentCheck.Lack.NONE) {
      log.debug("parse wants render url={} lack={}", page.request().url(), lack);
      return new Parsed(null, false,
          lack == ContentCheck.Lack.WHEN_MISSING_ABSENT ? RenderReason.WHEN_MISSING : RenderReason.AUTO);
    }
    JsonArray items = extracted.items();
    Set<String> followed = Set.of();
    if (!pageHandlers.isEmpty()) {
      HandledPage handled = new HandledPage(page.request().url(), page.finalUrl(), page.request().depth(),
          page.status(), parsed.document(), parsed.baseUrl(), parsed.links(), items);
      runHandlers(handled);
      items = items.copy().addAll(handled.emitted());
      followed = handled.followed();
    }
    int droppedHere = parsed.linksDropped();
    Set<String> discovered = new LinkedHashSet<>();
    if (page.request().depth() < config.crawl().maxDepth()) {
      List<String> candidates = parsed.links();
      if (extracted.follow().isPresent()) {
        Set<String> kept = new HashSet<>(parsed.links());
        candidates = extracted.follow().get().stream().filter(kept::contains).toList();
      }
      for (String link : candidates) {
        if (scope.allows(link)) {
          discovered.add(link);
        }
      }
      for (String link : followed) {
        if (link.length() <= config.fetch().maxUrlLength() && scope.allows(link)) {
          discovered.add(link);
        }
      }
    }
    for (String file : extracted.downloads()) {
      if (file.length() > config.fetch().maxUrlLength()) {
        droppedHere++;
      } else if (scope.allows(file)) {
        discovered.add(file);
      }
    }
    if (droppedHere > 0) {
      dropped.add(droppedHere);
      log.debug("links dropped url={} kept={} dropped={}", page.request().url(), parsed.links().size(), droppedHere);
    }
    PageRecord record = PageRecord.parsed(page, parsed.title(), parsed.contentHash(), parsed.links(),
        List.copyOf(discovered), items);
    return new Parsed(record, lack == ContentCheck.Lack.NONE, null);
  }

  /** Parse thread. A handler that throws fails the page as {@code parse}; the first such failure is logged at WARN. */
  private void runHandlers(HandledPage handled) throws Exception {
    for (PageHandler handler : pageHandlers) {
      try {
        handler.handle(handled);
      } catch (Exception e) {
        if (handlerFailureLogged.compareAndSet(false, true)) {
          log.warn("page handler failed url={} (further failures at DEBUG); the page is stored with error parse",
              handled.url(), e);
        }
        throw e;
      }
    }
  }

  /**
   * The page's error row: {@code too_complex} when parsing it passed its share of the budget,
   * {@code parse} for anything else the page caused, a stack overflow included (an extraction
   * regex that recurses once per character of a long text overflows it). Any other {@link Error}
   * (out of memory, a broken class) is no page's doing: it goes to the Vert.x exception handler,
   * where the crawl fails as a whole, and the page is not stored.
   */
  private Future<PageRecord> parseFailure(FetchedPage page, Throwable err) {
    if (err instanceof Error && !(err instanceof StackOverflowError)) {
      Handler<Throwable> crawlFailed = vertx.exceptionHandler();
      if (crawlFailed != null) {
        crawlFailed.handle(err);
      } else {
        log.error("parse failed url={}", page.request().url(), err);
      }
      return Future.failedFuture(err);
    }
    FailureKind kind = err instanceof CrawlException crawl ? crawl.kind() : FailureKind.PARSE;
    log.debug("parse failed url={} kind={}", page.request().url(), kind.code(), err);
    return Future.succeededFuture(PageRecord.unparsed(page, kind.code()));
  }
}
