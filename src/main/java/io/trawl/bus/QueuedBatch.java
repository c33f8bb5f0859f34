package io.trawl.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Queued frontier rows in id order, the answer to a {@link QueuedRequest}.
 *
 * @param rows the rows, oldest first
 * @param queuedTotal all rows in state {@code queued} at the time of the read
 * @param finishedTotal rows already {@code done} or {@code failed}, read only for the first batch
 *     of a run (a request after id 0), else -1: what earlier runs stored counts toward {@code
 *     crawl.max_pages}
 */
public record QueuedBatch(List<FrontierRow> rows, long queuedTotal, long finishedTotal) {
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    rows.forEach(row -> array.add(row.toJson()));
    return new JsonObject().put("rows", array).put("queuedTotal", queuedTotal).put("finishedTotal", finishedTotal);
  }

  public static QueuedBatch fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("rows");
    List<FrontierRow> rows = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      rows.add(FrontierRow.fromJson(array.getJsonArray(i)));
    }
    return new QueuedBatch(rows, json.getLong("queuedTotal"), json.getLong("finishedTotal"));
  }
}
