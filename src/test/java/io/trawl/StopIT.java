package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a real {@code trawl} process mid-crawl, as the README's "Ctrl-C / SIGTERM" promises: the
 * first signal finishes what is in flight and records the crawl as interrupted (exit 130, or 143
 * for SIGTERM); in-flight pages get a 10 s grace; a second Ctrl-C quits at once; {@code --resume}
 * then ends the crawl with every page stored once. The site holds its pages' responses until the
 * test lets them go, so the stop always lands with exactly {@value #CONCURRENCY} requests in flight.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StopIT {
  private static final int PAGES = 20;
  private static final int CONCURRENCY = 4;
  private static final long GRACE_MS = 10_000;

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  private Path config;
  private Path db;
  private final List<Held> held = new CopyOnWriteArrayList<>();
  private volatile boolean open;

  /** A request the site has not answered yet, and when its connection closed (0 while open). */
  private static final class Held {
    final HttpServerRequest request;
    volatile long closedAtNanos;

    Held(HttpServerRequest request) {
      this.request = request;
    }
  }

  @BeforeEach
  void startSite() throws Exception {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    List<String> paths = IntStream.range(0, PAGES).mapToObj(i -> "/p/" + i).toList();
    StringBuilder home = new StringBuilder("<title>home</title>");
    paths.forEach(p -> home.append("<a href=\"").append(p).append("\">").append(p).append("</a>"));
    site = new ScriptedSite(vertx).page("/", home.toString()).start();
    paths.forEach(p -> site.route(p, this::holdUnlessOpen));
    db = dir.resolve("trawl.db");
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
    config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: %s
        fetch:
          concurrency: %d
          per_host_concurrency: %d
          per_host_rate: 100000/s
          request_timeout: 10m
        retry:
          max_attempts: 1
        """.formatted(dir.resolve("seeds.txt"), db, CONCURRENCY, CONCURRENCY));
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  private void holdUnlessOpen(HttpServerRequest request) {
    if (open) {
      answer(request);
      return;
    }
    Held h = new Held(request);
    request.connection().closeHandler(v -> h.closedAtNanos = System.nanoTime());
    held.add(h);
  }

  private static void answer(HttpServerRequest request) {
    request.response().putHeader("content-type", "text/html").end("<title>" + request.path() + "</title>");
  }

  /** Answers the held requests whose connections are still open, and every later request at once. */
  private void openTheSite() {
    open = true;
    held.stream().filter(h -> h.closedAtNanos == 0).forEach(h -> h.request.response().exceptionHandler(e -> { })
        .putHeader("content-type", "text/html").end("<title>" + h.request.path() + "</title>"));
  }

  private TrawlProcess startCrawlUntilItHoldsFullConcurrency() throws Exception {
    TrawlProcess crawl = TrawlProcess.start("256m", dir.resolve("crawl.log"), "crawl", "-c", config.toString());
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> held.size() == CONCURRENCY || !crawl.isAlive());
      assertThat(held).as(crawl.output()).hasSize(CONCURRENCY);
      return crawl;
    } catch (RuntimeException | Error e) {
      crawl.close();
      throw e;
    }
  }

  private static void awaitLine(TrawlProcess crawl, String text) {
    await().atMost(Duration.ofSeconds(30)).until(() -> crawl.output().contains(text) || !crawl.isAlive());
    assertThat(crawl.output()).contains(text);
  }

  private List<Object> outcomes() {
    return Db.rows(db, "SELECT outcome FROM crawls ORDER BY id").stream().map(r -> r.get("outcome")).toList();
  }

  /** Resumes in this JVM (the site answering everything) and checks every page ended stored once. */
  private void resumeToTheEnd() {
    open = true;
    assertThat(Main.run("crawl", "-c", config.toString(), "--resume")).isEqualTo(Main.OK);
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE error IS NULL")).isEqualTo(PAGES + 1);
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state <> 'done'")).isZero();
  }

  private List<Integer> requestsPerPage() {
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < PAGES; i++) {
      counts.add(site.count("/p/" + i));
    }
    return counts;
  }

  @Test
  void sigtermFinishesThePagesInFlightAndExits143() throws Exception {
    try (TrawlProcess crawl = startCrawlUntilItHoldsFullConcurrency()) {
      crawl.terminate();
      awaitLine(crawl, "stopping: finishing pages in flight");
      openTheSite();

      assertThat(crawl.exitCode(Duration.ofSeconds(60))).as(crawl.output()).isEqualTo(Main.TERMINATED);
    }

    assertThat(outcomes()).containsExactly("interrupted");
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE url LIKE '%/p/%' AND error IS NULL"))
        .as("the pages in flight at the signal were finished and stored").isEqualTo(CONCURRENCY);
    assertThat(requestsPerPage().stream().mapToInt(Integer::intValue).sum()).as("nothing new was sent").isEqualTo(CONCURRENCY);
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'in_flight'")).isZero();

    resumeToTheEnd();

    assertThat(requestsPerPage()).as("each page fetched once across both runs").allMatch(n -> n == 1);
    assertThat(outcomes()).containsExactly("interrupted", "finished");
  }

  @Test
  void aSecondCtrlCQuitsAtOnceAndTheCrawlStillResumes() throws Exception {
    try (TrawlProcess crawl = startCrawlUntilItHoldsFullConcurrency()) {
      crawl.interrupt();
      awaitLine(crawl, "stopping: finishing pages in flight");
      crawl.interrupt();

      // The site never answers the requests it holds, so waiting for them would take the whole
      // grace (10 s); quitting at once takes the time a JVM needs to exit.
      assertThat(crawl.exitCode(Duration.ofMillis(GRACE_MS / 2))).as(crawl.output()).isEqualTo(Main.INTERRUPTED);
      assertThat(crawl.output()).contains("stopping now");
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> held.stream().allMatch(h -> h.closedAtNanos > 0));
    assertThat(outcomes()).as("quit before the crawl could be recorded as ended").containsExactly((Object) null);
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE url LIKE '%/p/%'")).isZero();

    resumeToTheEnd();

    assertThat(requestsPerPage()).as("only the pages in flight at the quit were fetched twice")
        .containsOnly(1, 2).filteredOn(n -> n == 2).hasSize(CONCURRENCY);
    assertThat(Db.rows(db, "SELECT crashes FROM frontier WHERE crashes > 0"))
        .as("quitting at once counts as a crash for the pages then in flight")
        .hasSize(CONCURRENCY).allMatch(r -> ((Number) r.get("crashes")).intValue() == 1);
  }

  @Test
  void pagesThatDoNotFinishWithinTheGraceAreLeftForResume() throws Exception {
    long signalledAt;
    try (TrawlProcess crawl = startCrawlUntilItHoldsFullConcurrency()) {
      signalledAt = System.nanoTime();
      crawl.interrupt();

      assertThat(crawl.exitCode(Duration.ofSeconds(60))).as(crawl.output()).isEqualTo(Main.INTERRUPTED);
      // The run's own figures, not zeros: the home page stored, the rest queued or given up on in flight.
      assertThat(crawl.output()).containsPattern("interrupted: 1 pages stored \\(0 with errors\\) in \\d+\\.\\ds, "
          + "\\d+\\.\\d pages/s, 1 hosts; " + (PAGES - CONCURRENCY) + " still queued, " + CONCURRENCY
          + " left in flight for --resume");
    }
    Map<String, Object> stats = Db.rows(db, """
        SELECT json_extract(stats, '$.stored') AS stored, json_extract(stats, '$.failed') AS failed,
               json_extract(stats, '$.inFlight') AS inFlight, json_extract(stats, '$.queued') AS queued,
               json_extract(stats, '$.hosts') AS hosts, json_extract(stats, '$.elapsedMs') AS elapsedMs,
               json_extract(stats, '$.stopReason') AS stopReason, json_extract(stats, '$.pagesPerSecond') AS pps
        FROM crawls""").get(0);
    assertThat(List.of("stored", "failed", "inFlight", "queued", "hosts").stream()
        .map(k -> stats.get(k) == null ? null : ((Number) stats.get(k)).longValue()).toList())
        .as("crawls.stats of the interrupted run: " + stats)
        .containsExactly(1L, 0L, (long) CONCURRENCY, (long) (PAGES - CONCURRENCY), 1L);
    assertThat(stats.get("stopReason")).isEqualTo("stopped");
    assertThat(((Number) stats.get("elapsedMs")).longValue()).isGreaterThanOrEqualTo(GRACE_MS);
    assertThat(((Number) stats.get("pps")).doubleValue()).isPositive();

    // The stop waited the whole grace for the requests in flight before giving up on them. (The
    // server sees a connection close a moment after the process has ended, at the latest.)
    await().atMost(Duration.ofSeconds(10)).until(() -> held.stream().allMatch(h -> h.closedAtNanos > 0));
    assertThat(held.stream().map(h -> (h.closedAtNanos - signalledAt) / 1_000_000).toList())
        .as("ms from the signal to each held connection's close").allMatch(ms -> ms >= GRACE_MS);
    assertThat(outcomes()).containsExactly("interrupted");
    assertThat(Db.rows(db, "SELECT url, error FROM pages WHERE url LIKE '%/p/%'"))
        .as("a page given up on at the stop is not a failure of the page").isEmpty();

    resumeToTheEnd();

    assertThat(requestsPerPage()).as("the pages abandoned at the stop were fetched again, the rest once")
        .containsOnly(1, 2).filteredOn(n -> n == 2).hasSize(CONCURRENCY);
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE crashes > 0"))
        .as("a graceful stop whose grace ran out is no crash").isZero();
  }
}
