package io.trawl.bus;

import io.vertx.core.json.JsonArray;

/**
 * One queued row of the {@code frontier} table as the frontier keeps it in memory.
 *
 * @param id the row id; rows are added in id order, so it doubles as the paging cursor
 * @param url the normalized URL
 * @param depth links followed from a seed
 * @param attempts tries made so far
 * @param notBeforeMs epoch millis before which it must not be fetched (0 = any time)
 */
public record FrontierRow(long id, String url, int depth, int attempts, long notBeforeMs) {
  JsonArray toJson() {
    return new JsonArray().add(id).add(url).add(depth).add(attempts).add(notBeforeMs);
  }

  static FrontierRow fromJson(JsonArray json) {
    return new FrontierRow(json.getLong(0), json.getString(1), json.getInteger(2), json.getInteger(3), json.getLong(4));
  }
}
