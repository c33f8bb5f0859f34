package io.trawl.bus;

import io.vertx.core.json.JsonObject;

/**
 * One URL handed to a fetcher.
 *
 * @param id the frontier row id
 * @param url the normalized URL
 * @param depth links followed from a seed
 * @param attempts tries made before this one (0 on the first)
 */
public record FetchRequest(long id, String url, int depth, int attempts) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("url", url).put("depth", depth).put("attempts", attempts);
  }

  public static FetchRequest fromJson(JsonObject json) {
    return new FetchRequest(
        json.getLong("id"), json.getString("url"), json.getInteger("depth"), json.getInteger("attempts"));
  }
}
