package io.trawl.bus;

/**
 * A fetched response: on its way to the parser when it is HTML, else what its {@link PageRecord}
 * is made of.
 *
 * @param request what the frontier asked for
 * @param finalUrl the URL after redirects
 * @param status the HTTP status
 * @param contentType the Content-Type header, or null
 * @param body the (decompressed) body
 * @param fetchedAtMs epoch millis when the response ended
 * @param elapsedMs time from the first request byte to the last body byte
 * @param attempts tries it took, this one included
 * @param etag the response's ETag header, or null
 * @param lastModified the response's Last-Modified header, or null
 * @param rendered why the page was rendered in the browser (a {@code pages.rendered} word; its
 *     body is then the DOM, as UTF-8), or null when it was fetched plainly
 * @param mayRender whether the parser may send it to the browser instead of storing it, when it
 *     lacks what the rules look for ({@code render.mode: auto})
 * @param screenshot the PNG of the rendered page, saved, or null
 */
public record FetchedPage(
    FetchRequest request,
    String finalUrl,
    int status,
    String contentType,
    byte[] body,
    long fetchedAtMs,
    long elapsedMs,
    int attempts,
    String etag,
    String lastModified,
    String rendered,
    boolean mayRender,
    DownloadedFile screenshot) {

  /** A response fetched plainly, without validators, which the parser stores whatever it holds. */
  public static FetchedPage plain(FetchRequest request, String finalUrl, int status, String contentType, byte[] body,
      long fetchedAtMs, long elapsedMs, int attempts) {
    return new FetchedPage(request, finalUrl, status, contentType, body, fetchedAtMs, elapsedMs, attempts, null, null,
        null, false, null);
  }

  /** A page rendered in the browser ({@code why}, a {@code pages.rendered} word), without validators. */
  public static FetchedPage rendered(FetchRequest request, String finalUrl, int status, String contentType, byte[] dom,
      long fetchedAtMs, long elapsedMs, int attempts, String why, DownloadedFile screenshot) {
    return new FetchedPage(request, finalUrl, status, contentType, dom, fetchedAtMs, elapsedMs, attempts, null, null,
        why, false, screenshot);
  }
}
