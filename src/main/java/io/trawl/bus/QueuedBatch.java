package io.trawl.bus;

import java.util.List;

/**
 * Queued frontier rows in id order, the answer to a {@link QueuedRequest}.
 *
 * @param rows the rows, oldest first
 * @param queuedTotal all rows in state {@code queued} at the time of the read
 * @param finishedTotal rows already {@code done} or {@code failed}, read only for the first batch
 *     of a run (a request after id 0), else -1: what earlier runs stored counts toward {@code
 *     crawl.max_pages}
 */
public record QueuedBatch(List<FrontierRow> rows, long queuedTotal, long finishedTotal) {}
