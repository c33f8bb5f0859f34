package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.SharedChromium;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole crawls of a local shop whose listing, products and links exist only once their scripts
 * have run: each page is a shell whose script fetches its content from a JSON endpoint of the same
 * server. Rendered in the shared headless Chromium (the test of a killed browser starts its own).
 */
@ExtendWith(SharedChromium.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RenderIT {
  /** Products 1-3 are listed on the index; 3 links to 4 and 4 to 5, by script too. */
  private static final int PRODUCTS = 5;

  static final String RULES = """
      rules:
        - name: listing
          url: '/shop$'
          select: div.product
          fields: {name: a.name}
        - name: products
          url: '/product/'
          fields:
            title: h1.title
            price: {css: span.price, type: number}
      """;

  private static final String SHELL = """
      <!DOCTYPE html><html><head><title>shop</title><link rel="stylesheet" href="/static/shop.css"></head>
      <body><div id="app">loading</div><img src="/static/logo.png">
      <script>
        const path = location.pathname;
        const data = path === '/shop' ? '/api/list.json' : '/api' + path + '.json';
        fetch(data).then(r => r.json()).then(d => {
          document.getElementById('app').innerHTML = d.html;
        });
      </script></body></html>""";

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start()
        .page("/shop", SHELL)
        .page("/about", "<html><body><h2>about us</h2><a href=\"/shop\">shop</a></body></html>")
        .text("/robots.txt", "text/plain", "User-agent: *\nDisallow: /hidden\n")
        .text("/api/list.json", "application/json", json(
            "<div class=\"product\"><a class=\"name\" href=\"/product/1\">One</a></div>"
                + "<div class=\"product\"><a class=\"name\" href=\"/product/2\">Two</a></div>"
                + "<div class=\"product\"><a class=\"name\" href=\"/product/3\">Three</a></div>"
                + "<a href=\"/hidden\">staff only</a>"));
    for (int n = 1; n <= PRODUCTS; n++) {
      site.page("/product/" + n, SHELL)
          .text("/api/product/" + n + ".json", "application/json", json(product(n)));
    }
  }

  private static String product(int n) {
    String next = n == 3 || n == 4 ? "<a href=\"/product/" + (n + 1) + "\">more</a>" : "";
    return "<h1 class=\"title\">Product " + n + "</h1><span class=\"price\">" + (10 * n) + "</span>" + next;
  }

  private static String json(String html) {
    return new JsonObject().put("html", html).encode();
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  private int crawl(String config, String... extra) throws Exception {
    return crawlInto(db().toString(), config, extra);
  }

  private int crawlInto(String location, String config, String... extra) throws Exception {
    Files.writeString(dir.resolve("config.yaml"), config);
    Files.writeString(dir.resolve("seeds.txt"), site.url("/shop") + "\n" + site.url("/about") + "\n");
    List<String> args = new ArrayList<>(List.of("crawl", "-c", dir.resolve("config.yaml").toString(),
        "--seeds", dir.resolve("seeds.txt").toString(), "--db", location, "--rate", "1000/s",
        "--set", "download.dir=" + dir.resolve("shots")));
    args.addAll(List.of(extra));
    return Main.run(args.toArray(String[]::new));
  }

  private Path db() {
    return dir.resolve("trawl.db");
  }

  private static String render(SharedChromium.Endpoint chromium, String keys) {
    return RULES + "render:\n  browser: '" + chromium.url() + "'\n" + keys;
  }

  @Test
  void withoutRenderingTheRulesFindNothingAndNoScriptMadeLinkIsFollowed() throws Exception {
    assertThat(crawl(RULES)).isEqualTo(Main.OK);

    assertThat(Db.count(db(), "SELECT count(*) FROM items")).isZero();
    assertThat(urls("SELECT url FROM pages")).containsExactlyInAnyOrder(site.url("/shop"), site.url("/about"));
    assertThat(Db.count(db(), "SELECT count(*) FROM pages WHERE rendered IS NOT NULL")).isZero();
  }

  @Test
  void renderUrlsFindsEveryItemFollowsEveryScriptMadeLinkAndObeysRobots(SharedChromium.Endpoint chromium)
      throws Exception {
    assertThat(crawl(render(chromium, "  urls: ['/shop$', '/product/']\n  wait_for: 'div.product, h1.title'\n")))
        .isEqualTo(Main.OK);

    assertThat(items("listing")).extracting(i -> i.getString("name")).containsExactlyInAnyOrder("One", "Two", "Three");
    assertThat(items("products")).extracting(i -> i.getString("title"))
        .containsExactlyInAnyOrder("Product 1", "Product 2", "Product 3", "Product 4", "Product 5");
    assertThat(items("products")).extracting(i -> i.getInteger("price")).contains(10, 50);
    assertThat(Db.rows(db(), "SELECT url, coalesce(rendered, 'plain') AS rendered, coalesce(error, 'ok') AS error "
        + "FROM pages ORDER BY url")).containsExactlyInAnyOrderElementsOf(List.of(
            Map.of("url", site.url("/about"), "rendered", "plain", "error", "ok"),
            Map.of("url", site.url("/hidden"), "rendered", "plain", "error", "robots"),
            Map.of("url", site.url("/product/1"), "rendered", "urls", "error", "ok"),
            Map.of("url", site.url("/product/2"), "rendered", "urls", "error", "ok"),
            Map.of("url", site.url("/product/3"), "rendered", "urls", "error", "ok"),
            Map.of("url", site.url("/product/4"), "rendered", "urls", "error", "ok"),
            Map.of("url", site.url("/product/5"), "rendered", "urls", "error", "ok"),
            Map.of("url", site.url("/shop"), "rendered", "urls", "error", "ok")));
    assertThat(site.count("/hidden")).isZero();
    assertThat(site.count("/api/product/5.json")).isEqualTo(1);
    assertThat(site.hits()).extracting(ScriptedSite.Hit::path)
        .as("blocked types: images, stylesheets").doesNotContain("/static/shop.css", "/static/logo.png");
  }

  @Test
  void autoModeRendersWhatThePlainPageLacksAndLearnsThatProductPagesNeedTheBrowser(SharedChromium.Endpoint chromium)
      throws Exception {
    assertThat(crawl(render(chromium, "  mode: auto\n  wait_for: network_idle\n"), "--concurrency", "1"))
        .isEqualTo(Main.OK);

    assertThat(items("listing")).hasSize(3);
    assertThat(items("products")).hasSize(PRODUCTS);
    Map<String, String> rendered = Db.rows(db(), "SELECT url, coalesce(rendered, 'plain') AS rendered FROM pages")
        .stream().collect(Collectors.toMap(r -> (String) r.get("url"), r -> (String) r.get("rendered")));
    assertThat(rendered.get(site.url("/about"))).as("no rule matches it").isEqualTo("plain");
    assertThat(rendered.get(site.url("/shop"))).isEqualTo("auto");
    assertThat(rendered.get(site.url("/product/5"))).as("found by a page rendered after the pattern was learned")
        .isEqualTo("learned");
    int fetchedTwice = 0;
    for (int n = 1; n <= PRODUCTS; n++) {
      String why = rendered.get(site.url("/product/" + n));
      assertThat(why).isIn("auto", "learned");
      assertThat(site.count("/product/" + n)).as("/product/" + n + " rendered as " + why)
          .isEqualTo(why.equals("auto") ? 2 : 1);
      fetchedTwice += why.equals("auto") ? 1 : 0;
    }
    assertThat(fetchedTwice).isLessThan(PRODUCTS);
    java.io.StringWriter out = new java.io.StringWriter();
    int statsCode = new picocli.CommandLine(new Main()).setOut(new java.io.PrintWriter(out, true))
        .execute("stats", "--db", db().toString());
    assertThat(statsCode).isEqualTo(Main.OK);
    String rows = out.toString().substring(out.toString().indexOf("== pages rendered"));
    assertThat(rows).containsPattern("(?m)^auto +" + (fetchedTwice + 1) + " +0 ")
        .containsPattern("(?m)^learned +" + (PRODUCTS - fetchedTwice) + " +0 ");
    JsonObject stats = new JsonObject(Db.rows(db(), "SELECT stats FROM crawls").get(0).get("stats").toString());
    int port = java.net.URI.create(site.url("/")).getPort();
    assertThat(stats.getJsonArray("renderLearned"))
        .containsExactlyInAnyOrder("127.0.0.1:" + port + "/product/{n}", "127.0.0.1:" + port + "/shop");
  }

  @Test
  void aPageWhoseScriptNeverFinishesFailsAsTimeoutAndTheCrawlGoesOn(SharedChromium.Endpoint chromium)
      throws Exception {
    site.page("/about", "<html><body><a href=\"/spin\">spin</a> <a href=\"/shop\">shop</a></body></html>")
        .page("/spin", "<html><body><script>while (true) {}</script></body></html>");

    assertThat(crawl(render(chromium, "  mode: all\n  timeout: 3s\n  wait_for: network_idle\n"),
        "--set", "retry.max_attempts=1")).isEqualTo(Main.OK);

    assertThat(Db.rows(db(), "SELECT error, rendered FROM pages WHERE url = '" + site.url("/spin") + "'"))
        .containsExactly(Map.of("error", "timeout", "rendered", "all"));
    assertThat(Db.count(db(), "SELECT count(*) FROM pages WHERE error IS NULL")).as("/about, /shop, the products")
        .isEqualTo(2 + PRODUCTS);
    assertThat(items("products")).hasSize(PRODUCTS);
  }

  @Test
  void aBrowserKilledMidCrawlIsRestartedAndNothingIsLost(SharedChromium.Endpoint shared) throws Exception {
    AtomicInteger asked = new AtomicInteger();
    List<Long> killed = new java.util.concurrent.CopyOnWriteArrayList<>();
    String body = json(product(2));
    site.route("/api/product/2.json", req -> {
      if (asked.incrementAndGet() == 1) {
        // Product 2 is in hand, waiting for its data: its browser dies, and this request with it.
        ProcessHandle.current().descendants()
            .filter(p -> p.pid() != shared.pid() && isBrowser(p))
            .forEach(p -> {
              killed.add(p.pid());
              p.destroyForcibly();
            });
      } else {
        req.response().putHeader("content-type", "application/json").end(body);
      }
    });

    assertThat(crawl(RULES + "render:\n  urls: ['/shop$', '/product/']\n  wait_for: 'div.product, h1.title'\n"))
        .isEqualTo(Main.OK);

    assertThat(killed).hasSize(1);
    assertThat(items("products")).extracting(i -> i.getString("title"))
        .containsExactlyInAnyOrder("Product 1", "Product 2", "Product 3", "Product 4", "Product 5");
    assertThat(Db.count(db(), "SELECT count(*) FROM pages WHERE error IS NOT NULL")).as("only /hidden (robots)").isEqualTo(1);
    assertThat(asked.get()).isEqualTo(2);
    assertThat(Db.count(db(), "SELECT attempts FROM pages WHERE url = '" + site.url("/product/2") + "'"))
        .as("rendered again by the next browser within its first try").isEqualTo(1);
    assertThat(ProcessHandle.current().descendants().filter(p -> p.pid() != shared.pid() && isBrowser(p)).toList())
        .as("the crawl's browsers, once it has ended").isEmpty();
  }

  /** A browser process: not its watchdog shell, nor a renderer or another helper (which carry a --type). */
  private static boolean isBrowser(ProcessHandle process) {
    String command = process.info().command().orElse("");
    List<String> args = process.info().arguments().map(List::of).orElse(List.of());
    return command.contains("chromium") && args.contains("--remote-debugging-port=0")
        && args.stream().noneMatch(a -> a.startsWith("--type="));
  }

  @Test
  void aRenderedPageHoldsItsHostsSlotWhileItRenders(SharedChromium.Endpoint chromium) throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    for (int n = 1; n <= PRODUCTS; n++) {
      String body = json(product(n));
      site.route("/api/product/" + n + ".json", req -> {
        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        vertx.setTimer(200, id -> {
          inFlight.decrementAndGet();
          req.response().putHeader("content-type", "application/json").end(body);
        });
      });
    }

    assertThat(crawl(render(chromium, "  urls: ['/shop$', '/product/']\n  pages: 3\n  wait_for: 'h1.title, div.product'\n"),
        "--set", "fetch.per_host_concurrency=1")).isEqualTo(Main.OK);

    assertThat(items("products")).hasSize(PRODUCTS);
    assertThat(most.get()).as("product pages rendering at once on one host").isEqualTo(1);
  }

  @Test
  void screenshotsAreSavedAsDownloadsOfTheirPages(SharedChromium.Endpoint chromium) throws Exception {
    assertThat(crawl(render(chromium, "  urls: ['/shop$']\n  screenshot: true\n  wait_for: div.product\n")))
        .isEqualTo(Main.OK);

    List<Map<String, Object>> shots = Db.rows(db(), "SELECT url, path, content_type, sha256 FROM downloads");
    assertThat(shots).hasSize(1);
    assertThat(shots.get(0)).containsEntry("url", site.url("/shop")).containsEntry("content_type", "image/png");
    Path png = Path.of((String) shots.get(0).get("path"));
    assertThat(png.getFileName().toString()).isEqualTo(shots.get(0).get("sha256") + ".png");
    assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void onPostgresqlRenderedPagesKeepWhyTheirScreenshotsAndTheirStats(SharedChromium.Endpoint chromium) throws Exception {
    String pg = EmbeddedPg.freshDatabase();

    assertThat(crawlInto(pg, render(chromium,
        "  urls: ['/shop$', '/product/']\n  screenshot: true\n  wait_for: 'div.product, h1.title'\n"))).isEqualTo(Main.OK);

    assertThat(Db.rows(pg, "SELECT data FROM items WHERE rule = 'products'")).hasSize(PRODUCTS);
    assertThat(Db.rows(pg, "SELECT coalesce(rendered, 'plain') AS rendered, count(*) AS n FROM pages "
        + "WHERE error IS NULL GROUP BY 1")).extracting(r -> r.get("rendered") + " " + r.get("n"))
        .containsExactlyInAnyOrder("plain 1", "urls " + (1 + PRODUCTS));
    assertThat(Db.count(pg, "SELECT count(*) FROM downloads WHERE content_type = 'image/png'")).isEqualTo(1 + PRODUCTS);
    java.io.StringWriter out = new java.io.StringWriter();
    assertThat(new picocli.CommandLine(new Main()).setOut(new java.io.PrintWriter(out, true))
        .execute("stats", "--db", pg)).isEqualTo(Main.OK);
    assertThat(out.toString().substring(out.toString().indexOf("== pages rendered")))
        .containsPattern("(?m)^urls +" + (1 + PRODUCTS) + " +0 ");
  }

  private List<String> urls(String sql) {
    return Db.rows(db(), sql).stream().map(r -> (String) r.values().iterator().next()).toList();
  }

  private List<JsonObject> items(String rule) {
    return Db.rows(db(), "SELECT data FROM items WHERE rule = '" + rule + "'").stream()
        .map(r -> new JsonObject((String) r.get("data")))
        .toList();
  }

}
