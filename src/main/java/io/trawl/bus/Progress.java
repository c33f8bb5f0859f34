package io.trawl.bus;

/**
 * Where the crawl stands, published by the frontier.
 *
 * @param stored pages stored this run, failures included
 * @param failed of those, pages stored with an error
 * @param inFlight requests handed out and not yet answered
 * @param queued rows still queued (in memory and in SQLite)
 * @param retries URLs put back for another try
 * @param elapsedMs time since the crawl started
 * @param hosts distinct hosts seen this run
 * @param stopReason why dispatching stopped ({@code done}, {@code max_pages}, {@code max_duration},
 *     {@code stopped}), or null while running
 */
public record Progress(
    long stored, long failed, int inFlight, long queued, long retries, long elapsedMs, int hosts, String stopReason) {

  public double pagesPerSecond() {
    return elapsedMs <= 0 ? 0 : stored * 1000.0 / elapsedMs;
  }
}
