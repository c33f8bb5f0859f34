package io.trawl.store;

import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.PageStored;
import io.trawl.core.FrontierState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups writes into transactions: a page's row, its links, its items, its discovered URLs and its
 * own frontier state always commit together, and many pages share one transaction. A write's
 * future completes only once its transaction has committed. Runs on the store verticle's event
 * loop; the JDBC work itself runs on the pool's worker thread.
 */
final class BatchWriter {
  private final Vertx vertx;
  private final Pool pool;
  private final int batchSize;
  private final long batchDelayMs;
  private final List<PendingPage> pages = new ArrayList<>();
  private final List<PendingFrontier> frontier = new ArrayList<>();
  private boolean writing;
  private long timerId = -1;
  private long crawlId;

  BatchWriter(Vertx vertx, Pool pool, int batchSize, Duration batchDelay) {
    this.vertx = vertx;
    this.pool = pool;
    this.batchSize = batchSize;
    this.batchDelayMs = Math.max(1, batchDelay.toMillis());
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

  /** Completes once everything submitted so far has committed. */
  Future<Void> flush() {
    return saveFrontier(new FrontierUpdate(List.of(), List.of(), List.of()));
  }

  private void schedule() {
    if (writing) {
      return;
    }
    if (pages.size() >= batchSize) {
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
    if (pages.isEmpty() && frontier.isEmpty()) {
      return;
    }
    List<PendingPage> pageBatch = new ArrayList<>(pages.subList(0, Math.min(batchSize, pages.size())));
    pages.subList(0, pageBatch.size()).clear();
    List<PendingFrontier> frontierBatch = new ArrayList<>(frontier);
    frontier.clear();
    writing = true;
    pool.withTransaction(conn -> writeAll(conn, frontierBatch, pageBatch))
        .onComplete(ar -> {
          writing = false;
          if (ar.succeeded()) {
            frontierBatch.forEach(p -> p.promise.complete());
            for (int i = 0; i < pageBatch.size(); i++) {
              pageBatch.get(i).promise.complete(new PageStored(ar.result().get(i)));
            }
          } else {
            frontierBatch.forEach(p -> p.promise.fail(ar.cause()));
            pageBatch.forEach(p -> p.promise.fail(ar.cause()));
          }
          if (!pages.isEmpty() || !frontier.isEmpty()) {
            if (pages.size() >= batchSize || !frontier.isEmpty()) {
              write();
            } else {
              schedule();
            }
          }
        });
  }

  /** Writes one batch; the result is, per page, how many frontier rows it added. */
  private Future<List<Integer>> writeAll(SqlConnection conn, List<PendingFrontier> updates, List<PendingPage> batch) {
    List<Tuple> seeds = new ArrayList<>();
    List<Tuple> claims = new ArrayList<>();
    List<Tuple> putBacks = new ArrayList<>();
    for (PendingFrontier pending : updates) {
      pending.update.seeds().forEach(url -> seeds.add(Tuple.of(url)));
      pending.update.claimed().forEach(id -> claims.add(Tuple.of(id)));
      for (FrontierRow row : pending.update.putBack()) {
        putBacks.add(Tuple.of(row.attempts(), row.notBeforeMs(), row.id()));
      }
    }
    List<Tuple> pageRows = new ArrayList<>();
    List<Tuple> links = new ArrayList<>();
    List<Tuple> discovered = new ArrayList<>();
    List<Tuple> finished = new ArrayList<>();
    List<Tuple> items = new ArrayList<>();
    int[] discoveredPerPage = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      PageRecord page = batch.get(i).page;
      String fetchedAt = Instant.ofEpochMilli(page.fetchedAtMs()).toString();
      pageRows.add(Tuple.from(new Object[] {
        page.url(), page.finalUrl(), page.status() == 0 ? null : page.status(), page.contentType(), page.depth(),
        page.title(), fetchedAt, page.elapsedMs(), page.bytes(), page.contentHash(), page.attempts(), page.error(),
        crawlId == 0 ? null : crawlId
      }));
      page.links().forEach(to -> links.add(Tuple.of(page.url(), to)));
      int nextDepth = page.depth() + 1;
      page.discovered().forEach(url -> discovered.add(Tuple.of(url, nextDepth)));
      discoveredPerPage[i] = page.discovered().size();
      FrontierState state = page.error() == null ? FrontierState.DONE : FrontierState.FAILED;
      finished.add(Tuple.of(state.column(), page.attempts(), page.frontierId()));
      for (int j = 0; j < page.items().size(); j++) {
        JsonObject item = page.items().getJsonObject(j);
        items.add(Tuple.of(page.url(), item.getString("rule"), item.getJsonObject("data").encode(), fetchedAt));
      }
    }
    return batch(conn, SqlQueries.INSERT_SEED, seeds)
        .compose(v -> batch(conn, SqlQueries.CLAIM, claims))
        .compose(v -> batch(conn, SqlQueries.PUT_BACK, putBacks))
        .compose(v -> batch(conn, SqlQueries.UPSERT_PAGE, pageRows))
        .compose(v -> batch(conn, SqlQueries.INSERT_LINK, links))
        .compose(v -> batch(conn, SqlQueries.INSERT_ITEM, items))
        .compose(v -> batch(conn, SqlQueries.INSERT_DISCOVERED, discovered))
        .map(inserted -> newRowsPerPage(inserted, discoveredPerPage))
        .compose(perPage -> batch(conn, SqlQueries.FINISH, finished).map(perPage));
  }

  private static Future<RowSet<Row>> batch(SqlConnection conn, String sql, List<Tuple> tuples) {
    if (tuples.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(sql).executeBatch(tuples);
  }

  /** Splits the per-row update counts of the discovered-URL insert back to the pages they came from. */
  private static List<Integer> newRowsPerPage(RowSet<Row> inserted, int[] discoveredPerPage) {
    List<Integer> perPage = new ArrayList<>(discoveredPerPage.length);
    RowSet<Row> current = inserted;
    for (int count : discoveredPerPage) {
      int added = 0;
      for (int k = 0; k < count && current != null; k++) {
        added += current.rowCount();
        current = current.next();
      }
      perPage.add(added);
    }
    return perPage;
  }

  private record PendingPage(PageRecord page, Promise<PageStored> promise) {}

  private record PendingFrontier(FrontierUpdate update, Promise<Void> promise) {}
}
