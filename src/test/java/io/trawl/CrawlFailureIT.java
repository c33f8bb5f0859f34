package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crawl that an error no stage handled, or the heap running out, brings down: it ends promptly
 * with its exit code instead of going on half broken or never ending, keeps what it stored, and
 * {@code --resume} finishes it. Real {@code trawl} child JVMs started as the launcher starts them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrawlFailureIT {
  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  /** Responses held open by the server until the test lets them go. */
  private final List<HttpServerResponse> held = new CopyOnWriteArrayList<>();
  private volatile boolean holding = true;

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx);
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  private Path config(String... paths) throws IOException {
    Files.writeString(dir.resolve("seeds.txt"),
        IntStream.range(0, paths.length).mapToObj(i -> site.url(paths[i]) + "\n").collect(Collectors.joining()));
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: %s
          max_depth: 0
        fetch:
          per_host_concurrency: 8
          per_host_rate: 1000/s
        retry:
          max_attempts: 1
        """.formatted(dir.resolve("seeds.txt"), dir.resolve("trawl.db")));
    return config;
  }

  private static int exitCode(TrawlProcess process) throws Exception {
    try (process) {
      return process.exitCode(Duration.ofSeconds(120));
    }
  }

  @Test
  void anErrorOnAThreadOfNoStageEndsTheCrawlWithExit1AndResumeFinishesIt() throws Exception {
    site.page("/a", "<title>a</title>")
        .page("/b", "<title>b</title>")
        .route("/hold", req -> {
          if (holding) {
            held.add(req.response());
          } else {
            req.response().putHeader("content-type", "text/html").end("<title>held</title>");
          }
        })
        .start();
    Path config = config("/a", "/b", "/hold");
    Path db = dir.resolve("trawl.db");
    Path log = dir.resolve("crawl.log");

    TrawlProcess crawl = TrawlProcess.startLikeLauncher(log, ErrorOnCue.class.getName(), "crawl", "-c", config.toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> site.count("/hold") == 1);
    try (OutputStream cue = crawl.stdin()) {
      cue.write("now\n".getBytes(StandardCharsets.US_ASCII));
    }

    assertThat(exitCode(crawl)).as(Files.readString(log)).isEqualTo(Main.FAILED);
    assertThat(Files.readString(log)).contains("crawl failed").contains(ErrorOnCue.MESSAGE);
    assertThat(Db.rows(db, "SELECT outcome FROM crawls")).containsExactly(Map.of("outcome", "failed"));
    assertThat(Db.rows(db, "SELECT state FROM frontier WHERE url = '" + site.url("/hold") + "'"))
        .containsExactly(Map.of("state", "in_flight"));

    holding = false;
    held.forEach(response -> response.reset());
    assertThat(Main.run("crawl", "-c", config.toString(), "--resume")).isEqualTo(Main.OK);

    assertThat(Db.rows(db, "SELECT url, title FROM pages WHERE error IS NULL ORDER BY url")).containsExactly(
        Map.of("url", site.url("/a"), "title", "a"),
        Map.of("url", site.url("/b"), "title", "b"),
        Map.of("url", site.url("/hold"), "title", "held"));
    assertThat(Db.count(db, "SELECT crashes FROM frontier WHERE url = '" + site.url("/hold") + "'")).isEqualTo(1);
  }

  @Test
  void runningOutOfHeapStopsTheJvmAtOnceAndResumeFinishesTheCrawl() throws Exception {
    // Eight bodies of 9.5 MB, all being read at once, under a 64 MB heap that the store's 32 MB
    // fingerprint set already halves: the heap must run out while they are read.
    Buffer part = Buffer.buffer("<p>" + "x".repeat(9_500_000));
    Buffer rest = Buffer.buffer("x".repeat(500_000 - 3) + "</p>");
    String[] paths = IntStream.range(0, 8).mapToObj(i -> "/big/" + i).toArray(String[]::new);
    for (String path : paths) {
      site.route(path, req -> {
        HttpServerResponse response = req.response().putHeader("content-type", "text/html")
            .putHeader("content-length", Integer.toString(part.length() + rest.length()));
        response.write(part);
        if (holding) {
          held.add(response);
        } else {
          response.end(rest);
        }
      });
    }
    site.start();
    Path config = config(paths);
    Path db = dir.resolve("trawl.db");
    Path log = dir.resolve("crawl.log");

    TrawlProcess crawl = TrawlProcess.startLikeLauncher(log, List.of("-Xms32m", "-Xmx64m"), Main.class.getName(),
        "crawl", "-c", config.toString());

    assertThat(exitCode(crawl)).as(Files.readString(log)).isEqualTo(3);
    assertThat(Files.readString(log)).contains("Terminating due to java.lang.OutOfMemoryError");

    holding = false;
    held.forEach(response -> response.reset());
    TrawlProcess resumed = TrawlProcess.startLikeLauncher(dir.resolve("resume.log"), Main.class.getName(),
        "crawl", "-c", config.toString(), "--resume");
    assertThat(exitCode(resumed)).as(Files.readString(dir.resolve("resume.log")))
        .isEqualTo(Main.OK);
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE error IS NULL AND bytes = " + (part.length() + rest.length())))
        .as(Db.rows(db, "SELECT url, error, bytes FROM pages").toString()).isEqualTo(paths.length);
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE crashes = 1")).isPositive();
  }

  /**
   * {@code trawl} with a thread that throws an {@link Error} once a line arrives on stdin: an error
   * on a thread no stage owns, at a moment the test chooses (the crawl running, a page in flight).
   */
  public static final class ErrorOnCue {
    static final String MESSAGE = "thrown on cue by CrawlFailureIT";

    private ErrorOnCue() {}

    public static void main(String[] args) {
      Thread cue = new Thread(() -> {
        try {
          if (new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine() == null) {
            return;
          }
        } catch (IOException e) {
          return;
        }
        throw new StackOverflowError(MESSAGE);
      }, "test-cue");
      cue.setDaemon(true);
      cue.start();
      System.exit(Main.run(args));
    }
  }
}
