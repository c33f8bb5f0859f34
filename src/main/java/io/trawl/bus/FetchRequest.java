package io.trawl.bus;

/**
 * One URL handed to a fetcher.
 *
 * @param id the frontier row id
 * @param url the normalized URL
 * @param depth links followed from a seed
 * @param attempts tries made before this one (0 on the first)
 * @param revisit what earlier fetches left of the URL (conditional request validators, the content
 *     hash, the recrawl interval), or null
 */
public record FetchRequest(long id, String url, int depth, int attempts, Revisit revisit) {
  /** A URL the crawl knows nothing of from before. */
  public FetchRequest(long id, String url, int depth, int attempts) {
    this(id, url, depth, attempts, null);
  }
}
