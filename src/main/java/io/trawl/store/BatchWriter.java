package io.trawl.store;

import io.trawl.bus.CookieChanges;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.PageStored;
import io.trawl.metrics.CrawlMetrics;
import io.trawl.bus.Revisit;
import io.trawl.core.PageChange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups writes into transactions: a page's row, its links, its items, its discovered URLs and its
 * own frontier state always commit together, and many pages share one transaction. A write's
 * future completes only once its transaction has committed. Queues on the store verticle's event
 * loop; the SQL runs on the single {@code trawl-store} writer thread, one batch at a time.
 */
final class BatchWriter {
  private final Vertx vertx;
  private final WorkerExecutor writerThread;
  private final StoreWriter store;
  private final RecrawlSchedule schedule;
  private final int batchSize;
  private final long batchDelayMs;
  private final CrawlMetrics metrics;
  private final List<PendingPage> pages = new ArrayList<>();
  private final List<PendingFrontier> frontier = new ArrayList<>();
  private final List<PendingCookies> cookies = new ArrayList<>();
  private final SeenUrls seen = new SeenUrls(SeenUrls.DEFAULT_SLOTS);
  private boolean writing;
  private long timerId = -1;
  private long crawlId;

  /** A writer that tells no metrics. */
  BatchWriter(Vertx vertx, WorkerExecutor writerThread, StoreWriter store, RecrawlSchedule schedule, int batchSize,
      Duration batchDelay) {
    this(vertx, writerThread, store, schedule, batchSize, batchDelay, CrawlMetrics.OFF);
  }

  BatchWriter(Vertx vertx, WorkerExecutor writerThread, StoreWriter store, RecrawlSchedule schedule, int batchSize,
      Duration batchDelay, CrawlMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.writerThread = writerThread;
    this.store = store;
    this.schedule = schedule;
    this.batchSize = batchSize;
    this.batchDelayMs = Math.max(0, batchDelay.toMillis());
  }

  void crawlId(long id) {
    this.crawlId = id;
  }

  Future<PageStored> savePage(PageRecord page) {
    Promise<PageStored> promise = Promise.promise();
    pages.add(new PendingPage(page, promise));
    schedule();
    return promise.future();
  }

  Future<Void> saveFrontier(FrontierUpdate update) {
    Promise<Void> promise = Promise.promise();
    frontier.add(new PendingFrontier(update, promise));
    schedule();
    return promise.future();
  }

  /**
   * Saves cookie changes in their own transaction just before the next batch's, so a page stored
   * after a cookie was set never outlives it in the database (a kill between the two loses
   * neither a page reported stored nor its session).
   */
  Future<Void> saveCookies(CookieChanges changes) {
    Promise<Void> promise = Promise.promise();
    cookies.add(new PendingCookies(changes, promise));
    if (!writing) {
      write();
    }
    return promise.future();
  }

  /** Completes once everything submitted so far has committed. */
  Future<Void> flush() {
    Promise<Void> promise = Promise.promise();
    frontier.add(new PendingFrontier(new FrontierUpdate(List.of(), List.of(), List.of()), promise));
    if (!writing) {
      write();
    }
    return promise.future();
  }

  private void schedule() {
    if (writing) {
      return;
    }
    if (pages.size() >= batchSize || batchDelayMs == 0) {
      write();
    } else if (timerId < 0) {
      timerId = vertx.setTimer(batchDelayMs, id -> {
        timerId = -1;
        if (!writing) {
          write();
        }
      });
    }
  }

  private void write() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    if (pages.isEmpty() && frontier.isEmpty() && cookies.isEmpty()) {
      return;
    }
    List<PendingCookies> cookieBatch = new ArrayList<>(cookies);
    cookies.clear();
    List<PendingPage> pageBatch = new ArrayList<>(pages.subList(0, Math.min(batchSize, pages.size())));
    pages.subList(0, pageBatch.size()).clear();
    List<PendingFrontier> frontierBatch = new ArrayList<>(frontier);
    frontier.clear();
    List<FrontierUpdate> updates = new ArrayList<>(frontierBatch.size());
    for (PendingFrontier pending : frontierBatch) {
      pending.update.seeds().forEach(seen::addIfAbsent);
      updates.add(pending.update);
    }
    List<PageRecord> records = new ArrayList<>(pageBatch.size());
    List<PageVersion> versions = new ArrayList<>(pageBatch.size());
    List<List<String>> unseen = new ArrayList<>(pageBatch.size());
    for (PendingPage pending : pageBatch) {
      records.add(pending.page);
      versions.add(version(pending.page));
      unseen.add(unseen(pending.page.discovered()));
    }
    long id = crawlId;
    writing = true;
    writerThread.executeBlocking(() -> {
          cookieBatch.forEach(pending -> store.saveCookies(pending.changes));
          if (updates.isEmpty() && records.isEmpty()) {
            return List.<Integer>of();
          }
          long startedNanos = System.nanoTime();
          List<Integer> newUrls = store.write(updates, records, versions, unseen, id);
          if (!records.isEmpty()) {
            metrics.batchCommitted(records.size(), System.nanoTime() - startedNanos);
          }
          return newUrls;
        }, true)
        .onComplete(ar -> {
          writing = false;
          if (ar.succeeded()) {
            cookieBatch.forEach(p -> p.promise.complete());
            frontierBatch.forEach(p -> p.promise.complete());
            for (int i = 0; i < pageBatch.size(); i++) {
              PendingPage pending = pageBatch.get(i);
              PageRecord page = pending.page;
              metrics.pageStored(page.url(), page.status(), page.error(), page.bytes(), page.elapsedMs(),
                  page.fetchedAtMs());
              pending.promise.complete(new PageStored(ar.result().get(i), pending.page.error()));
            }
          } else {
            cookieBatch.forEach(p -> p.promise.fail(ar.cause()));
            frontierBatch.forEach(p -> p.promise.fail(ar.cause()));
            pageBatch.forEach(p -> p.promise.fail(ar.cause()));
          }
          if (pages.size() >= batchSize || !frontier.isEmpty() || !cookies.isEmpty()) {
            write();
          } else if (!pages.isEmpty()) {
            schedule();
          }
        });
  }

  /** What the page's fetch found against the content held before, and when the URL is next due. */
  private PageVersion version(PageRecord page) {
    PageChange change = PageChange.of(page.error(), page.status(), page.contentHash(), page.previousHash());
    RecrawlSchedule.Next next = schedule.after(change, Revisit.intervalOf(page.revisit()));
    return new PageVersion(change, next.intervalMs(), next.dueAtMs());
  }

  /** The URLs the fingerprint set has not seen; they are remembered from now on. */
  private List<String> unseen(List<String> discovered) {
    List<String> out = new ArrayList<>(Math.min(discovered.size(), 16));
    for (String url : discovered) {
      if (seen.addIfAbsent(url)) {
        out.add(url);
      }
    }
    return out;
  }

  private record PendingPage(PageRecord page, Promise<PageStored> promise) {}

  private record PendingFrontier(FrontierUpdate update, Promise<Void> promise) {}

  private record PendingCookies(CookieChanges changes, Promise<Void> promise) {}
}
