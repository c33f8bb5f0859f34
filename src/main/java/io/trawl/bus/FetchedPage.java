package io.trawl.bus;

import io.vertx.core.json.JsonObject;

/**
 * A fetched HTML response on its way to the parser.
 *
 * @param request what the frontier asked for
 * @param finalUrl the URL after redirects
 * @param status the HTTP status
 * @param contentType the Content-Type header, or null
 * @param body the (decompressed) body
 * @param fetchedAtMs epoch millis when the response ended
 * @param elapsedMs time from the first request byte to the last body byte
 * @param attempts tries it took, this one included
 */
public record FetchedPage(
    FetchRequest request,
    String finalUrl,
    int status,
    String contentType,
    byte[] body,
    long fetchedAtMs,
    long elapsedMs,
    int attempts) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("request", request.toJson())
        .put("finalUrl", finalUrl)
        .put("status", status)
        .put("contentType", contentType)
        .put("body", body)
        .put("fetchedAtMs", fetchedAtMs)
        .put("elapsedMs", elapsedMs)
        .put("attempts", attempts);
  }

  public static FetchedPage fromJson(JsonObject json) {
    return new FetchedPage(
        FetchRequest.fromJson(json.getJsonObject("request")),
        json.getString("finalUrl"),
        json.getInteger("status"),
        json.getString("contentType"),
        json.getBinary("body"),
        json.getLong("fetchedAtMs"),
        json.getLong("elapsedMs"),
        json.getInteger("attempts"));
  }
}
