package io.trawl.store;

/**
 * What a database already holds of earlier crawls, read before a crawl starts.
 *
 * @param hasCrawl a crawl has run on this database
 * @param pending frontier rows still {@code queued} or {@code in_flight}
 * @param lastConfigJson the config of the last run as JSON text, or null
 */
public record CrawlHistory(boolean hasCrawl, long pending, String lastConfigJson) {
  /** A database that does not exist yet, or holds no trawl tables. */
  public static final CrawlHistory NONE = new CrawlHistory(false, 0, null);

  /** Its frontier still has work: the crawl did not finish. */
  public boolean unfinished() {
    return pending > 0;
  }
}
