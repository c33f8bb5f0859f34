package io.trawl.render;

/**
 * A page as the browser rendered it, whatever its status (a 404 is a result, as for a plain
 * fetch).
 *
 * @param url the URL asked for
 * @param finalUrl the document's URL after redirects
 * @param status the HTTP status of the document
 * @param contentType the document's media type with {@code charset=utf-8}, the encoding of {@code
 *     html}; or its Content-Type header as served when it is not HTML
 * @param html the DOM after the wait, {@code document.documentElement.outerHTML} as UTF-8; empty
 *     for a status of 300 or more, and when the document is not HTML
 * @param isHtml whether the document is HTML: when it is not (a PDF, an image) nothing was
 *     rendered, and the caller fetches it plainly
 * @param elapsedMs from the navigation to the DOM read (the screenshot excluded)
 * @param redirects redirects of the document followed
 * @param retryAfter the document's Retry-After header, or null
 * @param screenshot the PNG of the page, or null when none was asked for
 */
public record Rendered(
    String url,
    String finalUrl,
    int status,
    String contentType,
    byte[] html,
    boolean isHtml,
    long elapsedMs,
    int redirects,
    String retryAfter,
    byte[] screenshot) {}
