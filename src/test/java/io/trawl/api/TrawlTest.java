package io.trawl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.CrawlJob;
import io.trawl.config.ConfigException;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.ScriptedSite;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's edges: a page handler that throws fails its page only; an item sink that throws
 * ends the crawl as failed without storing the page, and a resumed crawl delivers it again; bad
 * seeds and config are refused by {@code build()}. (The happy path is the example's test,
 * examples/price-watch.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrawlTest {
  @TempDir Path dir;
  private Vertx vertx;
  private ScriptedSite site;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = new ScriptedSite(vertx).start()
        .page("/", "<title>home</title><a href=\"/a\">a</a> <a href=\"/b\">b</a>")
        .page("/a", "<title>a</title>")
        .page("/b", "<title>b</title>");
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  private Trawl.Builder crawl(Path db) {
    return Trawl.builder()
        .configYaml("fetch: {per_host_rate: 1000/s, per_host_concurrency: 1}")
        .set("crawl.db", db.toString())
        .seeds(site.url("/"));
  }

  @Test
  void aHandlerThatThrowsFailsItsPageAsParseAndTheCrawlGoesOn() throws Exception {
    Path db = dir.resolve("handler.db");
    CrawlSummary summary = crawl(db)
        .pageHandler(page -> {
          if (page.url().endsWith("/a")) {
            throw new IllegalStateException("a bug in the handler");
          }
          page.emitItem("titles", Map.of("title", page.document().title()));
        })
        .build()
        .run();

    assertThat(summary.outcome()).isEqualTo("finished");
    assertThat(summary.pages()).isEqualTo(3);
    assertThat(Db.rows(db, "SELECT url, error FROM pages ORDER BY url")).extracting(row -> row.get("error"))
        .containsExactly(null, "parse", null);
    assertThat(Db.count(db, "SELECT count(*) FROM items WHERE rule = 'titles'")).isEqualTo(2);
  }

  @Test
  void aSinkThatThrowsEndsTheCrawlAsFailedAndAResumeDeliversThePageAgain() throws Exception {
    Path db = dir.resolve("sink.db");
    PageHandler titles = page -> page.emitItem("titles", Map.of("title", page.document().title()), page.url());

    CrawlSummary failed = crawl(db).pageHandler(titles)
        .itemSink(items -> {
          throw new java.io.IOException("the queue is down");
        })
        .build().run();

    assertThat(failed.outcome()).isEqualTo("failed");
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE url = '" + site.url("/") + "'")).isZero();

    List<Item> delivered = new CopyOnWriteArrayList<>();
    CrawlSummary resumed = Trawl.builder()
        .configYaml("fetch: {per_host_rate: 1000/s}")
        .set("crawl.db", db.toString())
        .seeds(site.url("/"))
        .resume(true)
        .pageHandler(titles)
        .itemSink(delivered::addAll)
        .build().run();

    assertThat(resumed.outcome()).isEqualTo("finished");
    assertThat(delivered).extracting(Item::key).containsExactlyInAnyOrder(site.url("/"), site.url("/a"), site.url("/b"));
    assertThat(delivered).allSatisfy(item -> assertThat(item.pageUrl()).isEqualTo(item.key()));
    assertThat(Db.count(db, "SELECT count(*) FROM items")).isEqualTo(3);
  }

  @Test
  void buildRefusesBadSeedsAndConfigNamingThem() {
    assertThatThrownBy(() -> Trawl.builder().seeds("ftp://x/").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://x/");
    assertThatThrownBy(() -> Trawl.builder().build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Trawl.builder().seeds(site.url("/")).set("fetch.per_host_rate", "fast").build())
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).keyPath()).isEqualTo("fetch.per_host_rate"));
  }
}
