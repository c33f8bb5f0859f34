package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.CrawlJob;
import io.trawl.testing.Await;
import io.trawl.testing.ScriptedSite;
import io.trawl.testing.SharedChromium;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trawl try} on a page whose items and links exist only once its script has run (fetched
 * from a JSON endpoint of the same server): rendered where the config's render keys say a crawl
 * would render it ({@code render.urls}, {@code render.mode: auto} after a plain page that shows
 * nothing) or where {@code --render} asks, plain otherwise; in the shared headless Chromium.
 */
@ExtendWith(SharedChromium.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TryRenderTest {
  private static final String SHELL = """
      <!DOCTYPE html><html><head><title>shop</title></head>
      <body><div id="app">loading</div>
      <script>
        fetch('/api/list.json').then(r => r.json()).then(d => {
          document.getElementById('app').innerHTML = d.html;
        });
      </script></body></html>""";

  private static final String RULES = """
      fetch: {per_host_rate: 1000/s}
      rules:
        - name: listing
          url: '/shop$'
          select: div.product
          fields: {name: a.name}
      """;

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start()
        .page("/shop", SHELL)
        .text("/api/list.json", "application/json", new JsonObject().put("html",
            "<div class=\"product\"><a class=\"name\" href=\"/product/1\">One</a></div>"
                + "<div class=\"product\"><a class=\"name\" href=\"/product/2\">Two</a></div>").encode());
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  private JsonObject tryPage(String config, String... extra) throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), config);
    List<String> args = new java.util.ArrayList<>(List.of("try", site.url("/shop"), "-c", file.toString(), "--json"));
    args.addAll(List.of(extra));
    SmallCrawl.Result result = SmallCrawl.execute(args.toArray(String[]::new));
    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    return new JsonObject(result.out());
  }

  private static List<String> names(JsonObject out) {
    return out.getJsonArray("rules").getJsonObject(0).getJsonArray("items").stream()
        .map(JsonObject.class::cast).map(i -> i.getString("name")).toList();
  }

  private static List<String> links(JsonObject out) {
    return out.getJsonArray("links").stream().map(JsonObject.class::cast).map(l -> l.getString("url")).toList();
  }

  private static String browser(SharedChromium.Endpoint chromium) {
    return "render:\n  browser: '" + chromium.url() + "'\n";
  }

  @Test
  void withoutRenderKeysThePlainPageShowsNothing(SharedChromium.Endpoint chromium) throws Exception {
    JsonObject out = tryPage(RULES + browser(chromium));

    assertThat(names(out)).isEmpty();
    assertThat(out.getJsonObject("page").getString("rendered")).isNull();
  }

  @Test
  void rendersWhereRenderUrlsNamesThePage(SharedChromium.Endpoint chromium) throws Exception {
    JsonObject out = tryPage(RULES + browser(chromium) + "  urls: ['/shop$']\n  wait_for: div.product\n");

    assertThat(names(out)).containsExactly("One", "Two");
    assertThat(links(out)).contains(site.url("/product/1"), site.url("/product/2"));
    assertThat(out.getJsonObject("page").getString("rendered")).isEqualTo("urls");
  }

  @Test
  void rendersInAutoModeWhenThePlainPageShowsNothing(SharedChromium.Endpoint chromium) throws Exception {
    JsonObject out = tryPage(RULES + browser(chromium) + "  mode: auto\n  wait_for: div.product\n");

    assertThat(names(out)).containsExactly("One", "Two");
    assertThat(out.getJsonObject("page").getString("rendered")).isEqualTo("auto");
  }

  @Test
  void rendersWhenAskedWhateverTheConfigSays(SharedChromium.Endpoint chromium) throws Exception {
    JsonObject out = tryPage(RULES + browser(chromium) + "  wait_for: div.product\n", "--render");

    assertThat(names(out)).containsExactly("One", "Two");
    assertThat(out.getJsonObject("page").getString("rendered")).isEqualTo("forced");
  }

  @Test
  void printsWhyThePageWasRendered(SharedChromium.Endpoint chromium) throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), RULES + browser(chromium) + "  wait_for: div.product\n");
    SmallCrawl.Result result = SmallCrawl.execute("try", site.url("/shop"), "-c", file.toString(), "--render");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(result.out()).contains("rendered in the browser: --render");
  }

  @Test
  void refusesRenderWithAFile() throws Exception {
    Path page = Files.writeString(dir.resolve("page.html"), "<p>x</p>");
    SmallCrawl.Result result = SmallCrawl.execute("try", "--file", page.toString(), "--url", "http://example.test/",
        "--render");

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
  }
}
