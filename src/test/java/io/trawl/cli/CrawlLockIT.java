package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.CrawlJob;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second {@code trawl crawl} on a database a running crawl (a real child JVM) holds: with
 * {@code --resume}, {@code --fresh} or neither, it is refused with exit 2 and touches nothing; the
 * running crawl then finishes with all its pages, each fetched once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrawlLockIT {
  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  /** The first request of /held, answered only when the test says: the running crawl waits on it. */
  private final AtomicReference<HttpServerRequest> held = new AtomicReference<>();
  private final AtomicReference<Context> heldOn = new AtomicReference<>();
  private TrawlProcess running;

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start()
        .page("/", "<title>home</title><a href=\"/held\">held</a>")
        .route("/held", req -> {
          if (held.compareAndSet(null, req)) {
            heldOn.set(Vertx.currentContext());
          } else {
            answer(req);
          }
        });
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
    Await.result(vertx.close());
  }

  @Test
  void refusesASecondCrawlWhileOneRunsAndTouchesNothingOfIt() throws Exception {
    Path config = config();
    Path db = dir.resolve("trawl.db");
    Path log = dir.resolve("running.log");
    running = TrawlProcess.start("256m", log, "crawl", "-c", config.toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> held.get() != null);

    for (List<String> flags : List.of(List.of("--resume"), List.of("--fresh"), List.<String>of())) {
      List<String> args = new ArrayList<>(List.of("crawl", "-c", config.toString()));
      args.addAll(flags);
      SmallCrawl.Result second = SmallCrawl.execute(args.toArray(String[]::new));

      assertThat(second.code()).as("%s: %s", flags, second.err()).isEqualTo(Main.BAD_INPUT);
      assertThat(second.err()).contains("trawl.db.lock");
      assertThat(db).exists();
    }
    heldOn.get().runOnContext(v -> answer(held.get()));

    assertThat(running.exitCode(Duration.ofSeconds(60))).as(running.output()).isEqualTo(Main.OK);
    assertThat(Db.rows(db, "SELECT url, status, error FROM pages ORDER BY url")).extracting(r -> r.get("status"))
        .containsExactly(200, 200);
    assertThat(site.count("/held")).as("requests of /held").isEqualTo(1);
    assertThat(Db.rows(db, "SELECT outcome FROM crawls")).extracting(r -> r.get("outcome")).containsExactly("finished");
  }

  private static void answer(HttpServerRequest req) {
    req.response().putHeader("content-type", "text/html").end("<title>held</title>");
  }

  private Path config() throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: %s
        fetch:
          per_host_rate: 1000/s
          request_timeout: 60s
        retry:
          max_attempts: 1
        """.formatted(dir.resolve("seeds.txt"), dir.resolve("trawl.db")));
    return config;
  }
}
