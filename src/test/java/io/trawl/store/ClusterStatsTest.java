package io.trawl.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ClusterStatsTest {
  @Test
  void sumsWhatEachNodeCountedAndLeavesOutWhatTheCloseCounts() {
    JsonObject a = new JsonObject().put("stored", 10).put("pagesPerSecond", 3.0).put("retries", 2).put("linksDropped", 5)
        .put("invalidJsonLd", 1).put("renderLearned", new JsonArray().add("/a/*"))
        .put("rules", new JsonObject().put("quotes", new JsonObject().put("items", 4).put("dropped", 1)
            .put("empty", new JsonObject().put("tags", 2))));
    JsonObject b = new JsonObject().put("stored", 7).put("retries", 1).put("linksDropped", 0).put("invalidJsonLd", 2)
        .put("renderLearned", new JsonArray().add("/a/*").add("/b/*"))
        .put("rules", new JsonObject()
            .put("quotes", new JsonObject().put("items", 3).put("dropped", 0).put("empty", new JsonObject().put("author", 1)))
            .put("authors", new JsonObject().put("items", 1).put("dropped", 0).put("empty", new JsonObject())));

    JsonObject merged = ClusterStats.merge(ClusterStats.merge(null, a), b);

    assertThat(merged.fieldNames()).containsExactlyInAnyOrder("retries", "linksDropped", "invalidJsonLd", "renderLearned",
        "rules");
    assertThat(merged.getLong("retries")).isEqualTo(3);
    assertThat(merged.getLong("linksDropped")).isEqualTo(5);
    assertThat(merged.getLong("invalidJsonLd")).isEqualTo(3);
    assertThat(merged.getJsonArray("renderLearned")).containsExactly("/a/*", "/b/*");
    assertThat(merged.getJsonObject("rules")).isEqualTo(new JsonObject()
        .put("quotes", new JsonObject().put("items", 7L).put("dropped", 1L)
            .put("empty", new JsonObject().put("tags", 2L).put("author", 1L)))
        .put("authors", new JsonObject().put("items", 1L).put("dropped", 0L).put("empty", new JsonObject())));
  }

  @Test
  void aHostThatMovedKeepsItsSlowerPaceAndTheSlowestHostsAreKept() {
    JsonObject a = new JsonObject();
    JsonObject b = new JsonObject();
    for (int i = 0; i < ClusterStats.HOST_PACES; i++) {
      a.put("a" + i, pace(10.0 + i, 0));
      b.put("b" + i, pace(5.0 + i, 0));
    }
    a.put("moved", pace(1.5, 3));
    b.put("moved", pace(4.0, 1));

    JsonObject paces = ClusterStats.merge(ClusterStats.merge(null, new JsonObject().put("hostPace", a)),
        new JsonObject().put("hostPace", b)).getJsonObject("hostPace");

    assertThat(paces.size()).isEqualTo(ClusterStats.HOST_PACES);
    assertThat(paces.getJsonObject("moved")).isEqualTo(pace(1.5, 4));
    assertThat(paces.fieldNames()).contains("b0", "a0").doesNotContain("b" + (ClusterStats.HOST_PACES - 1));
  }

  @Test
  void theCloseAddsTheCrawlsFiguresAndPagesPerSecondOverItsWholeDuration() {
    JsonObject stats = ClusterStats.close(new JsonObject().put("retries", 4), 300, 6, 0, 0, 10, 60_000, 2, "done");

    assertThat(stats.getDouble("pagesPerSecond")).isEqualTo(5.0);
    assertThat(stats.getLong("stored")).isEqualTo(300);
    assertThat(stats.getLong("retries")).isEqualTo(4);
    assertThat(stats.getLong("nodes")).isEqualTo(2);
    assertThat(stats.getString("stopReason")).isEqualTo("done");
    assertThat(stats.getJsonObject("rules")).isEqualTo(new JsonObject());
    assertThat(stats.getLong("invalidJsonLd")).isZero();
  }

  private static JsonObject pace(double perSecond, int slowdowns) {
    return new JsonObject().put("perSecond", perSecond).put("configuredPerSecond", 50.0).put("slowdowns", slowdowns);
  }
}
