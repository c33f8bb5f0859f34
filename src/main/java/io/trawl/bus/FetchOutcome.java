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
 */
public record FetchOutcome(long id, String error, long retryAtMs, int attempts, int newUrls, long crawlDelayMs) {
  public boolean stored() {
    return retryAtMs == 0;
  }
}
