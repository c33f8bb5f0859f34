package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.bus.Progress;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.Scope;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crawl job meeting an error that no stage handled while a page is in flight: the job ends as
 * failed, promptly, the page still in flight for {@code --resume}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrawlJobTest {
  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
  private final Vertx siteVertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
    Await.result(siteVertx.close());
  }

  private CrawlJob runningWithAPageInFlight(ScriptedSite site) {
    String seed = site.url("/hold");
    TrawlConfig config = ConfigLoader.fromYaml("", Map.of("crawl.db", dir.resolve("trawl.db").toString(),
        "crawl.max_depth", "0", "retry.max_attempts", "1"));
    CrawlJob job = new CrawlJob(vertx, config, List.of(seed), Scope.of(config.crawl(), List.of(seed)), false);
    Await.result(job.start());
    await().atMost(Duration.ofSeconds(30)).until(() -> site.count("/hold") == 1);
    return job;
  }

  @Test
  void anExceptionThrownOnAnEventLoopFailsTheCrawlAndLeavesThePageInFlight() {
    ScriptedSite site = new ScriptedSite(siteVertx).route("/hold", req -> {}).start();
    CrawlJob job = runningWithAPageInFlight(site);
    IllegalStateException bug = new IllegalStateException("a handler's bug");

    vertx.runOnContext(v -> {
      throw bug;
    });

    Future<Progress> finished = job.finished();
    await().atMost(Duration.ofSeconds(CrawlJob.FATAL_TEARDOWN_MS / 1000 + 5)).until(finished::isComplete);
    assertThat(finished.cause()).isSameAs(bug);
    Path db = dir.resolve("trawl.db");
    assertThat(Db.rows(db, "SELECT outcome FROM crawls")).containsExactly(Map.of("outcome", "failed"));
    assertThat(Db.rows(db, "SELECT state FROM frontier")).containsExactly(Map.of("state", "in_flight"));
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isZero();
  }

  @Test
  void anErrorPassedFromAnyThreadFailsTheCrawlOnce() {
    ScriptedSite site = new ScriptedSite(siteVertx).route("/hold", req -> {}).start();
    CrawlJob job = runningWithAPageInFlight(site);
    StackOverflowError first = new StackOverflowError("first");

    job.fail(first);
    job.fail(new OutOfMemoryError("second"));

    Future<Progress> finished = job.finished();
    await().atMost(Duration.ofSeconds(CrawlJob.FATAL_TEARDOWN_MS / 1000 + 5)).until(finished::isComplete);
    assertThat(finished.cause()).isSameAs(first);
    assertThat(Db.rows(dir.resolve("trawl.db"), "SELECT outcome FROM crawls")).containsExactly(Map.of("outcome", "failed"));
  }
}
