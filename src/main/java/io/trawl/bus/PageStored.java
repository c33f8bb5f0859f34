package io.trawl.bus;

import io.vertx.core.json.JsonObject;

/**
 * The store's answer once a page's transaction has committed.
 *
 * @param newUrls frontier rows the page added (discovered URLs not seen before)
 */
public record PageStored(int newUrls) {
  public JsonObject toJson() {
    return new JsonObject().put("newUrls", newUrls);
  }

  public static PageStored fromJson(JsonObject json) {
    return new PageStored(json.getInteger("newUrls", 0));
  }
}
