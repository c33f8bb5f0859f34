package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Cli;
import io.trawl.testing.CrawlFiles;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** robots.txt, per-host rate, Retry-After, retries and the circuit breaker, measured at a local server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PolitenessIT {
  private static final Logger log = LoggerFactory.getLogger(PolitenessIT.class);
  private static final long MS = 1_000_000L;
  /**
   * How late a request may reach the server's handler after the crawler sent it, on a busy 2-core
   * VM (123 ms seen under a load of 16): a gap measured at the server shrinks by that much.
   */
  private static final long ARRIVAL_DELAY_MS = 300;
  /** The same allowance where a rate is checked over many requests, which a single late one barely moves. */
  private static final long RATE_ARRIVAL_DELAY_MS = 150;

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start();
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  private int crawl(String yaml, String... seeds) throws Exception {
    Path config = CrawlFiles.config(dir, dir.resolve("trawl.db"), """
        crawl:
          max_depth: 10
        %s
        """.formatted(yaml), seeds);
    return Main.run("crawl", "-c", config.toString());
  }

  private Map<String, Map<String, Object>> pages() {
    return Db.rows(dir.resolve("trawl.db"), "SELECT * FROM pages").stream()
        .collect(Collectors.toMap(r -> (String) r.get("url"), r -> r));
  }

  private static String links(String... paths) {
    StringBuilder html = new StringBuilder("<title>index</title>");
    for (String p : paths) {
      html.append("<a href=\"").append(p).append("\">").append(p).append("</a>");
    }
    return html.toString();
  }

  @Test
  void disallowedUrlsAreRecordedAsRobotsAndNeverRequested() throws Exception {
    site.text("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private/\n");
    site.page("/", links("/open", "/private/secret"));
    site.page("/open", "<title>open</title>");
    site.page("/private/secret", "<title>secret</title>");

    assertThat(crawl("fetch:\n  per_host_rate: 100/s", site.url("/"))).isEqualTo(Main.OK);

    assertThat(site.count("/private/secret")).isZero();
    assertThat(site.count("/robots.txt")).isEqualTo(1);
    Map<String, Map<String, Object>> pages = pages();
    assertThat(pages.get(site.url("/private/secret")).get("error")).isEqualTo("robots");
    assertThat(pages.get(site.url("/open")).get("error")).isNull();
  }

  @Test
  void respectRobotsFalseFetchesWhatRobotsTxtDisallowsAndSaysSo() throws Exception {
    site.text("/robots.txt", "text/plain", "User-agent: *\nDisallow: /\n");
    site.page("/", links("/private/secret"));
    site.page("/private/secret", "<title>secret</title>");
    Path config = CrawlFiles.config(dir, dir.resolve("trawl.db"), """
        fetch:
          respect_robots: false
          per_host_rate: 100/s
        """, site.url("/"));

    Cli.Result run = Cli.run("crawl", "-c", config.toString());

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    assertThat(run.err().lines().filter(line -> line.startsWith("trawl: warning:")))
        .singleElement().asString().contains("fetch.respect_robots");
    assertThat(site.count("/robots.txt")).isZero();
    assertThat(site.count("/private/secret")).isEqualTo(1);
    assertThat(pages().get(site.url("/private/secret"))).containsEntry("error", null).containsEntry("title", "secret");
  }

  @Test
  void robotsCrawlDelaySpacesRequestsToTheHost() throws Exception {
    site.text("/robots.txt", "text/plain", "User-agent: trawl\nCrawl-delay: 1\n");
    site.page("/", links("/p1", "/p2", "/p3"));
    IntStream.rangeClosed(1, 3).forEach(i -> site.page("/p" + i, "<title>p" + i + "</title>"));

    assertThat(crawl("fetch:\n  per_host_rate: 100/s\n  per_host_concurrency: 4", site.url("/"))).isEqualTo(Main.OK);

    List<Long> times = site.times("/p");
    assertThat(times).hasSize(3);
    // Measured at the server, a request held up on its way (a GC pause, a busy 2-core VM) shortens
    // the next gap by that much; without the Crawl-delay the gaps would be 10 ms (100/s).
    for (int i = 1; i < times.size(); i++) {
      assertThat((times.get(i) - times.get(i - 1)) / MS).as("gap before request %d", i)
          .isGreaterThanOrEqualTo(1000 - ARRIVAL_DELAY_MS);
    }
  }

  @Test
  void spacesEveryRequestToAHostRobotsTxtIncludedByTheRateFromWhenItIsSent() throws Exception {
    List<Long> gapsMs = gapsOfACrawlAnswering("User-agent: *\nDisallow: /private/\n", "fetch:\n  per_host_rate: 1/s");

    // 1/s is 1000 ms apart. Counted from when the frontier hands a URL out, robots.txt and the seed
    // went out a response time (100 ms here) apart, as did a redirect's hop.
    assertThat(gapsMs).allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(1000 - ARRIVAL_DELAY_MS));
  }

  @Test
  void spacesEveryRequestToAHostByItsCrawlDelayOnceRobotsTxtIsRead() throws Exception {
    List<Long> gapsMs = gapsOfACrawlAnswering("User-agent: *\nCrawl-delay: 2\n", "fetch:\n  per_host_rate: 1/s");

    // The first gap is robots.txt's own, before its Crawl-delay is known: the rate's 1 s.
    assertThat(gapsMs.get(0)).isGreaterThanOrEqualTo(1000 - ARRIVAL_DELAY_MS);
    assertThat(gapsMs.subList(1, gapsMs.size()))
        .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(2000 - ARRIVAL_DELAY_MS));
  }

  /**
   * Crawls a host whose every answer takes 100 ms (robots.txt, the seed, a redirect and the pages
   * it links to, two at a time), and gives the gaps between the requests in the order the server
   * saw them, robots.txt first.
   */
  private List<Long> gapsOfACrawlAnswering(String robots, String yaml) throws Exception {
    site.route("/robots.txt", req -> vertx.setTimer(100, id -> req.response()
        .putHeader("content-type", "text/plain").end(robots)));
    site.route("/", req -> vertx.setTimer(100, id -> req.response()
        .putHeader("content-type", "text/html").end(links("/a", "/b", "/moved"))));
    site.route("/moved", req -> vertx.setTimer(100, id -> req.response()
        .setStatusCode(302).putHeader("Location", "/c").end()));
    for (String path : List.of("/a", "/b", "/c")) {
      site.route(path, req -> vertx.setTimer(100, id -> req.response()
          .putHeader("content-type", "text/html").end("<title>" + path + "</title>")));
    }

    assertThat(crawl(yaml + "\n  per_host_concurrency: 2", site.url("/"))).isEqualTo(Main.OK);

    List<ScriptedSite.Hit> hits = site.hits();
    assertThat(hits).extracting(ScriptedSite.Hit::path).hasSize(6).startsWith("/robots.txt", "/")
        .containsExactlyInAnyOrder("/robots.txt", "/", "/a", "/b", "/moved", "/c");
    List<Long> gapsMs = new ArrayList<>();
    for (int i = 1; i < hits.size(); i++) {
      gapsMs.add((hits.get(i).nanos() - hits.get(i - 1).nanos()) / MS);
    }
    log.warn("gaps at the server ms={}", gapsMs);
    return gapsMs;
  }

  @Test
  void neverExceedsThePerHostRateOverFiftyRequests() throws Exception {
    List<String> paths = IntStream.range(0, 60).mapToObj(i -> "/rate" + i).toList();
    site.page("/", links(paths.toArray(String[]::new)));
    paths.forEach(p -> site.page(p, "<title>" + p + "</title>"));

    assertThat(crawl("fetch:\n  per_host_rate: 20/s\n  per_host_concurrency: 8\n  concurrency: 16", site.url("/")))
        .isEqualTo(Main.OK);

    List<Long> times = site.times("/rate");
    assertThat(times).hasSize(60);
    List<Long> gapsMs = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gapsMs.add((times.get(i) - times.get(i - 1)) / MS);
    }
    // 20/s is one request every 50 ms, burst 1: the frontier hands requests out at least 50 ms
    // apart. Measured at the server, a request held back on its way arrives closer to the next;
    // only the first request of a span shortens it (a late last one lengthens it), so the
    // allowance is one such delay per span, not one per request: any k + 1 requests in a row span
    // at least k x 50 ms - 150 ms. Bursts of two fail this (20 requests in 500 ms), and so does an
    // interval of 45 ms (the 60 requests would span 2,655 ms, not 2,800).
    for (int i = 0; i < times.size(); i++) {
      for (int k = 1; i + k < times.size(); k++) {
        long spanMs = (times.get(i + k) - times.get(i)) / MS;
        if (spanMs < k * 50L - RATE_ARRIVAL_DELAY_MS) {
          assertThat(spanMs).as("span of requests %d..%d: %s", i, i + k, gapsMs)
              .isGreaterThanOrEqualTo(k * 50L - RATE_ARRIVAL_DELAY_MS);
        }
      }
    }
    double rate = (times.size() - 1) / ((times.get(times.size() - 1) - times.get(0)) / 1e9);
    log.warn("per-host rate configured 20/s, measured {}/s over {} requests, smallest gap {} ms",
        String.format(Locale.ROOT, "%.2f", rate), times.size(), Collections.min(gapsMs));
  }

  @Test
  void honoursRetryAfterByPuttingTheUrlBack() throws Exception {
    site.page("/", links("/busy"));
    site.route("/busy", req -> {
      if (site.count("/busy") == 1) {
        req.response().setStatusCode(503).putHeader("Retry-After", "1").end();
      } else {
        req.response().putHeader("content-type", "text/html").end("<title>finally</title>");
      }
    });

    // A short backoff, so a Retry-After that was ignored would show as a retry 20 ms later.
    assertThat(crawl("fetch:\n  per_host_rate: 100/s\nretry:\n  initial_delay: 20ms", site.url("/"))).isEqualTo(Main.OK);

    List<Long> times = site.times("/busy");
    assertThat(times).hasSize(2);
    assertThat((times.get(1) - times.get(0)) / MS).isGreaterThanOrEqualTo(1000 - ARRIVAL_DELAY_MS);
    Map<String, Object> page = pages().get(site.url("/busy"));
    assertThat(page.get("error")).isNull();
    assertThat(page.get("title")).isEqualTo("finally");
    assertThat(page.get("attempts")).isEqualTo(2);
  }

  @Test
  void retriesExactlyMaxAttemptsOnRetryableStatusesAndNeverOnA404() throws Exception {
    site.page("/", links("/flaky", "/gone", "/recovers"));
    site.status("/flaky", 500);
    site.status("/gone", 404);
    site.route("/recovers", req -> {
      if (site.count("/recovers") < 3) {
        req.response().setStatusCode(502).end();
      } else {
        req.response().putHeader("content-type", "text/html").end("<title>back</title>");
      }
    });

    assertThat(crawl("""
        fetch:
          per_host_rate: 100/s
        retry:
          max_attempts: 3
          initial_delay: 20ms
          max_delay: 100ms
        circuit:
          minimum_calls: 100
        """, site.url("/"))).isEqualTo(Main.OK);

    assertThat(site.count("/flaky")).isEqualTo(3);
    assertThat(site.count("/gone")).isEqualTo(1);
    assertThat(site.count("/recovers")).isEqualTo(3);
    Map<String, Map<String, Object>> pages = pages();
    assertThat(pages.get(site.url("/flaky"))).containsEntry("error", "http_500").containsEntry("attempts", 3);
    assertThat(pages.get(site.url("/gone"))).containsEntry("error", "http_404").containsEntry("attempts", 1);
    assertThat(pages.get(site.url("/recovers"))).containsEntry("title", "back").containsEntry("attempts", 3);
  }

  @Test
  void theBreakerPausesAFailingHostAndResumesItWhenItRecovers() throws Exception {
    List<String> paths = IntStream.range(0, 12).mapToObj(i -> "/b" + i).toList();
    site.page("/", links(paths.toArray(String[]::new)));
    int[] served = {0};
    paths.forEach(p -> site.route(p, req -> {
      served[0]++;
      if (served[0] <= 4) {
        req.response().setStatusCode(503).end();
      } else {
        req.response().putHeader("content-type", "text/html").end("<title>" + p + "</title>");
      }
    }));

    assertThat(crawl("""
        fetch:
          per_host_rate: 100/s
          per_host_concurrency: 1
        retry:
          max_attempts: 1
        circuit:
          failure_rate: 50
          minimum_calls: 4
          open_for: 1s
        """, site.url("/"))).isEqualTo(Main.OK);

    Map<String, Map<String, Object>> pages = pages();
    assertThat(pages).hasSize(13);
    long failed = paths.stream().filter(p -> "http_503".equals(pages.get(site.url(p)).get("error"))).count();
    long fine = paths.stream().filter(p -> pages.get(site.url(p)).get("error") == null).count();
    assertThat(failed).isEqualTo(4);
    assertThat(fine).isEqualTo(8);
    // After the fourth failure the host was paused for circuit.open_for before it was probed again
    // (without the pause, 10 ms at 100/s).
    List<Long> times = site.times("/b");
    assertThat(times).hasSize(12);
    assertThat((times.get(4) - times.get(3)) / MS).isGreaterThanOrEqualTo(1000 - ARRIVAL_DELAY_MS);
  }

  @Test
  void aRobotsTxtThatAnswers404AllowsEverything() throws Exception {
    site.status("/robots.txt", 404);
    site.page("/", links("/a"));
    site.page("/a", "<title>a</title>");

    assertThat(crawl("fetch:\n  per_host_rate: 100/s", site.url("/"))).isEqualTo(Main.OK);

    assertThat(pages().get(site.url("/a")).get("error")).isNull();
  }

  @Test
  void aRobotsTxtThatAnswers5xxHoldsTheHostAndEndsAsRobotsWhenItNeverRecovers() throws Exception {
    site.status("/robots.txt", 503);
    site.page("/", links("/a"));

    assertThat(crawl("""
        fetch:
          per_host_rate: 100/s
        retry:
          max_attempts: 2
          initial_delay: 50ms
        """, site.url("/"))).isEqualTo(Main.OK);

    assertThat(site.count("/")).isZero();
    Map<String, Object> seed = pages().get(site.url("/"));
    assertThat(seed).containsEntry("error", "robots").containsEntry("attempts", 2);
  }

  @Test
  void aMixedSiteEndsByItselfWithEveryUrlAccountedFor() throws Exception {
    ScriptedSite hostile = new ScriptedSite(vertx).start();
    hostile.route("/stall", req -> { });
    hostile.route("/reset", req -> req.response().setChunked(true).write("<title>partial").onComplete(v -> req.connection().close()));
    hostile.route("/loop", req -> req.response().setStatusCode(302).putHeader("Location", "/loop2").end());
    hostile.route("/loop2", req -> req.response().setStatusCode(302).putHeader("Location", "/loop").end());
    hostile.route("/lies", req -> req.response().putHeader("content-type", "text/html").putHeader("Content-Length", "1000")
        .write("<title>short</title>").onComplete(v -> req.connection().close()));
    site.page("/", links("/ok1", "/ok2", "/flaky", "/missing", hostile.url("/stall"), hostile.url("/reset"),
        hostile.url("/loop"), hostile.url("/lies"), "mailto:x@example.com"));
    site.page("/ok1", "<title>ok1</title>");
    site.page("/ok2", "<title>ok2</title>");
    site.route("/flaky", req -> {
      if (site.count("/flaky") == 1) {
        req.connection().close();
      } else {
        req.response().putHeader("content-type", "text/html").end("<title>flaky ok</title>");
      }
    });

    assertThat(crawl("""
        fetch:
          per_host_rate: 100/s
          request_timeout: 2s
        retry:
          max_attempts: 2
          initial_delay: 20ms
        """, site.url("/"))).isEqualTo(Main.OK);

    Map<String, Map<String, Object>> pages = pages();
    assertThat(pages).hasSize(9);
    assertThat(pages.get(site.url("/ok1")).get("error")).isNull();
    assertThat(pages.get(site.url("/flaky"))).containsEntry("error", null).containsEntry("attempts", 2);
    assertThat(pages.get(site.url("/missing")).get("error")).isEqualTo("http_404");
    assertThat(pages.get(hostile.url("/stall")).get("error")).isEqualTo("timeout");
    assertThat(pages.get(hostile.url("/reset")).get("error")).isEqualTo("reset");
    assertThat(pages.get(hostile.url("/loop")).get("error")).isEqualTo("redirect_loop");
    assertThat(pages.get(hostile.url("/lies")).get("error")).isEqualTo("truncated");
    assertThat(Db.count(dir.resolve("trawl.db"), "SELECT count(*) FROM frontier WHERE state IN ('queued', 'in_flight')")).isZero();
  }
}
