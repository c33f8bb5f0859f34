package io.trawl.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.metrics.CrawlMetrics;
import io.trawl.metrics.FrontierSnapshot;
import io.trawl.metrics.FrontierSnapshot.HostStatus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardFeedTest {
  @Test
  void ratesCountFromTheCrawlsStartAndBetweenFramesAndHostRatesBetweenSnapshots() {
    CrawlMetrics metrics = CrawlMetrics.create();
    DashboardFeed feed = new DashboardFeed(metrics, 10_000);
    metrics.pageStored("http://a.test/gone", 404, "http_404", 0, 1, 10_100);
    for (int i = 0; i < 4; i++) {
      metrics.pageStored("http://a.test/" + i, 200, null, 10, 1, 10_200);
    }
    metrics.frontier(snapshot(5, 10_500));

    JsonObject first = feed.frame(12_000);
    assertThat(first.getDouble("pagesPerSecond")).as("5 pages in the 2 s since the start").isEqualTo(2.5);
    assertThat(first.getJsonObject("errors").getDouble("http_404")).isEqualTo(0.5);
    assertThat(first.getJsonArray("failures").getJsonObject(0).getString("url")).isEqualTo("http://a.test/gone");

    for (int i = 0; i < 10; i++) {
      metrics.pageStored("http://a.test/more" + i, 200, null, 10, 1, 12_500);
    }
    metrics.frontier(snapshot(15, 12_500));
    JsonObject second = feed.frame(13_000);
    assertThat(second.getDouble("pagesPerSecond")).isEqualTo(10.0);
    assertThat(second.getJsonObject("errors").getDouble("http_404")).isZero();
    assertThat(second.getLong("stored")).isEqualTo(15);
    assertThat(second.getJsonArray("hosts").getJsonObject(0).getDouble("pagesPerSecond"))
        .as("10 pages between snapshots 2 s apart").isEqualTo(5.0);
    assertThat(feed.history()).hasSize(2);
    assertThat(feed.history().getJsonObject(0).containsKey("failures")).as("older frames keep their chart figures").isFalse();
    assertThat(feed.history().getJsonObject(0).getDouble("pagesPerSecond")).isEqualTo(2.5);
    assertThat(feed.history().getJsonObject(1)).isEqualTo(second);
  }

  private static FrontierSnapshot snapshot(long done, long atMs) {
    return new FrontierSnapshot(0, 1, 0, 1, 1, 0, 0,
        List.of(new HostStatus("a.test", done, 1, 0, 1000, "fetching", 0)), atMs);
  }
}
