package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.CrawlJob;
import io.trawl.testing.Await;
import io.trawl.testing.LoopbackServer;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trawl try} on a page served on 127.0.0.1: the items, an empty field explained with its
 * selector and match count, a dropped item, the links followed and refused (scope, follow
 * selectors, depth, robots.txt), ad-hoc selectors, a saved file, and the exit codes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TryCommandTest {
  private static final String PAGE = """
      <html><head><title>Quotes</title></head><body>
      <div class="quote"><span class="text">To be.</span><small class="author">Ann</small>
        <a class="tag" href="/tag/be">be</a></div>
      <div class="quote"><span class="text">Or not.</span><small class="author">Bob</small></div>
      <div class="quote"><span class="text">Anonymous.</span><small class="author"> </small></div>
      <ul class="pager"><li class="next"><a href="/page/2/">next</a></li>
        <li><a href="/private/drafts">drafts</a></li></ul>
      <a href="/about">about</a> <a href="http://elsewhere.invalid/x">elsewhere</a>
      </body></html>""";

  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;
  private Path config;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start()
        .page("/", PAGE)
        .text("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private/\nDisallow: /secret\n")
        .page("/secret", "<title>secret</title>")
        .text("/data.json", "application/json", "{}");
    config = Files.writeString(dir.resolve("config.yaml"), """
        fetch: {per_host_rate: 1000/s}
        rules:
          - name: quotes
            select: div.quote
            follow: [li.next, 'a[href^="/private"]']
            fields:
              text: span.text
              author: {css: small.author, required: true}
              tags: {css: a.tag, all: true}
              born: {css: span.born}
          - name: books
            url: '/catalogue/'
            fields: {title: h3}
        """);
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  private SmallCrawl.Result tryJson(String... args) {
    SmallCrawl.Result result = run(args);
    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    return result;
  }

  private SmallCrawl.Result run(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "try";
    System.arraycopy(args, 0, all, 1, args.length);
    return SmallCrawl.execute(all);
  }

  @Test
  void printsTheItemsTheEmptyFieldsExplainedAndTheDroppedItem() {
    JsonObject out = new JsonObject(tryJson(site.url("/"), "-c", config.toString(), "--json").out());

    JsonObject quotes = rule(out, "quotes");
    assertThat(quotes.getBoolean("ran")).isTrue();
    assertThat(quotes.getInteger("selectMatches")).isEqualTo(3);
    assertThat(quotes.getJsonArray("items")).containsExactly(
        new JsonObject().put("text", "To be.").put("author", "Ann").put("tags", new JsonArray().add("be")).putNull("born"),
        new JsonObject().put("text", "Or not.").put("author", "Bob").put("tags", new JsonArray()).putNull("born"));
    assertThat(quotes.getJsonArray("dropped")).singleElement()
        .satisfies(d -> assertThat(((JsonObject) d).getInteger("match")).isEqualTo(3));
    List<JsonObject> empty = quotes.getJsonArray("emptyFields").stream().map(JsonObject.class::cast).toList();
    // born is empty everywhere: no element matched its selector.
    assertThat(empty).filteredOn(f -> f.getString("field").equals("born")).hasSize(3)
        .allSatisfy(f -> {
          assertThat(f.getString("source")).isEqualTo("css \"span.born\"");
          assertThat(f.getInteger("matched")).isZero();
        });
    // tags of the second quote: none matched; the author of the third matched once but is blank.
    assertThat(empty).anySatisfy(f -> assertThat(f.getMap()).containsEntry("match", 2).containsEntry("field", "tags")
        .containsEntry("matched", 0));
    assertThat(empty).anySatisfy(f -> assertThat(f.getMap()).containsEntry("match", 3).containsEntry("field", "author")
        .containsEntry("matched", 1).containsEntry("dropped", true));
    JsonObject books = rule(out, "books");
    assertThat(books.getBoolean("ran")).isFalse();
    assertThat(books.getBoolean("urlMatches")).isFalse();
  }

  @Test
  void saysWhichLinksWouldBeFollowedAndWhyTheOthersWouldNot() {
    JsonObject out = new JsonObject(tryJson(site.url("/"), "-c", config.toString(), "--json").out());

    assertThat(verdicts(out)).containsExactlyInAnyOrderEntriesOf(Map.of(
        site.url("/page/2/"), "follow",
        site.url("/private/drafts"), "robots",
        site.url("/tag/be"), "follow_selectors",
        site.url("/about"), "follow_selectors",
        "http://elsewhere.invalid/x", "scope"));
    assertThat(out.getString("robotsCheckedFor")).isEqualTo(site.url(""));
    // robots.txt was read before the page, as a crawl reads it.
    assertThat(site.hits()).extracting(ScriptedSite.Hit::path).containsExactly("/robots.txt", "/");
  }

  @Test
  void refusesEveryLinkAsTooDeepAtTheDepthLimit() {
    JsonObject out = new JsonObject(tryJson(site.url("/"), "-c", config.toString(), "--json", "--depth", "5").out());

    assertThat(verdicts(out)).containsEntry(site.url("/page/2/"), "depth").containsEntry(site.url("/about"), "depth")
        .containsEntry("http://elsewhere.invalid/x", "scope");
  }

  @Test
  void printsTextForAPersonWithItemsAsPrettyJson() {
    SmallCrawl.Result result = tryJson(site.url("/"), "-c", config.toString());

    assertThat(result.out())
        .contains("rule quotes: 2 item(s) from 3 match(es) of select \"div.quote\"")
        .contains("\"author\" : \"Ann\"")
        .contains("born (in 2 of 2 items): css \"span.born\" matched 0 element(s)")
        .contains("rule books: not run")
        .contains(site.url("/private/drafts"));
  }

  @Test
  void runsOneRuleByNameEvenWhereItsUrlPatternDoesNotMatch() {
    JsonObject out = new JsonObject(tryJson(site.url("/"), "-c", config.toString(), "--json", "--rule", "books").out());

    assertThat(out.getJsonArray("rules")).hasSize(1);
    JsonObject books = rule(out, "books");
    assertThat(books.getBoolean("ran")).isTrue();
    assertThat(books.getJsonArray("items").getJsonObject(0).getValue("title")).isNull();
  }

  @Test
  void showsWhatAnAdHocCssOrXpathSelectorMatchesWithoutAConfig() {
    String fast = "fetch.per_host_rate=1000/s";
    JsonObject css = new JsonObject(tryJson(site.url("/"), "--css", "small.author", "--json", "--set", fast).out());
    JsonObject xpath = new JsonObject(tryJson(site.url("/"), "--xpath", "//li[@class='next']/a", "--json", "--set", fast).out());

    assertThat(css.getJsonArray("matches")).extracting(m -> ((JsonObject) m).getString("text"))
        .containsExactly("Ann", "Bob", "");
    assertThat(xpath.getJsonArray("matches")).singleElement()
        .satisfies(m -> assertThat(((JsonObject) m).getJsonArray("attributes")).containsExactly("href=\"/page/2/\""));
    assertThat(tryJson(site.url("/"), "--css", "small.author", "--set", fast).out())
        .contains("3 match(es) of css \"small.author\"");
  }

  @Test
  void readsASavedPageWithoutFetchingAnything() throws Exception {
    Path saved = Files.writeString(dir.resolve("page.html"), PAGE);

    JsonObject out = new JsonObject(tryJson("--file", saved.toString(), "--url", "https://quotes.example.com/",
        "-c", config.toString(), "--json").out());

    assertThat(rule(out, "quotes").getJsonArray("items")).hasSize(2);
    assertThat(out.getJsonObject("page").getString("robots")).isEqualTo("not checked");
    assertThat(verdicts(out)).containsEntry("https://quotes.example.com/private/drafts", "follow");
    assertThat(site.hits()).isEmpty();
  }

  @Test
  void exitsOneNamingTheKindWhenThePageCannotBeFetched() {
    SmallCrawl.Result robots = run(site.url("/secret"), "-c", config.toString());
    SmallCrawl.Result missing = run(site.url("/nothing-here"), "-c", config.toString());
    SmallCrawl.Result notHtml = run(site.url("/data.json"), "-c", config.toString());
    String closedUrl = LoopbackServer.refusedUrl(vertx);
    SmallCrawl.Result refused = run(closedUrl, "-c", config.toString());

    assertThat(robots.code()).isEqualTo(Main.FAILED);
    assertThat(robots.err()).contains("robots");
    assertThat(site.count("/secret")).as("robots.txt is obeyed").isZero();
    assertThat(missing.code()).isEqualTo(Main.FAILED);
    assertThat(missing.err()).contains("http_404");
    assertThat(notHtml.code()).isEqualTo(Main.FAILED);
    assertThat(refused.code()).isEqualTo(Main.FAILED);
    assertThat(refused.err()).contains("connect");
    assertThat(run(site.url("/secret"), "-c", config.toString(), "--set", "fetch.respect_robots=false").code())
        .as("fetch.respect_robots: false").isEqualTo(Main.OK);
  }

  @Test
  void exitsTwoForABadSelectorRuleOrConfigBeforeFetching() throws Exception {
    Path badRule = Files.writeString(dir.resolve("bad.yaml"), "rules: [{name: a, fields: {t: {xpath: '//p['}}}]\n");

    assertThat(run(site.url("/"), "--css", "p..x").code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run(site.url("/"), "--xpath", "//p[").code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run(site.url("/"), "-c", config.toString(), "--rule", "nope").code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run(site.url("/"), "-c", badRule.toString()).code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run("htp://x").code()).isEqualTo(Main.BAD_INPUT);
    assertThat(run("--file", "page.html").code()).isEqualTo(Main.BAD_INPUT);
    assertThat(site.hits()).isEmpty();
  }

  @Test
  void setsAPerHostKeyFromTheCommandLine() {
    site.route("/agent", request -> request.response().putHeader("content-type", "text/html")
        .end("<title>" + request.getHeader("User-Agent") + "</title>"));

    SmallCrawl.Result set = run(site.url("/agent"), "-c", config.toString(), "--css", "title",
        "--set", "hosts.127.0.0.1.user_agent=probe-bot/2");
    SmallCrawl.Result unknown = run(site.url("/agent"), "-c", config.toString(), "--css", "title",
        "--set", "hosts.127.0.0.1.user_agnt=probe-bot/2");

    assertThat(set.code()).as(set.err()).isEqualTo(Main.OK);
    assertThat(set.out()).contains("probe-bot/2");
    assertThat(unknown.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(unknown.err()).contains("hosts.127.0.0.1.user_agnt").contains("did you mean user_agent?");
    assertThat(site.count("/agent")).as("nothing fetched for the refused key").isEqualTo(1);
  }

  private static JsonObject rule(JsonObject out, String name) {
    return out.getJsonArray("rules").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("name").equals(name)).findFirst().orElseThrow();
  }

  private static Map<String, String> verdicts(JsonObject out) {
    return out.getJsonArray("links").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(l -> l.getString("url"), l -> l.getString("verdict")));
  }
}
