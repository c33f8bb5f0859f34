package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.CrawlFiles;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crawl whose session cookie was set by its first page is killed (SIGKILL, a real trawl process)
 * mid-crawl: the cookie was committed before any page that came with it, so {@code --resume}
 * sends it on every request without asking the page that set it again.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CookieResumeIT {
  private static final int PAGES = 120;

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  /** The Cookie header of each request to a page, by path; "none" without one. */
  private final Map<String, String> cookies = new ConcurrentHashMap<>();

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx();
    site = new ScriptedSite(vertx).start();
    StringBuilder links = new StringBuilder("<title>start</title>");
    for (int i = 0; i < PAGES; i++) {
      links.append("<a href=\"/p/").append(i).append("\">").append(i).append("</a>");
      int n = i;
      site.route("/p/" + i, req -> {
        String cookie = req.getHeader("Cookie");
        cookies.put(req.path(), cookie == null ? "none" : cookie);
        req.response().putHeader("Content-Type", "text/html").end("<title>page " + n + "</title>");
      });
    }
    site.route("/start", req -> req.response().putHeader("Content-Type", "text/html")
        .putHeader("Set-Cookie", "sid=s-41; Path=/; Max-Age=3600").end(links.toString()));
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  @Test
  void aKilledCrawlResumesWithTheSessionCookieItHad() throws Exception {
    Path db = dir.resolve("trawl.db");
    Path config = CrawlFiles.config(dir, db, """
        fetch:
          per_host_rate: 20/s
          respect_robots: false
        """, site.url("/start"));

    try (TrawlProcess crawl = TrawlProcess.start("256m", dir.resolve("crawl.log"), "crawl", "-c", config.toString())) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .until(() -> Db.hasTable(db.toString(), "pages") && Db.count(db, "SELECT count(*) FROM pages") >= 10);
      crawl.kill();
    }
    long storedBeforeKill = Db.count(db, "SELECT count(*) FROM pages");
    assertThat(storedBeforeKill).isLessThan(PAGES + 1);
    assertThat(Db.rows(db, "SELECT name, value FROM cookies")).containsExactly(Map.of("name", "sid", "value", "s-41"));
    cookies.clear();

    assertThat(Main.run("crawl", "-c", config.toString(), "--resume")).isEqualTo(Main.OK);

    assertThat(site.count("/start")).as("the page that set the cookie, asked once").isEqualTo(1);
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE status = 200")).isEqualTo(PAGES + 1);
    assertThat(cookies).as("pages the resumed run fetched").isNotEmpty()
        .allSatisfy((path, cookie) -> assertThat(cookie).as(path).isEqualTo("sid=s-41"));
  }
}
