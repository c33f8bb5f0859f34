package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.bench.GeneratedSite;
import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.CrawlFiles;
import io.trawl.testing.Db;
import io.trawl.testing.TestBackend;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real trawl process crawling a 10,000-page local site is killed (SIGKILL) or interrupted
 * (SIGINT) mid-crawl and resumed: every page ends in {@code pages} exactly once, nothing reported
 * stored before the stop is lost, and at most the pages in flight are fetched twice. On both
 * store backends. The stop comes once 3,000 pages are stored, leaving 7,000 for the resume: it
 * lands well inside the site (the 200 ms poll is 120-320 pages at the 600-1,600 pages/s these
 * crawls make here), and the whole site fits the frontier's 20,000-row window, as did the 20,000
 * pages this test crawled before, which took twice as long to prove the same.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ResumeIT {
  private static final Logger log = LoggerFactory.getLogger(ResumeIT.class);
  private static final int PAGES = 10_000;
  private static final int CONCURRENCY = 16;

  @Parameter TestBackend backend;
  @TempDir Path dir;
  private Vertx vertx;
  private GeneratedSite site;
  private Path config;
  private String db;

  @BeforeEach
  void startSite() throws Exception {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = Await.result(new GeneratedSite(vertx, PAGES, 1500, 8, 0).start());
    db = backend.freshDatabase(dir);
    config = CrawlFiles.config(dir, db, """
        crawl:
          max_depth: 1000
          progress_interval: 1s
        fetch:
          concurrency: %d
          per_host_concurrency: %d
          per_host_rate: 100000/s
        """.formatted(CONCURRENCY, CONCURRENCY), site.url(0));
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  private Set<String> storedUrls() {
    Set<String> urls = new HashSet<>();
    Db.rows(db, "SELECT url FROM pages").forEach(r -> urls.add((String) r.get("url")));
    return urls;
  }

  private long storedCount() {
    // The crawler creates the file before its migration has made the tables.
    if (!Db.hasTable(db, "pages")) {
      return 0;
    }
    return Db.count(db, "SELECT count(*) FROM pages");
  }

  private void resumeToTheEnd() throws Exception {
    try (TrawlProcess resumed = TrawlProcess.start("256m", dir.resolve("resume.log"), "crawl", "-c", config.toString(),
        "--resume")) {
      assertThat(resumed.exitCode(Duration.ofSeconds(240))).as(resumed.output()).isEqualTo(Main.OK);
    }
  }

  private void assertEveryPageOnce(Set<String> storedBeforeStop) {
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(PAGES);
    assertThat(Db.count(db, "SELECT count(DISTINCT url) FROM pages")).isEqualTo(PAGES);
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state <> 'done'")).isZero();
    assertThat(storedUrls()).containsAll(storedBeforeStop);
  }

  @Test
  void aKilledCrawlResumesWithoutLosingOrRepeatingPages() throws Exception {
    Set<String> storedBeforeKill;
    try (TrawlProcess crawl = TrawlProcess.start("256m", dir.resolve("crawl.log"), "crawl", "-c", config.toString())) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> storedCount() >= 3000);
      storedBeforeKill = storedUrls();
      crawl.kill();
    }
    assertThat(storedBeforeKill.size()).isLessThan(PAGES);
    long requestsBeforeResume = site.requests();

    resumeToTheEnd();

    assertEveryPageOnce(storedBeforeKill);
    assertThat(site.robotsRequests()).as("robots.txt, once per run").isEqualTo(2);
    long refetched = site.requests() - PAGES - site.robotsRequests();
    log.warn("SIGKILL after {} pages stored: {} pages fetched again on --resume (bound {})",
        storedBeforeKill.size(), refetched, 2 * CONCURRENCY);
    // In flight at a kill: CONCURRENCY requests on the network plus at most CONCURRENCY responses
    // waiting for their commit (a request's slot frees when its response is in; see the README).
    assertThat(refetched).as("pages fetched twice (were in flight at the kill)").isBetween(0L, 2L * CONCURRENCY);
    assertThat(requestsBeforeResume).isGreaterThanOrEqualTo(storedBeforeKill.size());
    List<Object> outcomes = Db.rows(db, "SELECT outcome FROM crawls ORDER BY id").stream().map(r -> r.get("outcome")).toList();
    assertThat(outcomes).containsExactly(null, "finished");
  }

  @Test
  void ctrlCStopsGracefullyAndResumeFinishesTheCrawl() throws Exception {
    try (TrawlProcess crawl = TrawlProcess.start("256m", dir.resolve("crawl.log"), "crawl", "-c", config.toString())) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> storedCount() >= 3000);
      crawl.interrupt();
      assertThat(crawl.exitCode(Duration.ofSeconds(60))).as(crawl.output()).isEqualTo(Main.INTERRUPTED);
    }
    Set<String> storedAtStop = storedUrls();
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'in_flight'")).isZero();
    assertThat(Db.rows(db, "SELECT outcome FROM crawls")).extracting(r -> r.get("outcome")).containsExactly("interrupted");

    resumeToTheEnd();

    assertEveryPageOnce(storedAtStop);
    assertThat(site.robotsRequests()).as("robots.txt, once per run").isEqualTo(2);
    assertThat(site.requests() - PAGES - site.robotsRequests()).as("a graceful stop stores what was in flight").isZero();
  }
}
