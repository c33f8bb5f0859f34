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
 * @param render why the URL must be rendered in the browser (a {@code pages.rendered} word: its
 *     page, fetched plainly, lacked what the rules look for), or null for the fetcher to decide
 */
public record FetchRequest(long id, String url, int depth, int attempts, Revisit revisit, String render) {
  /** A URL the crawl knows nothing of from before, whose fetcher decides how to fetch it. */
  public FetchRequest(long id, String url, int depth, int attempts) {
    this(id, url, depth, attempts, null, null);
  }

  /** A URL with what earlier fetches left of it, whose fetcher decides how to fetch it. */
  public FetchRequest(long id, String url, int depth, int attempts, Revisit revisit) {
    this(id, url, depth, attempts, revisit, null);
  }
}
