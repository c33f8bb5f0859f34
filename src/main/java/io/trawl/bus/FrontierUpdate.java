package io.trawl.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes the frontier asks the store to make to {@code frontier} rows it owns, written in one
 * transaction: seeds to add, rows handed to fetchers ({@code in_flight}), and rows put back to
 * {@code queued} with a {@code not_before}.
 *
 * @param seeds normalized seed URLs to add at depth 0 (ignored when already present)
 * @param claimed ids now in flight
 * @param putBack rows going back to queued, with their attempts and not-before
 */
public record FrontierUpdate(List<String> seeds, List<Long> claimed, List<FrontierRow> putBack) {
  public static FrontierUpdate ofSeeds(List<String> seeds) {
    return new FrontierUpdate(seeds, List.of(), List.of());
  }

  public boolean isEmpty() {
    return seeds.isEmpty() && claimed.isEmpty() && putBack.isEmpty();
  }

  public JsonObject toJson() {
    JsonArray back = new JsonArray();
    putBack.forEach(row -> back.add(row.toJson()));
    return new JsonObject()
        .put("seeds", new JsonArray(seeds))
        .put("claimed", new JsonArray(claimed))
        .put("putBack", back);
  }

  public static FrontierUpdate fromJson(JsonObject json) {
    List<String> seeds = new ArrayList<>();
    json.getJsonArray("seeds").forEach(s -> seeds.add((String) s));
    List<Long> claimed = new ArrayList<>();
    JsonArray ids = json.getJsonArray("claimed");
    for (int i = 0; i < ids.size(); i++) {
      claimed.add(ids.getLong(i));
    }
    List<FrontierRow> back = new ArrayList<>();
    JsonArray rows = json.getJsonArray("putBack");
    for (int i = 0; i < rows.size(); i++) {
      back.add(FrontierRow.fromJson(rows.getJsonArray(i)));
    }
    return new FrontierUpdate(seeds, claimed, back);
  }
}
