package io.trawl.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.PageRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One batch's items go to PostgreSQL in one upsert, which may not update a row twice: a keyed item
 * seen twice in the batch is sent once, at its last sighting; items without a key are all sent.
 */
class PgBatchTest {
  private static JsonObject item(String rule, String key, int n) {
    JsonObject item = new JsonObject().put("rule", rule).put("data", new JsonObject().put("n", n));
    return key == null ? item : item.put("key", key);
  }

  private static PageRecord page(String url, JsonObject... items) {
    return new PageRecord(1, url, url, 200, "text/html", 0, null, 0, 0, 0, null, 1, null, List.of(), List.of(),
        new JsonArray(List.of((Object[]) items)), null, null, null, null);
  }

  @Test
  void keepsEachKeyOfARuleOnceAtItsLastSightingAndEveryItemWithoutAKey() {
    List<PageRecord> batch = List.of(
        page("http://127.0.0.1/1", item("p", "[\"A\"]", 1), item("p", "[\"B\"]", 2), item("s", null, 3)),
        page("http://127.0.0.1/2", item("p", "[\"B\"]", 4), item("q", "[\"B\"]", 5), item("s", null, 6)));

    assertThat(PgBatch.lastOfEachKey(batch))
        .extracting(row -> row.item().getJsonObject("data").getInteger("n"))
        .containsExactly(1, 3, 4, 5, 6);
  }
}
