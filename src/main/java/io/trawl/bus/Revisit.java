package io.trawl.bus;

/**
 * What the crawl knows of a URL from its earlier fetches, read with its frontier row and carried
 * with it to the fetcher, the parser and the store: the validators of the content it holds (sent
 * as {@code If-None-Match} / {@code If-Modified-Since}) and that content's hash, and the URL's
 * recrawl interval. Absent (null) for a URL never fetched with success and never scheduled.
 *
 * @param etag the ETag the content came with, or null
 * @param lastModified the Last-Modified the content came with, or null
 * @param contentHash the hash of the content held ({@code pages.content_hash}), or null when none is held
 * @param intervalMs the URL's recrawl interval ({@code frontier.interval_ms}); 0 = none yet
 */
public record Revisit(String etag, String lastModified, String contentHash, long intervalMs) {
  /** Whether the crawl holds content for the URL, which a fetch may find changed or not. */
  public boolean hasContent() {
    return contentHash != null;
  }

  /** The hash of the content held for the URL of {@code revisit}, or null. */
  public static String contentHashOf(Revisit revisit) {
    return revisit == null ? null : revisit.contentHash();
  }

  /** The interval of {@code revisit}, 0 when none. */
  public static long intervalOf(Revisit revisit) {
    return revisit == null ? 0 : revisit.intervalMs();
  }
}
