package io.trawl.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.trawl.CrawlJob;
import io.trawl.Extensions;
import io.trawl.testing.Await;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.SharedChromium;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The render stage's meters after a crawl: the pages that went to the browser by reason and
 * error, their render time, the browsers started; plain pages counted in none of them. In the
 * shared headless Chromium.
 */
@ExtendWith(SharedChromium.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RenderMetricsIT {
  @TempDir Path dir;
  private Vertx vertx;
  private Vertx crawlVertx;
  private ScriptedSite site;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start()
        .page("/", "<a href=\"/app/1\">1</a> <a href=\"/app/2\">2</a> <a href=\"/plain\">p</a>")
        .page("/plain", "<p>plain</p>")
        .page("/app/1", "<div id=\"x\"></div><script>document.getElementById('x').textContent = 'one'</script>")
        .page("/app/2", "<div id=\"x\"></div><script>document.getElementById('x').textContent = 'two'</script>")
        .text("/robots.txt", "text/plain", "User-agent: *\nAllow: /\n");
  }

  @AfterEach
  void stop() {
    if (crawlVertx != null) {
      Await.result(crawlVertx.close());
    }
    Await.result(vertx.close());
  }

  @Test
  void countsRenderedPagesByReasonTheirTimeAndTheBrowsersStarted(SharedChromium.Endpoint chromium) throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "render: {urls: ['/app/'], wait_for: load}\n");
    TrawlConfig config = ConfigLoader.load(file, Map.of(
        "crawl.db", dir.resolve("trawl.db").toString(),
        "fetch.per_host_rate", "1000/s",
        "render.browser", chromium.url()));
    List<String> seeds = List.of(site.url("/"));
    CrawlMetrics metrics = CrawlMetrics.create();
    crawlVertx = Vertx.vertx(CrawlJob.vertxOptions());
    CrawlJob job = new CrawlJob(crawlVertx, config, seeds, Scope.of(config.crawl(), seeds), false,
        Extensions.NONE, metrics);
    Await.result(job.start());
    Await.result(job.finished());

    PrometheusText text = PrometheusText.parse(metrics.registry().scrape());
    assertThat(text.sum("trawl_render_pages_total", "reason", "urls", "error", "none")).isEqualTo(2);
    assertThat(text.sum("trawl_stage_seconds_count", "stage", "render")).isEqualTo(2);
    assertThat(text.sum("trawl_render_browser_starts_total")).isEqualTo(1);
    assertThat(text.sum("trawl_render_browser_losses_total")).isZero();
    assertThat(metrics.renderedByReason()).isEqualTo(Map.of("urls", 2L));
  }
}
