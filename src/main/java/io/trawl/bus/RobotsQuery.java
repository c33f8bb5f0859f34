package io.trawl.bus;

import io.vertx.core.json.JsonObject;

/** May {@code url} be fetched under its host's robots.txt? */
public record RobotsQuery(String url) {
  public JsonObject toJson() {
    return new JsonObject().put("url", url);
  }

  public static RobotsQuery fromJson(JsonObject json) {
    return new RobotsQuery(json.getString("url"));
  }
}
