package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A whole crawl of a site behind a login form ({@code hosts.<pattern>.login}): the form is posted
 * before the first page, its session cookie is sent after, and when the server drops the session
 * (a redirect to the login page, or a page without the success selector) trawl logs in again and
 * fetches the page once more; a login that fails leaves the pages as {@code login} errors. The
 * password, an environment variable, reaches neither {@code crawls.config} nor the output.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoginIT {
  private static final int PAGES = 8;
  /**
   * The session dies after this many pages: the crawl must log in again at least twice. One request
   * at a time, so that no other page uses up a fresh session before the page that lost it is fetched
   * again (which would rightly fail it as {@code login}).
   */
  private static final int PAGES_PER_SESSION = 3;
  /** Set by the pom for the tests of {@code ${NAME}} values; the config names it, never holds it. */
  private static final String PASSWORD = System.getenv("TRAWL_TEST_SECRET");

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  private final AtomicInteger sessions = new AtomicInteger();
  /** Live session ids, with the pages each has served. */
  private final Map<String, AtomicInteger> live = new ConcurrentHashMap<>();
  /** The body of each login post. */
  private final List<String> posts = new CopyOnWriteArrayList<>();
  /** Paths served to a logged-in request, and paths served the login page. */
  private final Set<String> servedLoggedIn = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx();
    site = new ScriptedSite(vertx).start();
    site.route("/login", this::login);
    site.route("/account", req -> {
      if (session(req) == null) {
        toLogin(req);
      } else {
        req.response().putHeader("Content-Type", "text/html").end("<title>account</title><span class=in>ann</span>");
      }
    });
    StringBuilder links = new StringBuilder();
    for (int i = 0; i < PAGES; i++) {
      links.append("<a href=\"/p/").append(i).append("\">").append(i).append("</a>");
    }
    for (int i = 0; i < PAGES; i++) {
      int n = i;
      site.route("/p/" + i, req -> {
        String sid = session(req);
        if (sid == null) {
          toLogin(req);
          return;
        }
        if (live.get(sid).incrementAndGet() >= PAGES_PER_SESSION) {
          live.remove(sid); // this page is its last
        }
        servedLoggedIn.add(req.path());
        req.response().putHeader("Content-Type", "text/html")
            .end("<title>page " + n + "</title><span class=in>ann</span>" + links);
      });
    }
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  private void login(HttpServerRequest req) {
    if (req.method().name().equals("GET")) {
      loginForm(req);
      return;
    }
    req.body().onSuccess(body -> {
      posts.add(body.toString());
      if (!body.toString().equals("user=ann&password=" + PASSWORD)) {
        loginForm(req);
        return;
      }
      String sid = "s" + sessions.incrementAndGet();
      live.put(sid, new AtomicInteger());
      req.response().setStatusCode(302).putHeader("Location", "/account")
          .addCookie(Cookie.cookie("sid", sid).setPath("/")).end();
    });
  }

  private static void loginForm(HttpServerRequest req) {
    req.response().putHeader("Content-Type", "text/html")
        .end("<title>Please log in</title><form method=post><input name=user><input name=password></form>");
  }

  /** Odd pages answer a lost session with a redirect to the login, even ones with the login form itself. */
  private static void toLogin(HttpServerRequest req) {
    int n = req.path().startsWith("/p/") ? Integer.parseInt(req.path().substring(3)) : 1;
    if (n % 2 == 1) {
      req.response().setStatusCode(302).putHeader("Location", "/login?next=" + req.path()).end();
    } else {
      loginForm(req);
    }
  }

  private String session(HttpServerRequest req) {
    Cookie sid = req.getCookie("sid");
    return sid == null || !live.containsKey(sid.getValue()) ? null : sid.getValue();
  }

  @Test
  void logsInFirstAndAgainWhenTheSessionIsLostAndStoresEveryPageLoggedIn() throws Exception {
    Run run = crawl(config(PASSWORD == null ? "" : "${TRAWL_TEST_SECRET}"));

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    assertThat(Db.rows(db(), "SELECT url, status, title, error FROM pages WHERE url LIKE '%/p/%'"))
        .hasSize(PAGES)
        .allSatisfy(row -> {
          assertThat(row.get("status")).as(row.toString()).isEqualTo(200);
          assertThat(row.get("error")).as(row.toString()).isNull();
          assertThat((String) row.get("title")).as(row.toString()).startsWith("page ");
        });
    assertThat(servedLoggedIn).hasSize(PAGES);
    // The first request of the crawl is the login; the session ran out at least twice in 8 pages.
    assertThat(site.hits().get(0).path()).isEqualTo("/login");
    assertThat(posts).hasSizeGreaterThanOrEqualTo(PAGES / PAGES_PER_SESSION + 1)
        .allMatch(body -> body.equals("user=ann&password=" + PASSWORD));
    assertThat(Db.rows(db(), "SELECT config FROM crawls")).extracting(r -> (String) r.get("config"))
        .hasSize(1).noneMatch(json -> json.contains(PASSWORD));
    assertThat(run.err()).doesNotContain(PASSWORD);
  }

  @Test
  void aLoginThatFailsLeavesThePagesAsLoginErrorsWithoutThePassword() throws Exception {
    Run run = crawl(config("wrong-" + PASSWORD));

    assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
    assertThat(Db.rows(db(), "SELECT url, error FROM pages"))
        .extracting(row -> row.get("error"))
        .containsExactly("login");
    assertThat(servedLoggedIn).isEmpty();
    assertThat(posts).isNotEmpty();
    assertThat(run.err()).doesNotContain(PASSWORD);
  }

  private String db() {
    return dir.resolve("crawl.db").toString();
  }

  private record Run(int code, String err) {}

  private Run crawl(Path config) {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter(), true))
        .setErr(new PrintWriter(err, true)).execute("crawl", "-c", config.toString());
    return new Run(code, err.toString());
  }

  private Path config(String password) throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), site.url("/p/0") + "\n");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: '%s'
          max_depth: 2
        fetch:
          concurrency: 4
          per_host_concurrency: 1
          per_host_rate: 1000/s
          respect_robots: false
        retry:
          max_attempts: 1
        hosts:
          127.0.0.1:
            login:
              url: %s
              form: {user: ann, password: "%s"}
              success: span.in
        """.formatted(dir.resolve("seeds.txt"), db(), site.url("/login"), password));
    return config;
  }
}
