package io.trawl.bus;

import java.util.List;

/**
 * URLs found outside a page (in sitemaps) to add to the {@code frontier} as {@code queued}, in one
 * transaction; those already present are left as they are.
 *
 * @param urls normalized, in-scope URLs
 * @param depth the depth they are queued at
 */
public record DiscoveredUrls(List<String> urls, int depth) {}
