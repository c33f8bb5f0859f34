package io.trawl.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * URLs found outside a page (in sitemaps) to add to the {@code frontier} as {@code queued}, in one
 * transaction; those already present are left as they are.
 *
 * @param urls normalized, in-scope URLs
 * @param depth the depth they are queued at
 */
public record DiscoveredUrls(List<String> urls, int depth) {
  public JsonObject toJson() {
    return new JsonObject().put("urls", new JsonArray(urls)).put("depth", depth);
  }

  @SuppressWarnings("unchecked")
  public static DiscoveredUrls fromJson(JsonObject json) {
    return new DiscoveredUrls((List<String>) json.getJsonArray("urls").getList(), json.getInteger("depth"));
  }
}
