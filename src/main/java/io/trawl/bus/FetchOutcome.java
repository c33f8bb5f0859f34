package io.trawl.bus;

/**
 * What became of a {@link FetchRequest}: stored (with or without an error), or to be tried
 * again not before a time the server asked for.
 *
 * @param id the frontier row id
 * @param error the {@code pages.error} word, or null when the page was stored without error
 * @param retryAtMs epoch millis before which the URL must not be fetched again, or 0 when the
 *     URL is finished (stored)
 * @param attempts tries made so far, this one included
 * @param newUrls frontier rows this page added (in scope, not seen before)
 * @param crawlDelayMs the host's robots.txt Crawl-delay, or 0
 * @param render non-null when the URL goes back to be rendered in the browser: why (a {@code
 *     pages.rendered} word); not a retry
 */
public record FetchOutcome(long id, String error, long retryAtMs, int attempts, int newUrls, long crawlDelayMs,
    String render) {
  public FetchOutcome(long id, String error, long retryAtMs, int attempts, int newUrls, long crawlDelayMs) {
    this(id, error, retryAtMs, attempts, newUrls, crawlDelayMs, null);
  }

  /** The URL is finished: its page row is stored, with {@code error} or none. */
  public static FetchOutcome done(long id, String error, int attempts, int newUrls) {
    return new FetchOutcome(id, error, 0, attempts, newUrls, 0, null);
  }

  /** The URL goes back to the queue with {@code error} and is tried again not before {@code retryAtMs}. */
  public static FetchOutcome retryAt(long id, String error, long retryAtMs, int attempts) {
    return new FetchOutcome(id, error, retryAtMs, attempts, 0, 0, null);
  }

  /**
   * The URL goes back to the queue, at once, to be rendered in the browser ({@code why}): its page
   * fetched plainly lacked what the rules look for. Its tries are as they were.
   */
  public static FetchOutcome toRender(long id, int attempts, String why) {
    return new FetchOutcome(id, null, System.currentTimeMillis(), attempts, 0, 0, why);
  }

  /** This outcome with the host's robots.txt Crawl-delay. */
  public FetchOutcome withCrawlDelayMs(long delayMs) {
    return delayMs == crawlDelayMs ? this : new FetchOutcome(id, error, retryAtMs, attempts, newUrls, delayMs, render);
  }

  /** Whether the URL is finished (its page row stored) rather than put back for another try. */
  public boolean stored() {
    return retryAtMs == 0;
  }
}
