package io.trawl.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.CrawlJob;
import io.trawl.Extensions;
import io.trawl.bench.GeneratedSite;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.trawl.metrics.CrawlMetrics;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard of a real crawl, read as a browser's EventSource would (no browser here; see
 * DashboardBrowserIT): its page and assets, frames pushed while the crawl runs, and at the end
 * figures equal to the database's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardIT {
  private static final int PAGES = 400;
  private static final int MISSING = 5;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private Vertx serverVertx;
  private Vertx crawlVertx;

  @BeforeEach
  void start() {
    serverVertx = Vertx.vertx(CrawlJob.vertxOptions());
    crawlVertx = Vertx.vertx(CrawlJob.vertxOptions());
  }

  @AfterEach
  void close() {
    Await.result(crawlVertx.close());
    Await.result(serverVertx.close());
  }

  @Test
  void pushesFramesWhileTheCrawlRunsAndEndsWithTheDatabasesFigures() throws Exception {
    GeneratedSite site = Await.result(new GeneratedSite(serverVertx, PAGES, 2000, 8, 30).start());
    List<String> seeds = new ArrayList<>(List.of(site.url(0)));
    for (int i = 0; i < MISSING; i++) {
      seeds.add("http://127.0.0.1:" + site.port() + "/missing/" + i);
    }
    TrawlConfig config = ConfigLoader.load(null, Map.of(
        "crawl.db", dir.resolve("trawl.db").toString(),
        "crawl.max_depth", "50",
        "crawl.ui", "127.0.0.1:0",
        "fetch.concurrency", "4",
        "fetch.per_host_concurrency", "4",
        "fetch.per_host_rate", "100000/s"));
    CrawlJob job = new CrawlJob(crawlVertx, config, seeds, Scope.of(config.crawl(), seeds), false,
        Extensions.NONE, CrawlMetrics.forConfig(config));
    Await.result(job.start());
    String base = "http://127.0.0.1:" + job.uiPort();

    HttpResponse<String> page = get(base + "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-security-policy").orElse("")).contains("default-src 'none'");
    assertThat(page.body()).contains("<script src=\"/uplot.js\"></script>").doesNotContain("http://", "https://");
    assertThat(get(base + "/uplot.js").body()).contains("uPlot");
    assertThat(get(base + "/dashboard.js").body()).contains("EventSource");
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).as("read-only").isEqualTo(405);

    List<Long> storedSeen = new ArrayList<>();
    HttpResponse<Stream<String>> events = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/events")).build(),
        HttpResponse.BodyHandlers.ofLines());
    assertThat(events.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    try (Stream<String> lines = events.body()) {
      Iterator<String> it = lines.iterator();
      while (it.hasNext() && !job.finished().isComplete()) {
        String line = it.next();
        if (line.startsWith("data: ")) {
          storedSeen.add(new JsonObject(line.substring(6)).getLong("stored"));
        }
      }
    }
    Await.result(job.finished());
    // The frame after the crawl ended has the final figures.
    JsonObject last = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> lastFrame(base), frame -> frame.getString("stopReason") != null);

    assertThat(storedSeen).as("frames pushed during the crawl").hasSizeGreaterThanOrEqualTo(2);
    assertThat(storedSeen.get(storedSeen.size() - 1)).as("the count moved while the crawl ran")
        .isGreaterThan(storedSeen.get(0));
    Path db = Path.of(config.crawl().db());
    assertThat(last.getLong("stored")).isEqualTo(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(PAGES + MISSING);
    assertThat(last.getLong("failed")).isEqualTo(Db.count(db, "SELECT count(*) FROM pages WHERE error IS NOT NULL"))
        .isEqualTo(MISSING);
    assertThat(last.getJsonObject("errorsTotal").getLong("http_404")).isEqualTo(MISSING);
    assertThat(last.getString("stopReason")).isEqualTo("done");
    assertThat(last.getLong("inFlight")).isZero();
    JsonArray hosts = last.getJsonArray("hosts");
    assertThat(hosts).hasSize(1);
    assertThat(hosts.getJsonObject(0).getLong("done")).isEqualTo(PAGES + MISSING);
    assertThat(hosts.getJsonObject(0).getString("host")).isEqualTo("127.0.0.1:" + site.port());
    List<String> failedUrls = last.getJsonArray("failures").stream().map(f -> ((JsonObject) f).getString("url")).toList();
    assertThat(failedUrls).hasSize(MISSING).allMatch(url -> url.contains("/missing/"));
  }

  private static JsonObject lastFrame(String base) throws Exception {
    JsonArray frames = new JsonArray(get(base + "/frames").body());
    return frames.getJsonObject(frames.size() - 1);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
