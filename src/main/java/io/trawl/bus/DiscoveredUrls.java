package io.trawl.bus;

import java.util.List;

/**
 * URLs found outside a page (in sitemaps) to add to the {@code frontier} as {@code queued}, in one
 * transaction; those already present are left as they are, but for their schedule: a sitemap's
 * {@code <changefreq>} becomes a URL's recrawl interval, and a {@code <lastmod>} later than its
 * last fetch makes it due now.
 *
 * @param urls normalized, in-scope URLs
 * @param depth the depth they are queued at
 * @param lastModifiedMs per URL, its {@code <lastmod>} as epoch millis (0 = none); empty = none at all
 * @param changeIntervalMs per URL, its {@code <changefreq>} as millis (-1 = none); empty = none at all
 */
public record DiscoveredUrls(List<String> urls, int depth, List<Long> lastModifiedMs, List<Long> changeIntervalMs) {
  /** URLs without schedule hints. */
  public DiscoveredUrls(List<String> urls, int depth) {
    this(urls, depth, List.of(), List.of());
  }
}
