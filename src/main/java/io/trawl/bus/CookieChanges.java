package io.trawl.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What changed in the cookie jar since it was last saved: cookies set (inserted or replaced, by
 * domain, path and name) and cookies gone (expired, deleted by their server, or evicted).
 */
public record CookieChanges(List<CookieRecord> saved, List<CookieRecord> removed) {
  public static final CookieChanges NONE = new CookieChanges(List.of(), List.of());

  public boolean isEmpty() {
    return saved.isEmpty() && removed.isEmpty();
  }

  public JsonObject toJson() {
    return new JsonObject().put("saved", array(saved)).put("removed", array(removed));
  }

  public static CookieChanges fromJson(JsonObject json) {
    return new CookieChanges(list(json.getJsonArray("saved")), list(json.getJsonArray("removed")));
  }

  private static JsonArray array(List<CookieRecord> cookies) {
    JsonArray array = new JsonArray();
    cookies.forEach(c -> array.add(c.toJson()));
    return array;
  }

  private static List<CookieRecord> list(JsonArray array) {
    return array.stream().map(o -> CookieRecord.fromJson((JsonObject) o)).toList();
  }
}
