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
 * @param download the file the body was saved to, or null when it was not downloaded
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
    DownloadedFile download) {

  /** A page whose body was not saved as a file. */
  public PageRecord(long frontierId, String url, String finalUrl, int status, String contentType, int depth,
      String title, long fetchedAtMs, long elapsedMs, long bytes, String contentHash, int attempts, String error,
      List<String> links, List<String> discovered, JsonArray items) {
    this(frontierId, url, finalUrl, status, contentType, depth, title, fetchedAtMs, elapsedMs, bytes, contentHash,
        attempts, error, links, discovered, items, null);
  }

  /** A URL that ended without a usable response. */
  public static PageRecord failure(FetchRequest request, String error, int attempts, long fetchedAtMs, long elapsedMs) {
    return new PageRecord(
        request.id(), request.url(), null, 0, null, request.depth(), null, fetchedAtMs, elapsedMs, 0,
        null, attempts, error, List.of(), List.of(), new JsonArray());
  }
}
