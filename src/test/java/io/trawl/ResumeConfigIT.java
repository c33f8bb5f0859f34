package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.trawl.bench.GeneratedSite;
import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * {@code --resume} with a changed config, as README's "Resume with a changed config" says: the
 * config given is the one used, each changed key is printed with both values, and nothing stored
 * is fetched again. The generated site is served by a {@link ScriptedSite} so requests count per path.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResumeConfigIT {
  private static final int PAGES = 300;
  private static final String FIRST_AGENT = "trawl-test/1";
  private static final String SECOND_AGENT = "trawl-test/2";

  @Parameter TestBackend backend;
  @TempDir Path dir;
  private String db;
  private Vertx vertx;
  private ScriptedSite site;
  private final Queue<String> agents = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void startSite() {
    db = backend.freshDatabase(dir);
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    GeneratedSite pages = new GeneratedSite(vertx, PAGES, 2000, 8, 0);
    site = new ScriptedSite(vertx).start();
    for (int i = 0; i < PAGES; i++) {
      byte[] html = pages.render(i);
      site.route("/page/" + i, req -> {
        agents.add(req.getHeader("User-Agent"));
        req.response().putHeader("content-type", "text/html; charset=utf-8").end(Buffer.buffer(html));
      });
    }
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  @Test
  void resumesWithTheNewConfigPrintingEachChangedKeyAndRefetchingNothingStored() throws Exception {
    Path config = config(50, FIRST_AGENT);
    assertThat(crawl(config).code()).isEqualTo(Main.OK);
    List<String> stored = Db.rows(db, "SELECT url FROM pages").stream().map(r -> (String) r.get("url")).toList();
    assertThat(stored).hasSize(50);
    agents.clear();

    config(0, SECOND_AGENT);
    Run resumed = crawl(config, "--resume");

    assertThat(resumed.code()).as(resumed.err()).isEqualTo(Main.OK);
    assertThat(changeLine(resumed.err(), "crawl.max_pages")).contains("50").contains("0");
    assertThat(changeLine(resumed.err(), "fetch.user_agent")).contains(FIRST_AGENT).contains(SECOND_AGENT);
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(PAGES);
    for (String url : stored) {
      assertThat(site.count(url.substring(url.indexOf("/page/")))).as("requests for stored %s", url).isEqualTo(1);
    }
    for (int i = 0; i < PAGES; i++) {
      assertThat(site.count("/page/" + i)).as("requests for page %d", i).isEqualTo(1);
    }
    assertThat(agents).hasSize(PAGES - 50).containsOnly(SECOND_AGENT);
    assertThat(Db.rows(db, "SELECT outcome, config FROM crawls ORDER BY id"))
        .extracting(r -> r.get("outcome"), r -> new JsonObject((String) r.get("config")).getJsonObject("crawl").getLong("max_pages"))
        .containsExactly(tuple("finished", 50L), tuple("finished", 0L));
  }

  @Test
  void printsAFlagOverrideAsAChangeAndNoKeyThatStayedTheSame() throws Exception {
    Path config = config(50, FIRST_AGENT);
    assertThat(crawl(config).code()).isEqualTo(Main.OK);

    Run resumed = crawl(config, "--resume", "--max-pages", "20");

    assertThat(resumed.code()).as(resumed.err()).isEqualTo(Main.OK);
    assertThat(changeLine(resumed.err(), "crawl.max_pages")).contains("50").contains("20");
    assertThat(resumed.err()).doesNotContain("fetch.user_agent");
  }

  @Test
  void maxPagesCountsWhatEarlierRunsStoredSoAResumedCrawlStopsAtTheSameTotal() throws Exception {
    Path config = config(50, FIRST_AGENT);
    assertThat(crawl(config).code()).isEqualTo(Main.OK);

    Run raised = crawl(config, "--resume", "--max-pages", "80");
    assertThat(raised.code()).as(raised.err()).isEqualTo(Main.OK);
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(80);
    assertThat(site.hits().stream().filter(h -> h.path().startsWith("/page/")).count()).isEqualTo(80);

    Run again = crawl(config, "--resume", "--max-pages", "80");
    assertThat(again.code()).as(again.err()).isEqualTo(Main.OK);
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(80);
    assertThat(site.hits().stream().filter(h -> h.path().startsWith("/page/")).count()).as("nothing more fetched").isEqualTo(80);
  }

  private record Run(int code, String err) {}

  private Run crawl(Path config, String... flags) {
    StringWriter err = new StringWriter();
    String[] args = new String[flags.length + 3];
    args[0] = "crawl";
    args[1] = "-c";
    args[2] = config.toString();
    System.arraycopy(flags, 0, args, 3, flags.length);
    int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter(), true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Run(code, err.toString());
  }

  /** The one line of {@code err} naming {@code keyPath}. */
  private static String changeLine(String err, String keyPath) {
    List<String> lines = err.lines().filter(line -> line.contains(keyPath)).toList();
    assertThat(lines).as("lines naming %s in%n%s", keyPath, err).hasSize(1);
    return lines.get(0).substring(lines.get(0).indexOf(keyPath) + keyPath.length());
  }

  private Path config(long maxPages, String userAgent) throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), site.url("/page/0") + "\n");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: '%s'
          max_depth: 50
          max_pages: %d
        fetch:
          concurrency: 8
          per_host_concurrency: 8
          per_host_rate: 100000/s
          user_agent: %s
        """.formatted(dir.resolve("seeds.txt"), db, maxPages, userAgent));
    return config;
  }
}
