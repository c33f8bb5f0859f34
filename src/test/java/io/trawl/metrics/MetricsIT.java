package io.trawl.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.CrawlJob;
import io.trawl.Extensions;
import io.trawl.bench.GeneratedSite;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.LoopbackServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus endpoint of a real crawl of a local site: scraped while the crawl runs, and at the
 * end its counters equal what the database holds; its label sets stay few on a crawl of 1,000 hosts.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MetricsIT {
  private static final int PAGES = 300;
  private static final int MISSING = 20;

  @TempDir Path dir;
  private Vertx serverVertx;
  private Vertx crawlVertx;

  @BeforeEach
  void startServerVertx() {
    serverVertx = Vertx.vertx(CrawlJob.vertxOptions());
  }

  @AfterEach
  void closeAll() {
    if (crawlVertx != null) {
      Await.result(crawlVertx.close());
    }
    Await.result(serverVertx.close());
  }

  @Test
  void isScrapedDuringACrawlAndItsCountersEqualTheDatabaseAtTheEnd() throws Exception {
    // 10 ms a response and 4 requests at a time: the crawl lasts about a second, long enough to
    // be scraped while it runs.
    GeneratedSite site = Await.result(new GeneratedSite(serverVertx, PAGES, 2000, 8, 10).start());
    List<String> seeds = new ArrayList<>(List.of(site.url(0)));
    for (int i = 0; i < MISSING; i++) {
      seeds.add("http://127.0.0.1:" + site.port() + "/missing/" + i);
    }
    TrawlConfig config = config(Map.of("fetch.concurrency", "4", "fetch.per_host_concurrency", "4"));
    CrawlJob job = startCrawl(config, seeds, CrawlJob.vertxOptions());
    String url = "http://127.0.0.1:" + job.metricsPort() + "/metrics";

    PrometheusText during = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> PrometheusText.scrape(url), scrape -> scrape.sum("trawl_pages_total") > 0);
    boolean finishedBefore = job.finished().isComplete();
    Await.result(job.finished());
    // The GC meters appear with the first collection the registry hears of; a short test may have
    // none, so one is asked for.
    System.gc();
    PrometheusText end = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> PrometheusText.scrape(url), scrape -> scrape.has("jvm_gc_pause_seconds_count"));

    assertThat(finishedBefore).as("the first scrape with pages came while the crawl ran").isFalse();
    assertThat(during.sum("trawl_pages_total")).isLessThan(PAGES + MISSING);
    Path db = Path.of(config.crawl().db());
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(PAGES + MISSING);
    Map<String, Double> byDatabase = new TreeMap<>();
    for (Map<String, Object> row : Db.rows(db, """
        SELECT CASE WHEN status IS NULL THEN 'none' ELSE (status / 100) || 'xx' END AS status_class,
               coalesce(error, 'none') AS error, count(*) AS pages
        FROM pages GROUP BY 1, 2""")) {
      byDatabase.put(row.get("status_class") + "/" + row.get("error"), ((Number) row.get("pages")).doubleValue());
    }
    Map<String, Double> byMetrics = new TreeMap<>();
    for (PrometheusText.Sample s : end.samples()) {
      if (s.name().equals("trawl_pages_total")) {
        byMetrics.put(s.labels().get("status_class") + "/" + s.labels().get("error"), s.value());
      }
    }
    assertThat(byMetrics).isEqualTo(byDatabase).containsEntry("4xx/http_404", (double) MISSING)
        .containsEntry("2xx/none", (double) PAGES);
    assertThat(end.sum("trawl_bytes_total")).isEqualTo(Db.count(db, "SELECT sum(bytes) FROM pages"));
    assertThat(end.sum("trawl_stage_seconds_count", "stage", "fetch"))
        .isEqualTo(Db.count(db, "SELECT count(*) FROM pages WHERE status IS NOT NULL"));
    assertThat(end.sum("trawl_stage_seconds_count", "stage", "parse")).isEqualTo(PAGES);
    assertThat(end.sum("trawl_store_batch_pages_sum")).isEqualTo(PAGES + MISSING);
    assertThat(end.sum("trawl_stage_seconds_count", "stage", "store_commit"))
        .isEqualTo(end.sum("trawl_store_batch_pages_count")).isPositive();
    assertThat(end.sum("trawl_robots_verdicts_total", "verdict", "allowed")).isEqualTo(PAGES + MISSING);
    assertThat(end.sum("trawl_retries_total")).isZero();
    assertThat(end.sum("trawl_frontier_in_flight")).isZero();
    assertThat(end.sum("trawl_frontier_queued")).isZero();
    assertThat(end.sum("trawl_hosts_seen")).isEqualTo(1);
    // Vert.x's own metrics and the JVM's, in the same registry.
    assertThat(end.has("vertx_http_client_requests_total")).isTrue();
    assertThat(end.has("vertx_pool_completed_total")).isTrue();
    assertThat(end.has("vertx_eventbus_processed_total")).as("event-bus meters are off: they cost too much").isFalse();
    assertThat(end.has("jvm_memory_used_bytes")).isTrue();
    assertThat(DockerFilesTest.metricsOfDashboard()).as("the Grafana dashboard's metrics")
        .allMatch(end::has, "scraped from the crawl");
  }

  @Test
  void keepsItsLabelsFewOnACrawlOfAThousandHosts() throws Exception {
    int hosts = 1000;
    var server = LoopbackServer.start(serverVertx, req -> {
      if (req.path().equals("/")) {
        req.response().putHeader("content-type", "text/html").end("<title>home</title><a href=/gone>gone</a>");
      } else {
        req.response().setStatusCode(404).end(); // robots.txt and /gone
      }
    });
    StringBuilder names = new StringBuilder();
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      names.append("127.0.0.1 h").append(i).append(".trawl.test\n");
      seeds.add("http://h" + i + ".trawl.test:" + server.port() + "/");
    }
    VertxOptions options = CrawlJob.vertxOptions()
        .setAddressResolverOptions(new AddressResolverOptions().setHostsValue(Buffer.buffer(names.toString())));
    TrawlConfig config = config(Map.of("crawl.max_depth", "1", "fetch.concurrency", "32"));
    CrawlJob job = startCrawl(config, seeds, options);
    Await.result(job.finished());
    PrometheusText end = PrometheusText.scrape("http://127.0.0.1:" + job.metricsPort() + "/metrics");

    Path db = Path.of(config.crawl().db());
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(2L * hosts);
    assertThat(end.sum("trawl_pages_total")).isEqualTo(2.0 * hosts);
    assertThat(end.sum("trawl_hosts_seen")).isEqualTo(hosts);
    Map<String, Set<String>> valuesByLabel = new HashMap<>();
    for (PrometheusText.Sample s : end.samples()) {
      s.labels().forEach((label, value) -> {
        assertThat(value).as("%s{%s}", s.name(), label).doesNotContain("trawl.test");
        valuesByLabel.computeIfAbsent(label, l -> new TreeSet<>()).add(value);
      });
    }
    valuesByLabel.forEach((label, values) ->
        assertThat(values).as("values of the label %s", label).hasSizeLessThan(50));
    assertThat(end.samples()).as("series in all").hasSizeLessThan(hosts);
  }

  private TrawlConfig config(Map<String, String> extra) {
    Map<String, String> keys = new HashMap<>(Map.of(
        "crawl.db", dir.resolve("trawl.db").toString(),
        "crawl.max_depth", "50",
        "crawl.metrics", "127.0.0.1:0",
        "fetch.per_host_rate", "100000/s"));
    keys.putAll(extra);
    return ConfigLoader.load(null, keys);
  }

  private CrawlJob startCrawl(TrawlConfig config, List<String> seeds, VertxOptions options) {
    CrawlMetrics metrics = CrawlMetrics.forConfig(config);
    crawlVertx = MetricsVertx.create(options, metrics, true);
    CrawlJob job = new CrawlJob(crawlVertx, config, seeds, Scope.of(config.crawl(), seeds), false,
        Extensions.NONE, metrics);
    Await.result(job.start());
    return job;
  }
}
