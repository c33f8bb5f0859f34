package io.trawl.bus;

/**
 * A page as the browser rendered it: the renderer's answer to a {@link RenderRequest}, whatever
 * the status (a 404 is a result).
 *
 * @param finalUrl the document's URL after redirects
 * @param status the document's HTTP status
 * @param contentType the document's media type with {@code charset=utf-8} (the encoding of {@code
 *     body}), or its Content-Type as served when it is not HTML
 * @param body the DOM after the wait ({@code document.documentElement.outerHTML}) as UTF-8; empty
 *     for a status of 300 or more, and when the document is not HTML
 * @param html whether the document is HTML; when it is not, nothing was rendered and the fetcher
 *     fetches it plainly (a download, say)
 * @param elapsedMs from the navigation to the DOM read
 * @param retryAfter the document's Retry-After header, or null
 * @param screenshot the page's PNG, saved in {@code download.dir}, or null
 */
public record RenderedPage(
    String finalUrl,
    int status,
    String contentType,
    byte[] body,
    boolean html,
    long elapsedMs,
    String retryAfter,
    DownloadedFile screenshot) {}
