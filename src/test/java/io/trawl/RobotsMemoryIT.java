package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.GcLog;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * 1,000 hosts each serving a 500 KiB robots.txt of short rules (about 1.4 MB of parsed rules a
 * host, 1.4 GB for all) crawled under the launcher's heap and JVM flags: the robots cache keeps
 * rules by weight, not by host count, so the crawl stores every page and the heap left live after
 * each full collection stays far below what the rules of every host would take. Hosts are servers
 * on distinct ports of 127.0.0.1 (a robots.txt is per origin, port included).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RobotsMemoryIT {
  private static final int HOSTS = 1_000;
  private static final int ROBOTS_BYTES = 500 * 1024;
  /**
   * The live heap's bound: the cache's 32 MB of rules, the crawl's own (the 32 MB fingerprint set,
   * Vert.x, the frontier's window) and the robots.txt bodies being read and parsed: 136-138 MB
   * measured; far below the rules of every host (1.4 GB), or even of a third of them.
   */
  private static final long LIVE_HEAP_BOUND_MB = 200;

  @TempDir Path dir;

  @Test
  void aThousandHostsWithHalfAMegabyteRobotsTxtStayWithinTheDefaultHeap() throws Exception {
    Vertx vertx = Vertx.vertx(CrawlJob.vertxOptions());
    try {
      Buffer robots = robots();
      AtomicInteger robotsServed = new AtomicInteger();
      List<HttpServer> servers = new ArrayList<>();
      List<Future<HttpServer>> listening = new ArrayList<>();
      for (int i = 0; i < HOSTS; i++) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(req -> {
              if (req.path().equals("/robots.txt")) {
                robotsServed.incrementAndGet();
                req.response().putHeader("content-type", "text/plain").end(robots);
              } else {
                req.response().putHeader("content-type", "text/html").end("<title>ok</title>");
              }
            });
        servers.add(server);
        listening.add(server.listen());
      }
      Await.result(Future.all(listening));
      StringBuilder seeds = new StringBuilder();
      for (HttpServer server : servers) {
        seeds.append("http://127.0.0.1:").append(server.actualPort()).append("/page\n");
      }
      Files.writeString(dir.resolve("seeds.txt"), seeds);
      Path db = dir.resolve("trawl.db");
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, """
          crawl:
            seeds: %s
            db: %s
            max_depth: 0
          fetch:
            request_timeout: 120s
          retry:
            max_attempts: 1
          """.formatted(dir.resolve("seeds.txt"), db));
      Path log = dir.resolve("crawl.log");
      Path gcLog = dir.resolve("gc.log");

      String output;
      try (TrawlProcess crawl = TrawlProcess.startLikeLauncher(log, List.of(GcLog.flag(gcLog)), Main.class.getName(),
          "crawl", "-c", config.toString())) {
        assertThat(crawl.exitCode(Duration.ofSeconds(540))).as(Files.readString(log)).isEqualTo(Main.OK);
        output = crawl.output();
      }
      assertThat(output).doesNotContain("OutOfMemoryError");
      assertThat(robotsServed.get()).isGreaterThanOrEqualTo(HOSTS);
      assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE error IS NULL AND status = 200")).isEqualTo(HOSTS);
      Matcher peak = Pattern.compile("peak heap (\\d+) MB").matcher(output);
      assertThat(peak.find()).as(output).isTrue();
      long liveMb = GcLog.maxLiveAfterFullGcMb(gcLog);
      LoggerFactory.getLogger(RobotsMemoryIT.class).warn("{} hosts with a {} KiB robots.txt each, launcher's heap: "
          + "live heap after full GCs at most {} MB ({} full GCs), summary's peak heap {} MB",
          HOSTS, ROBOTS_BYTES >> 10, liveMb, GcLog.fullCollections(gcLog), peak.group(1));
      // 1.4 GB of rules went through the cache, so the old generation filled and was collected.
      assertThat(GcLog.fullCollections(gcLog)).isPositive();
      assertThat(liveMb).isLessThan(LIVE_HEAP_BOUND_MB);
    } finally {
      Await.result(vertx.close());
    }
  }

  /** A robots.txt of {@value #ROBOTS_BYTES} bytes of short Disallow lines, all for every agent. */
  private static Buffer robots() {
    StringBuilder text = new StringBuilder("User-agent: *\n");
    for (int i = 0; text.length() < ROBOTS_BYTES - 40; i++) {
      text.append("Disallow: /private/section-").append(i).append("/page\n");
    }
    return Buffer.buffer(text.toString());
  }
}
