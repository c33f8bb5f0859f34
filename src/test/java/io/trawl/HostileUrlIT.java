package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TrapServer;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Whole crawls of a site on 127.0.0.1 whose pages and redirects hide another host, 127.0.0.2
 * (loopback on Linux too), behind user info: {@code http://127.0.0.1:1@127.0.0.2:port/} is a
 * request to 127.0.0.2 for an HTTP client, while a naive reading of the host stops at the first
 * colon. A {@link TrapServer} there counts every connection, so "never contacted" is measured.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileUrlIT {
  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  private TrapServer elsewhere;

  @BeforeEach
  void startServers() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start();
    elsewhere = TrapServer.start(vertx, "127.0.0.2");
  }

  @AfterEach
  void stopServers() {
    Await.result(vertx.close());
  }

  private Path db() {
    return dir.resolve("trawl.db");
  }

  /** The trap's URL with user info that names the site's own host and a port. */
  private String hidden(String path) {
    return "http://127.0.0.1:1@127.0.0.2:" + elsewhere.port() + path;
  }

  private record Run(int code, String err) {}

  /** Crawls {@code seeds} with a test config; {@code sets} are {@code key=value} overrides. */
  private Run crawl(String seeds, String... sets) throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), seeds + "\n");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: %s
          max_depth: 2
        fetch:
          per_host_concurrency: 4
          per_host_rate: 1000/s
          request_timeout: 5s
        retry:
          max_attempts: 1
        """.formatted(dir.resolve("seeds.txt"), db()));
    List<String> args = new ArrayList<>(List.of("crawl", "-c", config.toString()));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter(), true))
        .setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new));
    return new Run(code, err.toString());
  }

  private List<String> linksFrom(String url) {
    return Db.rows(db(), "SELECT t.url AS to_url FROM link_ids l JOIN urls f ON f.id = l.from_id "
        + "JOIN urls t ON t.id = l.to_id WHERE f.url = '" + url + "' ORDER BY l.seq").stream()
        .map(row -> (String) row.get("to_url")).toList();
  }

  @Test
  void aRedirectWhoseUserInfoHidesAnotherHostFailsAsUserInfoAndNeverReachesIt() throws Exception {
    site.route("/", req -> req.response().setStatusCode(302).putHeader("Location", hidden("/secret")).end());

    Run run = crawl(site.url("/"));

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    assertThat(Db.rows(db(), "SELECT url, error FROM pages"))
        .containsExactly(Map.of("url", site.url("/"), "error", "user_info"));
    assertThat(elsewhere.connections()).isZero();
  }

  @Test
  void linksWithUserInfoAreNeitherStoredNorFollowed() throws Exception {
    site.page("/", "<title>home</title>"
        + "<a href='" + hidden("/secret") + "'>a</a>"
        + "<a href='" + site.url("/private").replace("http://", "http://user:pw@") + "'>b</a>"
        + "<a href='//127.0.0.1:1@127.0.0.2:" + elsewhere.port() + "/relative'>c</a>"
        + "<a href='/ok'>d</a>");
    site.page("/ok", "<title>ok</title>");

    Run run = crawl(site.url("/"));

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    assertThat(linksFrom(site.url("/"))).containsExactly(site.url("/ok"));
    assertThat(site.count("/private")).isZero();
    assertThat(elsewhere.connections()).isZero();
    assertThat(Db.count(db(), "SELECT count(*) FROM pages")).isEqualTo(2);
  }

  @Test
  void aBaseHrefWithUserInfoIsIgnoredAndLinksResolveAgainstThePage() throws Exception {
    site.page("/dir/", "<base href='" + hidden("/") + "'><title>home</title><a href='secret'>s</a>");
    site.page("/dir/secret", "<title>the site's own</title>");

    Run run = crawl(site.url("/dir/"));

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    assertThat(linksFrom(site.url("/dir/"))).containsExactly(site.url("/dir/secret"));
    assertThat(site.count("/dir/secret")).isEqualTo(1);
    assertThat(elsewhere.connections()).isZero();
  }

  @Test
  void aSeedWithUserInfoIsRefusedWithItsLineAndWithoutItsPassword() throws Exception {
    site.page("/", "<title>home</title>");

    Run run = crawl("# credentials do not belong in a URL\n"
        + site.url("/").replace("http://", "http://crawler:hunter2@"));

    assertThat(run.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err()).contains("seeds.txt:2").contains("user info").doesNotContain("hunter2");
    assertThat(site.hits()).isEmpty();
    assertThat(Files.exists(db())).isFalse();
  }

  // --- URLs and links without bound: a long <base href> times many links ---

  /** A page whose links resolve against a {@code <base href>} of {@code baseChars} characters. */
  private static String linkFarm(int baseChars, int tooLong, int links) {
    StringBuilder html = new StringBuilder("<base href='/b/").append("x".repeat(baseChars)).append("/'><title>farm</title>");
    for (int i = 0; i < tooLong; i++) {
      html.append("<a href='").append("y".repeat(2_100)).append(i).append("'>long</a>");
    }
    for (int i = 0; i < links; i++) {
      html.append("<a href='l").append(i).append("'>").append(i).append("</a>");
    }
    return html.toString();
  }

  @Test
  void keepsAtMostMaxLinksPerPageNoneLongerThanTheUrlCapAndCountsTheRest() throws Exception {
    StringBuilder seeds = new StringBuilder();
    for (int p = 1; p <= 4; p++) {
      site.page("/farm/" + p, linkFarm(2_000, 10, 3_000));
      seeds.append(site.url("/farm/" + p)).append('\n');
    }

    Run run = crawl(seeds.toString(), "parse.max_links_per_page=300", "crawl.max_depth=0");

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    assertThat(Db.count(db(), "SELECT count(*) FROM pages WHERE error IS NULL")).isEqualTo(4);
    assertThat(Db.count(db(), "SELECT count(*) FROM links")).isEqualTo(4 * 300);
    assertThat(Db.count(db(), "SELECT max(length(to_url)) FROM links")).isBetween(2_000L, 2_083L);
    assertThat(Db.count(db(), "SELECT count(*) FROM links WHERE to_url NOT LIKE '%/l%'")).isZero();
    // Each page: its 10 links past the length cap and the 2,700 past the 300 kept.
    assertThat(Db.count(db(), "SELECT json_extract(stats, '$.linksDropped') FROM crawls")).isEqualTo(4 * 2_710);
    assertThat(run.err()).contains((4 * 2_710) + " links dropped");
  }

  @Test
  void ignoresABaseHrefLongerThanTheUrlCap() throws Exception {
    site.page("/farm/", linkFarm(8_000, 0, 5));

    Run run = crawl(site.url("/farm/"), "crawl.max_depth=0");

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    assertThat(linksFrom(site.url("/farm/")))
        .containsExactly(site.url("/farm/l0"), site.url("/farm/l1"), site.url("/farm/l2"), site.url("/farm/l3"),
            site.url("/farm/l4"));
  }

  @Test
  void refusesASeedLongerThanTheUrlCapWithItsLine() throws Exception {
    Run run = crawl(site.url("/") + "\n" + site.url("/" + "s".repeat(3_000)));

    assertThat(run.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err()).contains("seeds.txt:2").contains("fetch.max_url_length");
    assertThat(site.hits()).isEmpty();
  }

  // --- fetch.block_private_addresses, on a site that is all loopback ---

  @Test
  void refusesEveryRequestToALoopbackSiteWhenPrivateAddressesAreBlocked() throws Exception {
    TrapServer local = TrapServer.start(vertx, "127.0.0.1");
    String seed = "http://127.0.0.1:" + local.port() + "/";

    Run run = crawl(seed, "fetch.block_private_addresses=true");

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    assertThat(Db.rows(db(), "SELECT url, error FROM pages")).containsExactly(Map.of("url", seed, "error", "blocked_address"));
    assertThat(local.connections()).as("robots.txt and the page").isZero();
  }

  @Test
  void fetchesALoopbackSiteByDefault() throws Exception {
    TrapServer local = TrapServer.start(vertx, "127.0.0.1");

    Run run = crawl("http://127.0.0.1:" + local.port() + "/");

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    assertThat(Db.count(db(), "SELECT count(*) FROM pages WHERE error IS NULL")).isEqualTo(1);
    assertThat(local.requests()).as("robots.txt and the page").isEqualTo(2);
  }
}
