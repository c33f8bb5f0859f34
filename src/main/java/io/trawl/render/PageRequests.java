package io.trawl.render;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What a rendered page's requests go out with and what their answers leave behind, as for a plain
 * fetch: the headers of a request to a URL (its host's {@code fetch.headers} and {@code hosts:}
 * headers, its auth, the crawl's cookies for it, the Java API's {@code RequestHook}), and the
 * {@code Set-Cookie} headers of the page's own document, which the crawl's cookie jar keeps. Built
 * by the crawl from the fetch stage's parts; both functions are thread-safe and return at once
 * (the render stage calls them on its event loop, once per request of a page).
 *
 * @param headers the headers to add to a request for a URL (replacing the browser's own of the
 *     same name); may throw, which refuses the request
 * @param cookiesSet the {@code Set-Cookie} headers of the response to a URL
 */
public record PageRequests(Function<String, Map<String, String>> headers, BiConsumer<String, List<String>> cookiesSet) {
  /** Nothing added, nothing kept: the browser's requests as it makes them. */
  public static final PageRequests NONE = new PageRequests(url -> Map.of(), (url, cookies) -> { });
}
