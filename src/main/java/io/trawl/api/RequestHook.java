package io.trawl.api;

import java.util.Map;

/**
 * Headers to add to each page request, chosen per URL: an API token for one host, a cookie, a
 * language. Asked again for each redirect hop, with the hop's URL. Not asked for robots.txt and
 * sitemap requests. A header it returns replaces trawl's own of the same name (User-Agent and
 * Accept). Asked too for each request a rendered page makes (its document, each redirect hop, what
 * its scripts fetch), with that request's URL; there its headers replace the browser's own. Its
 * values are never logged or stored.
 *
 * <p>Thread: an event loop of the fetch stage (or of the render stage), once per request: it must return at once, without
 * blocking or I/O (compute headers ahead and look them up). Several fetchers call it at once: it
 * must be thread-safe. An exception thrown fails that request as {@code bad_url} (a rendered page's sub-resource: refused).
 */
@FunctionalInterface
public interface RequestHook {
  /** The headers to send with a request for {@code url}; an empty map for none. */
  Map<String, String> headers(String url);
}
