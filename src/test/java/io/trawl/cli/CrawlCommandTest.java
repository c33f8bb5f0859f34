package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.CrawlJob;
import io.trawl.testing.Await;
import io.trawl.testing.Cli;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
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
 * How {@code trawl crawl} ends on bad input (exit 2, the message the README shows, nothing
 * written) and on a database it cannot open (exit 1; StoreFailureIT has one that stops taking
 * writes mid-crawl). The README's messages are a promise, so
 * these are the tests that check message text; the seeds and rules cases run {@code trawl} as a
 * user does, in a directory holding {@code config.yaml} and {@code seeds.txt}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrawlCommandTest {
  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).page("/", "<title>home</title>").start();
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  /** Runs {@code trawl crawl} in {@link #dir}; returns its exit code and output. */
  private Cli.Result crawlInDir() throws Exception {
    try (TrawlProcess crawl = TrawlProcess.startIn(dir, dir.resolve("crawl.log"), "crawl")) {
      int code = crawl.exitCode(Duration.ofSeconds(60));
      return new Cli.Result(code, "", crawl.output());
    }
  }

  @Test
  void refusesABadSeedLineNamingItsFileAndLine() throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), "# seeds\n" + site.url("/") + "\nhtp://x\n");

    Cli.Result run = crawlInDir();

    assertThat(run.code()).as(run.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err().lines()).containsExactly("trawl: seeds.txt:3: \"htp://x\" is not an http(s) URL");
    assertThat(dir.resolve("trawl.db")).doesNotExist();
    assertThat(site.hits()).isEmpty();
  }

  @Test
  void refusesARuleSelectorJsoupCannotParseNamingItsPath() throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
    Files.writeString(dir.resolve("config.yaml"), """
        rules:
          - name: titles
            fields:
              title: title
          - name: product
            fields:
              price: {css: p..price, type: number}
        """);

    Cli.Result run = crawlInDir();

    assertThat(run.code()).as(run.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("trawl: rules[1].fields.price.css: expected a CSS selector Jsoup can parse (")
        .endsWith("), got \"p..price\"");
    assertThat(dir.resolve("trawl.db")).doesNotExist();
    assertThat(site.hits()).isEmpty();
  }

  @Test
  void refusesAValueOfTheWrongKindNamingItsKeyPath() throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
    Files.writeString(dir.resolve("config.yaml"), "fetch:\n  per_host_rate: fast\n");

    Cli.Result run = Cli.run("crawl", "-c", dir.resolve("config.yaml").toString(),
        "--seeds", dir.resolve("seeds.txt").toString(), "--db", dir.resolve("trawl.db").toString());

    assertThat(run.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err().lines()).containsExactly("trawl: fetch.per_host_rate: expected a rate like \"2/s\", got \"fast\"");
    assertThat(dir.resolve("trawl.db")).doesNotExist();
  }

  @Test
  void refusesADatabaseWhoseDirectoryIsAFileBeforeAnythingRuns() throws Exception {
    // Not a permission (the tests may run as root, whom no mode bit stops): the database's
    // directory is a regular file, so no one can create a file in it, the crawl's lock file first.
    Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "a file");
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");

    Cli.Result run = Cli.run("crawl", "--seeds", dir.resolve("seeds.txt").toString(),
        "--db", notADirectory.resolve("trawl.db").toString());

    assertThat(run.code()).as(run.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err()).contains(notADirectory.resolve("trawl.db").toString());
    assertThat(site.hits()).as("nothing is fetched for a crawl that cannot be stored").isEmpty();
    assertThat(Files.readString(notADirectory)).isEqualTo("a file");
  }

  @Test
  void failsWithExit1WhenTheDatabasePathIsADirectory() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("trawl.db"));
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");

    Cli.Result run = Cli.run("crawl", "--seeds", dir.resolve("seeds.txt").toString(), "--db", directory.toString());

    assertThat(run.code()).as(run.err()).isEqualTo(Main.FAILED);
    assertThat(run.err()).contains("crawl failed");
    assertThat(site.hits()).isEmpty();
    assertThat(directory).isEmptyDirectory();
  }
}
