package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.CrawlJob;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code trawl crawl} end to end against a local site: what the summary counts, what is checked before a crawl starts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrawlCommandIT {
  private static final Pattern WITH_ERRORS = Pattern.compile("\\((\\d+) with errors\\)");

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    // A field regex whose alternation recurses once per character: Java's regex engine overflows
    // the parse thread's stack on this page's 200,000 characters, and the page fails as `parse`.
    site = new ScriptedSite(vertx).start()
        .page("/", "<title>home</title><a href=\"/overflow\">o</a> <a href=\"/missing\">m</a> <a href=\"/fine\">f</a>")
        .page("/overflow", "<title>overflow</title><p class=\"v\">" + "ab".repeat(100_000) + "</p>")
        .page("/fine", "<title>fine</title><p class=\"v\">ab</p> <a href=\"/report.pdf\">r</a>")
        .text("/report.pdf", "application/pdf", "%PDF-1.4 a small report");
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  @Test
  void countsAPageThatFailedToParseAmongThePagesWithErrors() throws Exception {
    Path config = config("""
        rules:
          - name: pairs
            fields:
              value: {css: p.v, regex: '((a|b)*)'}
        """);

    SmallCrawl.Result result = SmallCrawl.execute("crawl", "-c", config.toString());

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    Path db = dir.resolve("trawl.db");
    assertThat(Db.rows(db, "SELECT error FROM pages WHERE url LIKE '%/overflow'")).extracting(r -> r.get("error"))
        .containsExactly("parse");
    long withErrors = Db.count(db, "SELECT count(*) FROM pages WHERE error IS NOT NULL");
    assertThat(withErrors).isEqualTo(2);
    assertThat(Db.count(db, "SELECT json_extract(stats, '$.failed') FROM crawls")).isEqualTo(withErrors);
    Matcher summary = WITH_ERRORS.matcher(result.err());
    assertThat(summary.find()).as(result.err()).isTrue();
    assertThat(Long.parseLong(summary.group(1))).isEqualTo(withErrors);
  }

  /** Every way {@code download.dir} can be unusable that a test can make, as root or not. */
  private Path unusableDownloadDir(String kind) throws Exception {
    return switch (kind) {
      case "a file" -> Files.writeString(dir.resolve("downloads"), "not a directory");
      case "under a file" -> Files.writeString(dir.resolve("blocker"), "a file").resolve("downloads");
      case "on a filesystem without files" -> {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a Linux /proc");
        yield Path.of("/proc/self");
      }
      case "read-only" -> {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        Assumptions.assumeFalse(Files.isWritable(readOnly), "not root: root writes in any directory");
        yield readOnly;
      }
      default -> throw new IllegalArgumentException(kind);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"a file", "under a file", "on a filesystem without files", "read-only"})
  void refusesAnUnusableDownloadDirBeforeTouchingTheDatabase(String kind) throws Exception {
    Path downloads = unusableDownloadDir(kind);
    Path config = config(downloadsInto(downloads));
    assertThat(SmallCrawl.execute("crawl", "-c", config.toString()).code()).isEqualTo(Main.OK);
    Path db = dir.resolve("trawl.db");
    long pages = Db.count(db, "SELECT count(*) FROM pages");

    SmallCrawl.Result fresh = SmallCrawl.execute("crawl", "-c", config.toString(), "--fresh",
        "--set", "download.content_types=application/pdf");

    assertThat(fresh.code()).as(fresh.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(fresh.err()).contains("download.dir").contains(downloads.toAbsolutePath().toString());
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(pages).isPositive();
  }

  @Test
  void ignoresDownloadDirWhenDownloadsAreOff() throws Exception {
    Path config = config(downloadsInto(unusableDownloadDir("a file")));

    SmallCrawl.Result result = SmallCrawl.execute("crawl", "-c", config.toString());

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
  }

  @Test
  void createsAMissingDownloadDirAndSavesIntoIt() throws Exception {
    Path downloads = dir.resolve("new/nested/downloads");
    Path config = config(downloadsInto(downloads) + "  content_types: [application/pdf]\n");

    SmallCrawl.Result result = SmallCrawl.execute("crawl", "-c", config.toString());

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(Db.rows(dir.resolve("trawl.db"), "SELECT path FROM downloads")).hasSize(1);
    try (var files = Files.list(downloads)) {
      assertThat(files.map(f -> f.getFileName().toString())).singleElement().asString().endsWith(".pdf");
    }
  }

  private static String downloadsInto(Path downloads) {
    return "download:\n  dir: '" + downloads + "'\n";
  }

  private Path config(String extra) throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), site.url("/") + "\n");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: %s
        fetch:
          per_host_rate: 1000/s
        retry:
          max_attempts: 1
        """.formatted(dir.resolve("seeds.txt"), dir.resolve("trawl.db")) + extra);
    return config;
  }
}
