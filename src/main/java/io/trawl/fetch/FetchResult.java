package io.trawl.fetch;

import io.trawl.bus.DownloadedFile;

/**
 * A response, whatever its status (a 404 or a 503 is a result, not a failure).
 *
 * @param url the URL asked for
 * @param finalUrl the URL after redirects
 * @param status the HTTP status
 * @param contentType the Content-Type header, or null
 * @param body the body after decompression (at most {@code fetch.max_body_size})
 * @param elapsedMs from the first request to the last body byte, redirects included
 * @param redirects redirects followed
 * @param retryAfter the raw Retry-After header, or null
 * @param download the file the body was streamed to instead ({@code body} is then empty), or null
 * @param etag the ETag header, or null
 * @param lastModified the Last-Modified header, or null
 * @param rendered why the page was rendered in the browser ({@code body} is then its DOM), or null
 *     when it was fetched plainly
 * @param screenshot the rendered page's PNG, saved, or null
 */
public record FetchResult(
    String url, String finalUrl, int status, String contentType, byte[] body, long elapsedMs, int redirects,
    String retryAfter, DownloadedFile download, String etag, String lastModified, String rendered,
    DownloadedFile screenshot) {

  /** A rendered page ({@code rendered}), without validators. */
  public FetchResult(String url, String finalUrl, int status, String contentType, byte[] body, long elapsedMs,
      int redirects, String retryAfter, DownloadedFile download, String rendered, DownloadedFile screenshot) {
    this(url, finalUrl, status, contentType, body, elapsedMs, redirects, retryAfter, download, null, null, rendered,
        screenshot);
  }

  /** A response over plain HTTP, without validators. */
  public FetchResult(String url, String finalUrl, int status, String contentType, byte[] body, long elapsedMs,
      int redirects, String retryAfter, DownloadedFile download) {
    this(url, finalUrl, status, contentType, body, elapsedMs, redirects, retryAfter, download, null, null, null, null);
  }
}
