package io.trawl.bus;

/**
 * Read the sitemaps of a seed's host and queue their URLs; the reply (an Integer) counts the
 * frontier rows added. The reader fetches at most {@link #MAX_FILES} sitemap files per host, one
 * at a time, so the requester can bound how long to wait.
 *
 * @param seedUrl a normalized seed URL; its scheme, host and port name the site
 */
public record SitemapRequest(String seedUrl) {
  /** Sitemap files (indexes included) fetched per host at most. */
  public static final int MAX_FILES = 50;
}
