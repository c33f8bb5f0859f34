package io.trawl.frontier;

import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.QueuedBatch;
import io.trawl.bus.QueuedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * The paging window over the {@code frontier} table: which queued rows to read into the
 * {@link Frontier} next, whether the table has been read to its end, and a running count of the
 * rows still queued, in memory and in the table, as rows are claimed, put back and added. Rows are read in id order after a cursor (the table gives new rows higher
 * ids), a page at a time, while the frontier holds fewer than {@link #WINDOW} rows. A short page
 * means the end of the table only if no rows were added while it was being read: rows a stored
 * page or a sitemap adds meanwhile may not have been in it. On a node of a cluster crawl the
 * rows are read by host partition instead, those the node owns, each after its own cursor
 * ({@link PartitionCursors}), and the table is never read to its end for good: other nodes add
 * rows too. Not thread-safe: the frontier verticle's event loop owns it.
 */
final class FrontierWindow {
  /** Rows kept in memory at most; more are paged in from the table as these drain. */
  static final int WINDOW = 20_000;
  /** Rows read from the table at a time. */
  static final int PAGE_IN = 5_000;

  private final Frontier frontier;
  /** A cluster node's cursors, one per owned partition; null on one machine. */
  private final PartitionCursors partitions;
  private long cursor;
  private boolean loading;
  /** The read that is out, while {@link #loading}. */
  private QueuedRequest pending;
  private boolean exhausted;
  /** Counts the times rows were added to the table, so a read knows whether some came in meanwhile. */
  private long insertGeneration;
  private long loadGeneration;
  private long queuedTotal;

  FrontierWindow(Frontier frontier) {
    this(frontier, null);
  }

  /** @param partitions a cluster node's cursors by partition; null on one machine */
  FrontierWindow(Frontier frontier, PartitionCursors partitions) {
    this.frontier = frontier;
    this.partitions = partitions;
  }

  /**
   * A cluster node now owns {@code owned}: rows of the others leave memory (and the running count),
   * new ones are read from their start.
   */
  void own(java.util.Set<Integer> owned) {
    queuedTotal -= frontier.own(owned);
    partitions.own(owned);
  }

  /** Rows may have been added by other nodes of the cluster: read every owned partition again. */
  void refresh() {
    if (partitions != null) {
      partitions.refresh();
    }
  }

  /**
   * A cluster node with nothing in memory or in flight: read every owned partition again from its
   * start, for rows its cursors passed before they were committed ({@link PartitionCursors#rewind}).
   */
  void rewind() {
    if (partitions != null) {
      partitions.rewind();
    }
  }

  /**
   * The read to ask the store for now, or null when none is due: one is already out, the table is
   * read to its end, the frontier holds enough rows, or it has stopped. A read returned here is out
   * until {@link #loaded} gets its answer.
   */
  QueuedRequest nextLoad() {
    if (loading || isExhausted() || frontier.inMemory() > WINDOW - PAGE_IN || frontier.isStopped()) {
      return null;
    }
    QueuedRequest request = partitions == null ? new QueuedRequest(cursor, PAGE_IN) : partitions.next(PAGE_IN);
    if (request == null) {
      return null;
    }
    loading = true;
    pending = request;
    loadGeneration = insertGeneration;
    return request;
  }

  private boolean isExhausted() {
    return partitions == null ? exhausted : partitions.allRead();
  }

  /** The store's answer to the read that was out: its rows join the frontier and move the cursor. */
  void loaded(QueuedBatch batch) {
    loading = false;
    QueuedRequest request = pending;
    pending = null;
    for (FrontierRow row : batch.rows()) {
      frontier.add(row);
      cursor = row.id();
    }
    queuedTotal = batch.queuedTotal();
    if (batch.finishedTotal() >= 0) {
      frontier.storedBefore(batch.finishedTotal());
    }
    if (partitions != null && request != null) {
      partitions.loaded(request, batch, loadGeneration != insertGeneration);
    } else {
      exhausted = batch.rows().size() < PAGE_IN && loadGeneration == insertGeneration;
    }
  }

  /**
   * Hands out every row that may go now ({@link Frontier#next}): they are no longer queued.
   * Tells {@code handedOut} of each row as it goes, with its lane ({@link Frontier#lastLane}).
   */
  List<FrontierRow> claim(ObjIntConsumer<FrontierRow> handedOut) {
    List<FrontierRow> rows = new ArrayList<>();
    for (FrontierRow row = frontier.next(); row != null; row = frontier.next()) {
      rows.add(row);
      handedOut.accept(row, frontier.lastLane());
    }
    queuedTotal -= rows.size();
    return rows;
  }

  /**
   * A handed-out row's outcome: the row is done or back in the queue ({@link Frontier#complete}),
   * and the rows its page added are in the table.
   *
   * @return the row as it goes back to the queue, or null when it is done
   */
  FrontierRow completed(long id, FetchOutcome outcome) {
    FrontierRow back = frontier.complete(id, outcome);
    if (back != null) {
      queuedTotal++;
    }
    added(outcome.newUrls());
    return back;
  }

  /** {@code rows} new rows were added to the table (by a stored page or a sitemap): it is worth reading again. */
  void added(int rows) {
    if (rows > 0) {
      insertGeneration++;
      exhausted = false;
      refresh();
      queuedTotal += rows;
    }
  }

  /** The read that asks the store only for its count of queued rows. */
  static QueuedRequest countOnly() {
    return new QueuedRequest(Long.MAX_VALUE, 0);
  }

  /**
   * The table's own count of queued rows, read when the crawl ends: the running count is an
   * estimate (a read's count and a page's new rows can overlap).
   */
  void counted(long queued) {
    queuedTotal = queued;
  }

  /** Nothing more to read: the table was read to its end and no read is out. */
  boolean isDrained() {
    return isExhausted() && !loading;
  }

  /** Rows still queued, in memory and in the table. */
  long queued() {
    return Math.max(0, queuedTotal);
  }
}
