package io.trawl.bus;

/**
 * One queued row of the {@code frontier} table as the frontier keeps it in memory.
 *
 * @param id the row id; rows are added in id order, so it doubles as the paging cursor
 * @param url the normalized URL
 * @param depth links followed from a seed
 * @param attempts tries made so far
 * @param notBeforeMs epoch millis before which it must not be fetched (0 = any time)
 * @param revisit what earlier fetches left of the URL, or null (never fetched with success nor scheduled)
 */
public record FrontierRow(long id, String url, int depth, int attempts, long notBeforeMs, Revisit revisit) {
  /** A row the crawl knows nothing of from before. */
  public FrontierRow(long id, String url, int depth, int attempts, long notBeforeMs) {
    this(id, url, depth, attempts, notBeforeMs, null);
  }

  /** The same row going back to the queue after {@code attempts} tries, not before {@code notBeforeMs}. */
  public FrontierRow putBack(int attempts, long notBeforeMs) {
    return new FrontierRow(id, url, depth, attempts, notBeforeMs, revisit);
  }
}
