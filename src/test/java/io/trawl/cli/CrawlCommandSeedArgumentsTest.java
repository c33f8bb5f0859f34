package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.CrawlJob;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeds given on the command line ({@code trawl crawl URL...}) and on standard input ({@code --seeds
 * -}) instead of a seeds file: the crawl fetches exactly those, and a bad one is refused with exit 2
 * naming it, before anything is created.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CrawlCommandSeedArgumentsTest {
  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  private Path config;
  private Path db;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start()
        .page("/a", "<title>a</title><a href=\"/c\">c</a>")
        .page("/b", "<title>b</title>")
        .page("/c", "<title>c</title>");
    db = dir.resolve("trawl.db");
    // The seeds file the config names does not exist: URL arguments and stdin must not read it.
    config = Files.writeString(dir.resolve("config.yaml"), """
        crawl:
          seeds: %s
          max_depth: 0
        fetch:
          per_host_rate: 1000/s
        """.formatted(dir.resolve("no-such-seeds.txt")));
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void crawlsTheUrlArgumentsWithTheConfigsOtherKeys() {
    SmallCrawl.Result result = SmallCrawl.execute("crawl", "-c", config.toString(), "--db", db.toString(),
        site.url("/a"), site.url("/b"));

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    // max_depth 0 from the config still applies: /c, linked from /a, is not fetched.
    assertThat(Db.rows(db, "SELECT url FROM pages WHERE error IS NULL ORDER BY url"))
        .extracting(row -> row.get("url")).containsExactly(site.url("/a"), site.url("/b"));
  }

  @Test
  void refusesABadUrlArgumentNamingItsPositionWithExit2() {
    SmallCrawl.Result result = SmallCrawl.execute("crawl", "-c", config.toString(), "--db", db.toString(),
        site.url("/a"), "htp://x");

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.err()).contains("argument 2").contains("htp://x");
    assertThat(db).doesNotExist();
  }

  @Test
  void refusesUrlArgumentsTogetherWithASeedsFile() {
    SmallCrawl.Result result = SmallCrawl.execute("crawl", "-c", config.toString(), "--db", db.toString(),
        "--seeds", "seeds.txt", site.url("/a"));

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(db).doesNotExist();
  }

  @Test
  void readsTheSeedsFromStandardInputWithSeedsDash() throws Exception {
    int exit = crawlReadingStdin("# from a pipe\n" + site.url("/b") + "\n\n" + site.url("/c") + "\n");

    assertThat(exit).as(Files.readString(dir.resolve("crawl.log"))).isEqualTo(Main.OK);
    assertThat(Db.rows(db, "SELECT url FROM pages ORDER BY url"))
        .extracting(row -> row.get("url")).containsExactly(site.url("/b"), site.url("/c"));
  }

  @Test
  void refusesABadStdinLineNamingItsLineWithExit2() throws Exception {
    int exit = crawlReadingStdin(site.url("/b") + "\nftp://nope/\n");

    String output = Files.readString(dir.resolve("crawl.log"));
    assertThat(exit).as(output).isEqualTo(Main.BAD_INPUT);
    assertThat(output).contains("stdin:2");
    assertThat(db).doesNotExist();
  }

  /** Runs a crawl reading its seeds from stdin and returns its exit code. */
  private int crawlReadingStdin(String seeds) throws Exception {
    TrawlProcess crawl = TrawlProcess.start("128m", dir.resolve("crawl.log"), "crawl", "-c", config.toString(),
        "--db", db.toString(), "--seeds", "-");
    try (OutputStream stdin = crawl.stdin()) {
      stdin.write(seeds.getBytes(StandardCharsets.UTF_8));
    }
    return crawl.exitCode(Duration.ofSeconds(60));
  }
}
