package io.trawl.api;

import java.util.Map;

/**
 * Headers to add to each page request, chosen per URL: an API token for one host, a cookie, a
 * language. Asked again for each redirect hop, with the hop's URL. Not asked for robots.txt and
 * sitemap requests. A header it returns replaces trawl's own of the same name (User-Agent and
 * Accept). Its values are never logged or stored.
 *
 * <p>Thread: an event loop of the fetch stage, once per request: it must return at once, without
 * blocking or I/O (compute headers ahead and look them up). Several fetchers call it at once: it
 * must be thread-safe. An exception thrown fails that request as {@code bad_url}.
 */
@FunctionalInterface
public interface RequestHook {
  /** The headers to send with a request for {@code url}; an empty map for none. */
  Map<String, String> headers(String url);
}
