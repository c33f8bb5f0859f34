package io.trawl.bus;

import io.vertx.core.json.JsonArray;
import java.util.List;

/**
 * Everything the store writes for one tried URL, in one transaction: its {@code pages} row, its
 * outgoing {@code links}, the in-scope URLs to add to the {@code frontier}, its {@code items}, and
 * the final state of its own frontier row.
 *
 * @param frontierId the URL's frontier row id
 * @param url the normalized URL as queued
 * @param finalUrl the URL after redirects, or null when nothing was fetched
 * @param status the HTTP status, or 0 when no response came
 * @param contentType the Content-Type header, or null
 * @param depth links followed from a seed
 * @param title the page title, or null
 * @param fetchedAtMs epoch millis when the attempt ended
 * @param elapsedMs duration of the last attempt
 * @param bytes body bytes kept
 * @param contentHash lowercase hex SHA-256 of the body, or null
 * @param attempts tries made, the last included
 * @param error the {@code pages.error} word, or null on success
 * @param links every outgoing http(s) link, normalized, once each
 * @param discovered the links to queue: in scope and within the depth limit
 * @param items extracted records, each {@code {"rule": name, "data": {...}}}
 * @param download the file the body was saved to, or the page's screenshot; null for none
 * @param revisit what the crawl knew of the URL before this fetch (its request's), or null
 * @param etag the response's ETag header, or null
 * @param lastModified the response's Last-Modified header, or null
 * @param rendered why the page was rendered in the browser (a {@code pages.rendered} word), or
 *     null when it was fetched plainly
 */
public record PageRecord(
    long frontierId,
    String url,
    String finalUrl,
    int status,
    String contentType,
    int depth,
    String title,
    long fetchedAtMs,
    long elapsedMs,
    long bytes,
    String contentHash,
    int attempts,
    String error,
    List<String> links,
    List<String> discovered,
    JsonArray items,
    DownloadedFile download,
    Revisit revisit,
    String etag,
    String lastModified,
    String rendered) {

  /** A page fetched plainly, with what the crawl knew of it before and its validators. */
  public PageRecord(long frontierId, String url, String finalUrl, int status, String contentType, int depth,
      String title, long fetchedAtMs, long elapsedMs, long bytes, String contentHash, int attempts, String error,
      List<String> links, List<String> discovered, JsonArray items, DownloadedFile download, Revisit revisit,
      String etag, String lastModified) {
    this(frontierId, url, finalUrl, status, contentType, depth, title, fetchedAtMs, elapsedMs, bytes, contentHash,
        attempts, error, links, discovered, items, download, revisit, etag, lastModified, null);
  }

  /** A page fetched plainly, of a URL the crawl knew nothing of. */
  public PageRecord(long frontierId, String url, String finalUrl, int status, String contentType, int depth,
      String title, long fetchedAtMs, long elapsedMs, long bytes, String contentHash, int attempts, String error,
      List<String> links, List<String> discovered, JsonArray items, DownloadedFile download) {
    this(frontierId, url, finalUrl, status, contentType, depth, title, fetchedAtMs, elapsedMs, bytes, contentHash,
        attempts, error, links, discovered, items, download, null, null, null, null);
  }

  /** A URL that ended without a usable response. */
  public static PageRecord failure(FetchRequest request, String error, int attempts, long fetchedAtMs, long elapsedMs) {
    return new PageRecord(
        request.id(), request.url(), null, 0, null, request.depth(), null, fetchedAtMs, elapsedMs, 0,
        null, attempts, error, List.of(), List.of(), new JsonArray(), null, request.revisit(), null, null, null);
  }

  /**
   * A response whose content is the one the crawl already holds: a {@code 304 Not Modified}, or a
   * body of the same hash, not parsed again. Stored without links or items: the URL keeps its own.
   *
   * @param bytes body bytes downloaded (0 for a 304)
   */
  public static PageRecord unchanged(FetchedPage page, long bytes) {
    return fromResponse(page, null, bytes, page.request().revisit().contentHash(), null, List.of(), List.of(),
        new JsonArray(), null);
  }

  /** This record of a page that was rendered in the browser ({@code why}), or fetched plainly ({@code null}). */
  public PageRecord withRendered(String why) {
    return new PageRecord(frontierId, url, finalUrl, status, contentType, depth, title, fetchedAtMs, elapsedMs, bytes,
        contentHash, attempts, error, links, discovered, items, download, revisit, etag, lastModified, why);
  }

  /**
   * A response stored as it came, without links or items: not HTML, an HTTP error status, or a page
   * the parser could not read.
   *
   * @param error the {@code pages.error} word, or null when the response is no error
   */
  public static PageRecord unparsed(FetchedPage page, String error) {
    return unparsed(page, error, null);
  }

  /**
   * The same, with the hash of its body (a 2xx body that is not HTML, hashed so that a recrawl can
   * tell whether it changed).
   */
  public static PageRecord unparsed(FetchedPage page, String error, String contentHash) {
    return fromResponse(page, null, page.body().length, contentHash, error, List.of(), List.of(), new JsonArray(), null);
  }

  /** A response whose body was streamed to {@code file} instead of being kept: its bytes and hash are the file's. */
  public static PageRecord downloaded(FetchedPage page, DownloadedFile file) {
    return fromResponse(page, null, file.bytes(), file.sha256(), null, List.of(), List.of(), new JsonArray(), file);
  }

  /**
   * A parsed HTML page (with its screenshot as its download, if it has one).
   *
   * @param title the page title, or null
   * @param contentHash lowercase hex SHA-256 of the body
   * @param links every outgoing http(s) link, normalized, once each
   * @param discovered the links to queue
   * @param items extracted records
   */
  public static PageRecord parsed(FetchedPage page, String title, String contentHash, List<String> links,
      List<String> discovered, JsonArray items) {
    return fromResponse(page, title, page.body().length, contentHash, null, links, discovered, items, page.screenshot());
  }

  private static PageRecord fromResponse(FetchedPage page, String title, long bytes, String contentHash, String error,
      List<String> links, List<String> discovered, JsonArray items, DownloadedFile download) {
    FetchRequest request = page.request();
    return new PageRecord(request.id(), request.url(), page.finalUrl(), page.status(), page.contentType(),
        request.depth(), title, page.fetchedAtMs(), page.elapsedMs(), bytes, contentHash, page.attempts(), error,
        links, discovered, items, download, request.revisit(), page.etag(), page.lastModified(),
        page.rendered());
  }

  /** The content hash the crawl held for the URL before this fetch, or null. */
  public String previousHash() {
    return Revisit.contentHashOf(revisit);
  }
}
