package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Cli;
import io.trawl.testing.CrawlFiles;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fetch.autothrottle} against a server that allows 5 requests a second and answers 429 to
 * any that comes sooner than 200 ms after the last it served, while the crawl is configured for
 * 50/s: counted at the server, autothrottle keeps the 429s a minority, and {@code crawls.stats} and
 * {@code trawl stats} show the pace it slowed the host to.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AutothrottleIT {
  private static final Logger log = LoggerFactory.getLogger(AutothrottleIT.class);
  private static final int PAGES = 30;
  private static final long ALLOWED_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  private final AtomicLong lastServedNanos = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicInteger served = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start();
    StringBuilder links = new StringBuilder("<title>index</title>");
    for (int i = 0; i < PAGES; i++) {
      links.append("<a href=\"/p").append(i).append("\">").append(i).append("</a>");
      int n = i;
      site.route("/p" + i, req -> answer(req, "<title>p" + n + "</title>"));
    }
    site.route("/", req -> answer(req, links.toString()));
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  /** Serves {@code html}, or a 429 when the request came within 200 ms of the last one served (one event loop: no race). */
  private void answer(HttpServerRequest req, String html) {
    long now = System.nanoTime();
    if (now - lastServedNanos.get() < ALLOWED_GAP_NANOS) {
      refused.incrementAndGet();
      req.response().setStatusCode(429).putHeader("content-type", "text/html").end("<title>slow down</title>");
      return;
    }
    lastServedNanos.set(now);
    served.incrementAndGet();
    req.response().putHeader("content-type", "text/html").end(html);
  }

  @Test
  void slowsAHostAnswering429DownToWhatItAllowsAndStatsShowsThePace() throws Exception {
    Path db = dir.resolve("trawl.db");
    Path config = CrawlFiles.config(dir, db, """
        fetch:
          per_host_rate: 50/s
          per_host_concurrency: 2
          respect_robots: false
          autothrottle: true
        retry:
          max_attempts: 20
          initial_delay: 50ms
          max_delay: 500ms
        circuit:
          failure_rate: 100
        """, site.url("/"));

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);

    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE status = 200")).isEqualTo(PAGES + 1);
    log.warn("server allows 5/s; crawl at 50/s with autothrottle: {} served, {} refused with 429", served.get(),
        refused.get());
    // At 50/s unthrottled, nine requests in ten would come within 200 ms of the last one served.
    assertThat(refused.get()).as("429s among %d requests", served.get() + refused.get()).isLessThan(served.get());
    JsonObject stats = new JsonObject((String) Db.rows(db, "SELECT stats FROM crawls").get(0).get("stats"));
    JsonObject pace = stats.getJsonObject("hostPace").getJsonObject("127.0.0.1:" + site.url("").split(":")[2]);
    log.warn("final pace {}", pace);
    assertThat(pace.getInteger("slowdowns")).isPositive();
    assertThat(pace.getDouble("perSecond")).isLessThan(25.0);
    assertThat(pace.getDouble("configuredPerSecond")).isEqualTo(50.0);

    Cli.Result shown = Cli.run("stats", "--db", db.toString());
    assertThat(shown.code()).isEqualTo(Main.OK);
    assertThat(shown.out()).contains("host pace").contains("127.0.0.1:");
  }
}
