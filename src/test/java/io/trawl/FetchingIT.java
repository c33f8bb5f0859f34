package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * A whole crawl of a site that sets a session cookie on a redirect, wants a header and a token,
 * and is paced by its {@code hosts:} entry: the cookie is sent from the redirect on and, kept in
 * the {@code cookies} table, by the resumed run too; the token never reaches {@code
 * crawls.config}; the entry's rate spaces the requests at the server; a page served without a
 * Content-Type is sniffed as HTML and parsed.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FetchingIT {
  private static final int PAGES = 6;
  /** Set by the pom for the tests of {@code ${NAME}} values; the config names it, never holds it. */
  private static final String TOKEN = System.getenv("TRAWL_TEST_SECRET");

  @Parameter TestBackend backend;
  @TempDir Path dir;
  private String db;
  private Vertx vertx;
  private ScriptedSite site;
  /** The headers each request came with, by path. */
  private final Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();

  @BeforeEach
  void startSite() {
    db = backend.freshDatabase(dir);
    vertx = Vertx.vertx();
    site = new ScriptedSite(vertx).start();
    site.route("/start", req -> {
      record(req);
      req.response().setStatusCode(302).putHeader("Location", "/home")
          .putHeader("Set-Cookie", "sid=abc123; Path=/; HttpOnly").end();
    });
    StringBuilder links = new StringBuilder("<title>home</title><a href=\"/raw\">raw</a>");
    for (int i = 0; i < PAGES; i++) {
      links.append("<a href=\"/p/").append(i).append("\">").append(i).append("</a>");
      int n = i;
      site.route("/p/" + i, req -> {
        record(req);
        req.response().putHeader("Content-Type", "text/html").end("<title>page " + n + "</title>");
      });
    }
    site.route("/home", req -> {
      record(req);
      req.response().putHeader("Content-Type", "text/html").end(links.toString());
    });
    site.route("/raw", req -> {
      record(req);
      req.response().end("\uFEFF<!DOCTYPE html>\n<html><head><title>Sniffed</title></head><body>x</body></html>");
    });
  }

  private void record(HttpServerRequest req) {
    Map<String, String> headers = new ConcurrentHashMap<>();
    for (String name : List.of("Cookie", "Authorization", "X-Trace")) {
      String value = req.getHeader(name);
      if (value != null) {
        headers.put(name, value);
      }
    }
    seen.put(req.path(), headers);
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  @Test
  void keepsTheSessionAcrossTheRedirectAndResumeSendsTokensOnlyAndSniffsAPage() throws Exception {
    Path config = config(2);
    Run first = crawl(config);
    assertThat(first.code()).as(first.err()).isEqualTo(Main.OK);
    assertThat(seen.get("/start")).doesNotContainKey("Cookie");
    assertThat(seen.get("/home")).containsEntry("Cookie", "sid=abc123");
    assertThat(Db.rows(db, "SELECT name, value, path FROM cookies"))
        .containsExactly(Map.of("name", "sid", "value", "abc123", "path", "/"));
    seen.clear();

    config(0);
    Run resumed = crawl(config, "--resume");

    assertThat(resumed.code()).as(resumed.err()).isEqualTo(Main.OK);
    assertThat(seen).as("pages the resumed run fetched").isNotEmpty().doesNotContainKey("/start");
    seen.forEach((path, headers) -> assertThat(headers).as(path)
        .containsEntry("Cookie", "sid=abc123")
        .containsEntry("Authorization", "Bearer " + TOKEN)
        .containsEntry("X-Trace", "it"));
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(PAGES + 2);
    assertThat(Db.rows(db, "SELECT title, error FROM pages WHERE url LIKE '%/raw'"))
        .containsExactly(nullable("Sniffed", null));
    assertThat(Db.rows(db, "SELECT config FROM crawls")).extracting(r -> (String) r.get("config"))
        .hasSize(2).noneMatch(json -> json.contains(TOKEN));
    assertThat(first.err() + resumed.err()).doesNotContain(TOKEN);
  }

  @Test
  void spacesTheRequestsToAHostByItsHostsEntryRate() throws Exception {
    Run run = crawl(config(0));

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    // Each URL the frontier handed out; /home is the redirect hop of /start, sent within its request.
    List<Long> times = new ArrayList<>(site.hits().stream().filter(hit -> !hit.path().equals("/home"))
        .map(ScriptedSite.Hit::nanos).sorted().toList());
    assertThat(times).hasSize(PAGES + 2);
    long shortestGapMs = Long.MAX_VALUE;
    for (int i = 1; i < times.size(); i++) {
      shortestGapMs = Math.min(shortestGapMs, (times.get(i) - times.get(i - 1)) / 1_000_000);
    }
    // 4/s is 250 ms apart; well below it (the crawl-wide 1000/s with 4 at once) would be a few ms.
    assertThat(shortestGapMs).isGreaterThanOrEqualTo(150);
  }

  private static Map<String, Object> nullable(String title, String error) {
    Map<String, Object> row = new java.util.HashMap<>();
    row.put("title", title);
    row.put("error", error);
    return row;
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

  private Path config(long maxPages) throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), site.url("/start") + "\n");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: '%s'
          max_depth: 3
          max_pages: %d
        fetch:
          concurrency: 8
          per_host_concurrency: 4
          per_host_rate: 1000/s
          respect_robots: false
          headers: {X-Trace: it}
        hosts:
          127.0.0.1:
            per_host_rate: 4/s
            auth: {bearer: "${TRAWL_TEST_SECRET}"}
        """.formatted(dir.resolve("seeds.txt"), db, maxPages));
    return config;
  }
}
