package io.trawl.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CrawlMetricsTest {
  @Test
  void countsPagesByStatusClassAndErrorAndKeepsTheLastFailuresNewestFirst() {
    CrawlMetrics metrics = CrawlMetrics.create();
    metrics.pageStored("http://a.test/1", 200, null, 100, 5, 1);
    metrics.pageStored("http://a.test/2", 404, "http_404", 10, 5, 2);
    metrics.pageStored("http://a.test/3", 0, "dns", 0, 0, 3);
    for (int i = 0; i < 30; i++) {
      metrics.pageStored("http://b.test/" + i, 503, "http_503", 0, 5, 10 + i);
    }

    assertThat(metrics.pagesByError()).isEqualTo(Map.of("none", 1L, "http_404", 1L, "dns", 1L, "http_503", 30L));
    assertThat(metrics.bytes()).isEqualTo(110);
    PrometheusText text = PrometheusText.parse(metrics.registry().scrape());
    assertThat(text.sum("trawl_pages_total", "status_class", "none", "error", "dns")).isEqualTo(1);
    assertThat(text.sum("trawl_pages_total", "status_class", "4xx", "error", "http_404")).isEqualTo(1);
    assertThat(text.sum("trawl_stage_seconds_count", "stage", "fetch")).as("only pages that got a response").isEqualTo(32);
    assertThat(metrics.recentFailures()).hasSize(RecentFailures.DEFAULT_SIZE);
    assertThat(metrics.recentFailures().get(0).url()).isEqualTo("http://b.test/29");
  }

  @Test
  void offDoesNothingAndHasNoRegistry() {
    CrawlMetrics.OFF.pageStored("http://a.test/", 200, null, 1, 1, 1);
    CrawlMetrics.OFF.parsed(1);
    CrawlMetrics.OFF.batchCommitted(1, 1);

    assertThat(CrawlMetrics.OFF.isOn()).isFalse();
    assertThat(CrawlMetrics.OFF.registry()).isNull();
    assertThat(CrawlMetrics.OFF.pagesByError()).isEmpty();
  }
}
