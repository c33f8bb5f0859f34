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
    String lastModified) {

  /** A response without validators. */
  public FetchedPage(FetchRequest request, String finalUrl, int status, String contentType, byte[] body,
      long fetchedAtMs, long elapsedMs, int attempts) {
    this(request, finalUrl, status, contentType, body, fetchedAtMs, elapsedMs, attempts, null, null);
  }
}
