package io.trawl.store;

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
   * each page's row, links, items, download, discovered URLs and its own final frontier state.
   *
   * @param discovered per page, the discovered URLs not known to be in the frontier already
   * @param crawlId the {@code crawls} row the pages belong to; 0 for none
   * @return per page, how many frontier rows it added
   */
  List<Integer> write(List<FrontierUpdate> updates, List<PageRecord> pages, List<List<String>> discovered, long crawlId);

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

  /** Opens a row of {@code crawls} with the run's config; returns its id. */
  long openCrawl(String configJson);

  /** Records how the run {@code id} ended. */
  void closeCrawl(long id, String outcome, String statsJson);

  /** Adds {@code urls} to the frontier at {@code depth} in one transaction; returns how many were new. */
  int addDiscovered(List<String> urls, int depth);

  /** Closes the connection (SQLite also folds its WAL back into the file). */
  @Override
  void close();
}
