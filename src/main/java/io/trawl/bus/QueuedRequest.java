package io.trawl.bus;

import io.vertx.core.json.JsonObject;

/**
 * The frontier asks for queued rows with an id above {@code afterId}, oldest first.
 *
 * @param afterId the paging cursor: the highest id already read
 * @param limit rows wanted at most
 */
public record QueuedRequest(long afterId, int limit) {
  public JsonObject toJson() {
    return new JsonObject().put("afterId", afterId).put("limit", limit);
  }

  public static QueuedRequest fromJson(JsonObject json) {
    return new QueuedRequest(json.getLong("afterId"), json.getInteger("limit"));
  }
}
