package io.trawl.store;

import io.trawl.bus.CookieChanges;
import io.trawl.bus.CookieRecord;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.QueuedBatch;
import java.util.List;

/**
 * The one connection that writes a crawl's database. A whole batch (pages, links, items,
 * downloads, discovered URLs, frontier states) is one transaction run by one blocking call. Only
 * ever called on the store's single writer thread ({@code trawl-store}), never on an event loop.
 * Every method either commits all it was given or, on failure, rolls back and throws a
 * {@link StoreException} naming the database.
 */
public interface StoreWriter extends AutoCloseable {
  /**
   * Abnormal stops with a URL in flight after which opening the writer for {@code --resume}
   * fails it as {@code crashed} (with its pages row) instead of queueing it again.
   */
  int MAX_CRASHES = 3;

  /**
   * Writes one batch in one transaction: frontier updates first (seeds, claims, put-backs), then
   * each page's row, its {@code page_versions} row, links, items, download, discovered URLs and its
   * own final frontier state with its schedule. As {@code versions} says of each page: content new,
   * changed or gone replaces the page's row, and its earlier items (moved to {@code item_history},
   * {@code removed_in} = {@code crawlId}) and links; content unchanged, or a failure of a URL that
   * holds content, updates only the fetch's columns of its row and keeps its items and links.
   *
   * @param versions per page, what its fetch found and its schedule
   * @param discovered per page, the discovered URLs not known to be in the frontier already
   * @param crawlId the {@code crawls} row the pages belong to; 0 for none
   * @return per page, how many frontier rows it added
   */
  List<Integer> write(List<FrontierUpdate> updates, List<PageRecord> pages, List<PageVersion> versions,
      List<List<String>> discovered, long crawlId);

  /**
   * Up to {@code limit} queued frontier rows with an id above {@code afterId}, in id order, and how
   * many rows are queued in all; for the first read ({@code afterId} 0), also how many are
   * finished. Read on the writer's own connection, after every committed batch.
   */
  QueuedBatch queued(long afterId, int limit);

  /**
   * For a node of a cluster crawl: up to {@code perPartition} queued rows of each of {@code
   * partitions}, each above its own cursor ({@code afterIds}, same order), in id order within a
   * partition; and how many rows are queued in those partitions ({@code finishedTotal} is -1). Read
   * on the writer's own connection, after every committed batch.
   *
   * @throws UnsupportedOperationException on a backend that has no cluster mode (SQLite)
   */
  default QueuedBatch queuedIn(List<Integer> partitions, List<Long> afterIds, int perPartition) {
    throw new UnsupportedOperationException("cluster mode needs PostgreSQL");
  }

  /**
   * Opens a row of {@code crawls} with the run's config and kind; returns its id. A {@link
   * RunKind#RECRAWL} also puts the finished frontier rows due by {@code dueBeforeMs} back in the
   * queue (attempts and crash counts reset), in the same transaction, so the run that refetches
   * them is recorded whenever they are queued.
   *
   * @param dueBeforeMs for a recrawl, the rows with {@code due_at} at or before this epoch millis
   *     are queued again ({@code Long.MAX_VALUE}: all); ignored otherwise
   */
  long openCrawl(String configJson, RunKind kind, long dueBeforeMs);

  /** Records how the run {@code id} ended. */
  void closeCrawl(long id, String outcome, String statsJson);

  /** Adds {@code urls} to the frontier at {@code depth} in one transaction; returns how many were new. */
  int addDiscovered(List<String> urls, int depth);

  /**
   * A sitemap's schedule hints for URLs of the frontier, in one transaction: a {@code <lastmod>}
   * later than a finished URL's last fetch (its {@code due_at} less its {@code interval_ms}) makes
   * it due now; a {@code <changefreq>} becomes its interval, due no later than that from {@code
   * nowMs}. URLs not in the frontier are ignored.
   *
   * @param lastModifiedMs per URL, epoch millis; 0 = none
   * @param intervalMs per URL, its interval within the schedule's bounds; 0 = none
   */
  void scheduleFromSitemap(List<String> urls, List<Long> lastModifiedMs, List<Long> intervalMs, long nowMs);
  /** Applies the cookie jar's changes to the {@code cookies} table in one transaction. */
  void saveCookies(CookieChanges changes);

  /** The cookies the {@code cookies} table holds (an earlier run's, for {@code --resume}). */
  List<CookieRecord> cookies();

  /** Closes the connection (SQLite also folds its WAL back into the file). */
  @Override
  void close();
}
