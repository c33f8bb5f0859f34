package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.GeneratedBytes;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Download jobs against a local server: matching content types are streamed to
 * {@code download.dir} as {@code <sha256>.<ext>}, stored once per content, recorded in
 * {@code downloads} with their page row; a file bigger than the heap never passes through it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DownloadIT {
  private static final byte[] PDF = "%PDF-1.4 the same bytes under two URLs".getBytes();
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx)
        .route("/a.pdf", req -> req.response().putHeader("content-type", "application/pdf").end(Buffer.buffer(PDF)))
        .route("/docs/copy", req -> req.response().putHeader("content-type", "Application/PDF; qs=1").end(Buffer.buffer(PDF)))
        .route("/logo", req -> req.response().putHeader("content-type", "image/png").end(Buffer.buffer(PNG)))
        .text("/data.bin", "application/octet-stream", "not asked for")
        .page("/index.html", "<title>home</title><a href=\"/a.pdf\">a</a>")
        .start();
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  private Path config(String download, String... paths) throws Exception {
    StringBuilder seeds = new StringBuilder();
    for (String path : paths) {
      seeds.append(site.url(path)).append('\n');
    }
    Files.writeString(dir.resolve("seeds.txt"), seeds);
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: %s
          max_depth: 0
        fetch:
          per_host_concurrency: 4
          per_host_rate: 1000/s
          request_timeout: 5m
        retry:
          max_attempts: 1
        download:
          dir: %s
        %s
        """.formatted(dir.resolve("seeds.txt"), dir.resolve("trawl.db"), dir.resolve("files"), download.indent(2)));
    return config;
  }

  @Test
  void storesEachContentOnceAndARowPerUrl() throws Exception {
    Path config = config("content_types: [application/pdf, \"image/*\"]",
        "/a.pdf", "/docs/copy", "/logo", "/data.bin", "/index.html");

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);

    Path db = dir.resolve("trawl.db");
    String pdfSha = sha256(PDF);
    String pngSha = sha256(PNG);
    assertThat(files()).containsExactlyInAnyOrder(pdfSha + ".pdf", pngSha + ".png");
    assertThat(dir.resolve("files").resolve(pdfSha + ".pdf")).hasBinaryContent(PDF);
    List<Map<String, Object>> rows = Db.rows(db, "SELECT url, path, bytes, sha256, content_type, fetched_at FROM downloads ORDER BY url");
    assertThat(rows).extracting(r -> r.get("url"))
        .containsExactly(site.url("/a.pdf"), site.url("/docs/copy"), site.url("/logo"));
    assertThat(rows.get(0).get("path")).isEqualTo(rows.get(1).get("path"))
        .isEqualTo(dir.resolve("files").resolve(pdfSha + ".pdf").toString());
    assertThat(rows.get(1)).containsEntry("bytes", PDF.length).containsEntry("sha256", pdfSha)
        .containsEntry("content_type", "Application/PDF; qs=1");
    assertThat(rows.get(2)).containsEntry("sha256", pngSha).containsEntry("bytes", PNG.length);
    assertThat(rows.get(2).get("fetched_at")).isNotNull();
    // Every URL still has its page row; a download's carries its size and hash.
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE error IS NULL AND status = 200")).isEqualTo(5);
    assertThat(Db.rows(db, "SELECT bytes, content_hash FROM pages WHERE url = '" + site.url("/logo") + "'"))
        .containsExactly(Map.of("bytes", PNG.length, "content_hash", pngSha));
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE url = '" + site.url("/index.html") + "' AND title = 'home'"))
        .isEqualTo(1);
  }

  @Test
  void downloadsNothingWhenNoContentTypeMatches() throws Exception {
    Path config = config("content_types: [\"video/*\"]", "/a.pdf", "/data.bin");

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);

    Path db = dir.resolve("trawl.db");
    assertThat(Db.count(db, "SELECT count(*) FROM downloads")).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE error IS NULL")).isEqualTo(2);
    assertThat(files()).isEmpty();
  }

  @Test
  void namesAFileByItsContentTypeNeverByTheServersUrl() throws Exception {
    byte[] script = "<?php system($_GET['c']); ?>".getBytes();
    site.route("/dl/y.php", req -> req.response().putHeader("content-type", "application/octet-stream")
        .end(Buffer.buffer(script)));
    Path config = config("content_types: [application/octet-stream, application/pdf]", "/dl/y.php", "/a.pdf");

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);

    assertThat(files()).containsExactlyInAnyOrder(sha256(script) + ".bin", sha256(PDF) + ".pdf");
    assertThat(Db.rows(dir.resolve("trawl.db"), "SELECT path FROM downloads WHERE url = '" + site.url("/dl/y.php") + "'"))
        .containsExactly(Map.of("path", dir.resolve("files").resolve(sha256(script) + ".bin").toString()));
  }

  @Test
  void failsAFileOverMaxSizeAsTooLargeAndLeavesNoPartialFile() throws Exception {
    site.route("/streamed.pdf", req -> GeneratedBytes.serve(req.response(), 3 << 20, "application/pdf", false))
        .route("/announced.pdf", req -> GeneratedBytes.serve(req.response(), 3 << 20, "application/pdf", true));
    Path config = config("content_types: [application/pdf]\nmax_size: 1MB", "/streamed.pdf", "/announced.pdf", "/a.pdf");

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);

    Path db = dir.resolve("trawl.db");
    assertThat(Db.rows(db, "SELECT url, error FROM pages WHERE error IS NOT NULL ORDER BY url")).containsExactly(
        Map.of("url", site.url("/announced.pdf"), "error", "too_large"),
        Map.of("url", site.url("/streamed.pdf"), "error", "too_large"));
    assertThat(Db.rows(db, "SELECT url FROM downloads")).containsExactly(Map.of("url", site.url("/a.pdf")));
    assertThat(files()).containsExactly(sha256(PDF) + ".pdf");
  }

  @Test
  void failsAStalledOrCutDownloadAndDeletesItsPartialFile() throws Exception {
    site.route("/stalled.pdf", req -> req.response().putHeader("content-type", "application/pdf")
            .putHeader("content-length", "100000").write(Buffer.buffer(new byte[5000])))
        .route("/cut.pdf", req -> req.response().putHeader("content-type", "application/pdf")
            .putHeader("content-length", "100000").write(Buffer.buffer(new byte[5000]))
            .onComplete(v -> req.connection().close()));
    Path config = config("content_types: [application/pdf]", "/stalled.pdf", "/cut.pdf");

    assertThat(Main.run("crawl", "-c", config.toString(), "--set", "fetch.request_timeout=1s")).isEqualTo(Main.OK);

    assertThat(Db.rows(dir.resolve("trawl.db"), "SELECT url, error FROM pages ORDER BY url")).containsExactly(
        Map.of("url", site.url("/cut.pdf"), "error", "truncated"),
        Map.of("url", site.url("/stalled.pdf"), "error", "timeout"));
    assertThat(Db.count(dir.resolve("trawl.db"), "SELECT count(*) FROM downloads")).isZero();
    assertThat(files()).isEmpty();
  }

  @Test
  void failsADownloadThatCannotBeWrittenAsFileAndGoesOn() throws Exception {
    // download.dir is fine when the crawl starts; by the time the file arrives a regular file has
    // taken its place, so no directory can hold it.
    Path files = dir.resolve("files");
    site.route("/gone.pdf", req -> vertx.fileSystem().exists(files.toString())
        .compose(exists -> exists ? vertx.fileSystem().deleteRecursive(files.toString()) : Future.succeededFuture())
        .compose(v -> vertx.fileSystem().writeFile(files.toString(), Buffer.buffer("in the way")))
        .onFailure(err -> req.response().setStatusCode(500).end())
        .onSuccess(v -> req.response().putHeader("content-type", "application/pdf").end(Buffer.buffer(PDF))));
    Path config = config("content_types: [application/pdf]", "/gone.pdf", "/index.html");

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);

    Path db = dir.resolve("trawl.db");
    assertThat(Db.rows(db, "SELECT url, coalesce(error, 'none') error FROM pages ORDER BY url")).containsExactly(
        Map.of("url", site.url("/gone.pdf"), "error", "file"),
        Map.of("url", site.url("/index.html"), "error", "none"));
    assertThat(Db.count(db, "SELECT count(*) FROM downloads")).isZero();
    assertThat(files).isRegularFile().hasContent("in the way");
  }

  @Test
  void deletesPartialFilesAKilledRunLeftAndExportsTheDownloads() throws Exception {
    Path leftover = dir.resolve("files").resolve(".trawl-" + UUID.randomUUID() + ".part");
    Files.createDirectories(leftover.getParent());
    Files.write(leftover, new byte[100]);
    Path unrelated = Files.writeString(dir.resolve("files").resolve("notes.txt"), "mine");
    Path config = config("content_types: [application/pdf]", "/a.pdf");

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.OK);

    assertThat(leftover).doesNotExist();
    assertThat(unrelated).exists();
    Path out = dir.resolve("downloads.jsonl");
    assertThat(Main.run("export", "--db", dir.resolve("trawl.db").toString(), "-t", "downloads", "-o", out.toString()))
        .isEqualTo(Main.OK);
    assertThat(Files.readAllLines(out)).singleElement().asString()
        .contains("\"url\":\"" + site.url("/a.pdf") + "\"").contains("\"sha256\":\"" + sha256(PDF) + "\"");
    assertThat(Main.run("stats", "--db", dir.resolve("trawl.db").toString())).isEqualTo(Main.OK);
  }

  @Test
  void streamsAFileFourTimesTheHeapToDisk() throws Exception {
    long size = 256L << 20;
    site.route("/huge.pdf", req -> GeneratedBytes.serve(req.response(), size, "application/pdf", true));
    Path config = config("content_types: [application/pdf]\nmax_size: 1GB", "/huge.pdf");
    Path log = dir.resolve("crawl.log");

    String output;
    try (TrawlProcess crawl = TrawlProcess.start("64m", log, "crawl", "-c", config.toString())) {
      assertThat(crawl.exitCode(Duration.ofSeconds(180))).as(crawl.output()).isEqualTo(Main.OK);
      output = crawl.output();
    }
    assertThat(output).doesNotContain("OutOfMemoryError");
    String sha = GeneratedBytes.sha256(size);
    Path file = dir.resolve("files").resolve(sha + ".pdf");
    assertThat(Files.size(file)).isEqualTo(size);
    assertThat(sha256(file)).isEqualTo(sha);
    assertThat(Db.rows(dir.resolve("trawl.db"), "SELECT path, bytes, sha256 FROM downloads"))
        .containsExactly(Map.of("path", file.toString(), "bytes", (int) size, "sha256", sha));
    Matcher peak = Pattern.compile("peak heap (\\d+) MB").matcher(output);
    assertThat(peak.find()).as(output).isTrue();
    // The summary adds up each heap pool's own peak, so it may read a little over -Xmx; what matters
    // is that the crawl lived within 64 MB and the figure is nowhere near the file's size.
    assertThat(Long.parseLong(peak.group(1))).isLessThan(128);
    LoggerFactory.getLogger(DownloadIT.class).warn("{} MB download under -Xmx64m: peak heap {} MB",
        size >> 20, peak.group(1));
  }

  private List<String> files() throws Exception {
    Path files = dir.resolve("files");
    if (!Files.exists(files)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(files)) {
      return list.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[1 << 16];
    try (var in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
