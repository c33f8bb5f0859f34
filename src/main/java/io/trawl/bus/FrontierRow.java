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
 * @param render why the URL goes to the browser when next fetched, or null: set when it was put
 *     back for rendering; kept in memory only (a row read back from the table has none, and is
 *     fetched plainly first again)
 */
public record FrontierRow(long id, String url, int depth, int attempts, long notBeforeMs, Revisit revisit,
    String render) {
  /** A row the crawl knows nothing of from before. */
  public FrontierRow(long id, String url, int depth, int attempts, long notBeforeMs) {
    this(id, url, depth, attempts, notBeforeMs, null, null);
  }

  /** A row as the table holds it, with what earlier fetches left of its URL. */
  public FrontierRow(long id, String url, int depth, int attempts, long notBeforeMs, Revisit revisit) {
    this(id, url, depth, attempts, notBeforeMs, revisit, null);
  }

  /** The same row going back to the queue after {@code attempts} tries, not before {@code notBeforeMs}. */
  public FrontierRow putBack(int attempts, long notBeforeMs) {
    return new FrontierRow(id, url, depth, attempts, notBeforeMs, revisit, render);
  }
}
