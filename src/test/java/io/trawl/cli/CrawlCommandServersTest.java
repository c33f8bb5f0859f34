package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.CrawlJob;
import io.trawl.testing.Await;
import io.trawl.testing.LoopbackServer;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code crawl.metrics} and {@code crawl.ui} from the command line: an address that cannot be listened on is bad input. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrawlCommandServersTest {
  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  private LoopbackServer busy;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start().page("/", "<title>home</title>");
    busy = LoopbackServer.start(vertx, req -> req.response().end());
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void refusesAMetricsAddressInUseWithExitTwoBeforeFetchingAnything() {
    SmallCrawl.Result result = SmallCrawl.execute("crawl", "--seeds", dir.resolve("seeds.txt").toString(),
        "--db", dir.resolve("trawl.db").toString(), "--set", "crawl.metrics=127.0.0.1:" + busy.port());

    assertThat(result.code()).as(result.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.err()).contains("crawl.metrics").contains("127.0.0.1:" + busy.port());
    assertThat(site.count("/")).isZero();
  }

  @Test
  void refusesADashboardAddressInUseWithExitTwo() {
    SmallCrawl.Result result = SmallCrawl.execute("crawl", "--seeds", dir.resolve("seeds.txt").toString(),
        "--db", dir.resolve("trawl.db").toString(), "--ui", "127.0.0.1:" + busy.port());

    assertThat(result.code()).as(result.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.err()).contains("crawl.ui");
    assertThat(site.count("/")).isZero();
  }

  @Test
  void aUrlAfterABareUiIsASeedNotTheDashboardsAddress() {
    SmallCrawl.Result result = SmallCrawl.execute("crawl", "--db", dir.resolve("trawl.db").toString(),
        "--set", "crawl.ui=127.0.0.1:0", "--ui", site.url("/"));

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(result.err()).containsPattern("dashboard at http://127\\.0\\.0\\.1:[1-9][0-9]*/");
    assertThat(site.count("/")).isEqualTo(1);
  }

  @Test
  void servesBothOnFreePortsAndSaysWhere() {
    SmallCrawl.Result result = SmallCrawl.execute("crawl", "--seeds", dir.resolve("seeds.txt").toString(),
        "--db", dir.resolve("trawl.db").toString(), "--set", "crawl.metrics=127.0.0.1:0", "--ui", "127.0.0.1:0");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(result.err()).containsPattern("metrics at http://127\\.0\\.0\\.1:[1-9][0-9]*/metrics")
        .containsPattern("dashboard at http://127\\.0\\.0\\.1:[1-9][0-9]*/")
        .doesNotContain("warning: crawl.");
    assertThat(site.count("/")).isEqualTo(1);
  }
}
