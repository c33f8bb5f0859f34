package io.trawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bench.GeneratedSite;
import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Whole crawls of a generated local site through the CLI into a real SQLite file and a real PostgreSQL database. */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrawlIT {
  private static final int PAGES = 600;

  @Parameter TestBackend backend;
  @TempDir Path dir;
  private String db;
  private Vertx vertx;
  private GeneratedSite site;

  @BeforeEach
  void startSite() {
    db = backend.freshDatabase(dir);
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    site = Await.result(new GeneratedSite(vertx, PAGES, 3000, 12, 2).start());
  }

  @AfterEach
  void stopSite() {
    Await.result(vertx.close());
  }

  private Path config(String extra) throws Exception {
    Files.writeString(dir.resolve("seeds.txt"), "# the site's home\n" + site.url(0) + "\n");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        crawl:
          seeds: %s
          db: '%s'
          max_depth: 50
        fetch:
          concurrency: 8
          per_host_concurrency: 8
          per_host_rate: 100000/s
        %s
        """.formatted(dir.resolve("seeds.txt"), db, extra));
    return config;
  }

  @Test
  void storesEveryReachablePageOnceWithItsTitleDepthAndLinks() throws Exception {
    int code = Main.run("crawl", "-c", config("").toString());

    assertThat(code).isEqualTo(Main.OK);
    List<Map<String, Object>> pages = Db.rows(db, "SELECT url, title, depth, status, error FROM pages");
    assertThat(pages).hasSize(PAGES);
    int[] shortest = bfsDepths();
    Map<Integer, Integer> depthOf = new HashMap<>();
    for (Map<String, Object> page : pages) {
      String url = (String) page.get("url");
      int n = Integer.parseInt(url.substring(url.lastIndexOf('/') + 1));
      depthOf.put(n, (Integer) page.get("depth"));
      assertThat(page.get("title")).as(url).isEqualTo(GeneratedSite.title(n));
      assertThat(page.get("status")).isEqualTo(200);
      assertThat(page.get("error")).isNull();
    }
    // A page's depth is the hops of the path the crawl first found it by: never less than the
    // shortest path, and always one more than some page that links to it.
    for (int n = 0; n < PAGES; n++) {
      int depth = depthOf.get(n);
      assertThat(depth).as("depth of page %d", n).isGreaterThanOrEqualTo(shortest[n]);
      if (n > 0) {
        int page = n;
        boolean hasParent = depthOf.entrySet().stream()
            .anyMatch(e -> e.getValue() == depth - 1 && site.linksOf(e.getKey()).contains(page));
        assertThat(hasParent).as("page %d at depth %d has a parent at depth %d", n, depth, depth - 1).isTrue();
      }
    }
    long exact = java.util.stream.IntStream.range(0, PAGES).filter(n -> depthOf.get(n) == shortest[n]).count();
    assertThat(exact).as("pages found by their shortest path").isGreaterThan(PAGES * 9L / 10);
    assertThat(site.requests()).as("each page fetched exactly once (robots.txt aside)").isBetween((long) PAGES, PAGES + 1L);
    assertThat(site.strayRequests()).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM links")).isEqualTo(expectedLinkRows());
    for (int n : new int[] {0, 7, PAGES - 1}) {
      Set<String> to = new HashSet<>();
      Db.rows(db, "SELECT to_url FROM links WHERE from_url = '" + site.url(n) + "'").forEach(r -> to.add((String) r.get("to_url")));
      Set<String> expected = new HashSet<>();
      site.linksOf(n).stream().filter(target -> target != n).forEach(target -> expected.add(site.url(target)));
      assertThat(to).as("links of page %d", n).containsAll(expected).hasSize(expected.size() + 1);
    }
    assertThat(Db.count(db, "SELECT count(*) FROM links WHERE to_url LIKE 'mailto:%' OR to_url LIKE 'javascript:%'")).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE url LIKE '%offsite.invalid%'")).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'done'")).isEqualTo(PAGES);
    assertThat(Db.rows(db, "SELECT outcome FROM crawls")).extracting(r -> r.get("outcome")).containsExactly("finished");
    assertThat(queuedOfTheCrawl()).isZero();
    assertThat(site.maxInFlight()).as("global concurrency").isBetween(2, 8);
  }

  @Test
  void stopsAtMaxPagesWithExactlyThatManyPages() throws Exception {
    int code = Main.run("crawl", "-c", config("").toString(), "--max-pages", "50");

    assertThat(code).isEqualTo(Main.OK);
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(50);
    assertThat(site.requests()).isLessThanOrEqualTo(51);
    // The crawl's own record says how many rows are left, as the table does.
    assertThat(queuedOfTheCrawl())
        .isEqualTo(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'queued'"))
        .isPositive();
  }

  @Test
  void followsLinksNoDeeperThanMaxDepth() throws Exception {
    int code = Main.run("crawl", "-c", config("").toString(), "--max-depth", "2");

    assertThat(code).isEqualTo(Main.OK);
    int[] shortest = bfsDepths();
    Map<String, Integer> withinTwo = new HashMap<>();
    for (int n = 0; n < PAGES; n++) {
      if (shortest[n] <= 2) {
        withinTwo.put(site.url(n), shortest[n]);
      }
    }
    assertThat(withinTwo.size()).as("the limit binds: most of the site is deeper").isLessThan(PAGES / 2);
    Map<String, Integer> stored = new HashMap<>();
    Db.rows(db, "SELECT url, depth FROM pages")
        .forEach(r -> stored.put((String) r.get("url"), ((Number) r.get("depth")).intValue()));
    // Every page within two links of the seed, each at its shortest distance (the seed's links are
    // all queued at depth 1 before any of them is fetched), and nothing further.
    assertThat(stored).isEqualTo(withinTwo);
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE depth > 2")).as("deeper links not even queued").isZero();
    assertThat(site.requests()).isBetween((long) withinTwo.size(), withinTwo.size() + 1L);
  }

  @Test
  void maxDepthZeroFetchesOnlyTheSeeds() throws Exception {
    Path config = config("");
    Files.writeString(dir.resolve("seeds.txt"), site.url(0) + "\n" + site.url(7) + "\n");

    assertThat(Main.run("crawl", "-c", config.toString(), "--max-depth", "0")).isEqualTo(Main.OK);

    assertThat(Db.rows(db, "SELECT url, depth FROM pages ORDER BY url"))
        .extracting(r -> r.get("url") + " " + r.get("depth")).containsExactly(site.url(0) + " 0", site.url(7) + " 0");
    assertThat(Db.count(db, "SELECT count(*) FROM frontier")).isEqualTo(2);
    assertThat(Db.count(db, "SELECT count(*) FROM links")).as("their links are still recorded").isPositive();
    assertThat(site.requests()).isBetween(2L, 3L);
  }

  @Test
  void stopsHandingOutWorkAfterMaxDuration() throws Exception {
    // At 20 requests a second the site would take 30 s; the crawl is given 1 s.
    int code = Main.run("crawl", "-c", config("").toString(), "--max-duration", "1s", "--rate", "20/s");

    assertThat(code).isEqualTo(Main.OK);
    long stored = Db.count(db, "SELECT count(*) FROM pages");
    assertThat(stored).isPositive().isLessThan(PAGES / 4);
    assertThat(site.requests()).as("what was in flight at the stop was finished and stored, nothing more sent")
        .isBetween(stored, stored + 1);
    Map<String, Object> crawl = Db.rows(db, "SELECT outcome, stats FROM crawls").get(0);
    assertThat(crawl.get("outcome")).isEqualTo("finished");
    assertThat(new JsonObject(String.valueOf(crawl.get("stats"))).getString("stopReason")).isEqualTo("max_duration");
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'queued'")).isPositive();
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'in_flight'")).isZero();
  }

  @Test
  void refusesToOverwriteAnEarlierCrawlUnlessFresh() throws Exception {
    Path config = config("");
    assertThat(Main.run("crawl", "-c", config.toString(), "--max-pages", "5")).isEqualTo(Main.OK);
    Object before = snapshot();
    long requests = site.requests();

    assertThat(Main.run("crawl", "-c", config.toString())).isEqualTo(Main.BAD_INPUT);
    assertThat(snapshot()).as("the refused run leaves the database as it was").isEqualTo(before);
    assertThat(site.requests()).as("the refused run requests nothing").isEqualTo(requests);
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(5);

    assertThat(Main.run("crawl", "-c", config.toString(), "--fresh", "--max-pages", "7")).isEqualTo(Main.OK);
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(7);
    assertThat(Db.count(db, "SELECT count(*) FROM crawls")).as("--fresh starts over: only its own crawl").isEqualTo(1);
  }

  @Test
  void resumesAnUnfinishedCrawlWithoutRefetchingStoredPages() throws Exception {
    Path config = config("");
    assertThat(Main.run("crawl", "-c", config.toString(), "--max-pages", "100")).isEqualTo(Main.OK);
    long before = site.requests();

    assertThat(Main.run("crawl", "-c", config.toString(), "--resume")).isEqualTo(Main.OK);

    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isEqualTo(PAGES);
    assertThat(site.requests() - before).isBetween((long) PAGES - 100, PAGES - 100 + 1L);
    assertThat(Db.rows(db, "SELECT outcome FROM crawls ORDER BY id")).extracting(r -> r.get("outcome"))
        .containsExactly("finished", "finished");
  }

  /** What the crawls row says was left in the queue. */
  private long queuedOfTheCrawl() {
    return new JsonObject((String) Db.rows(db, "SELECT stats FROM crawls").get(0).get("stats")).getLong("queued");
  }

  /** The SQLite file's bytes; PostgreSQL's rows of every table. */
  private Object snapshot() throws Exception {
    if (backend == TestBackend.SQLITE) {
      return Arrays.toString(Files.readAllBytes(Path.of(db)));
    }
    return List.of("pages", "links", "items", "frontier", "crawls", "downloads").stream()
        .map(table -> Db.rows(db, "SELECT * FROM " + table + " ORDER BY ctid").toString()).toList();
  }

  private int[] bfsDepths() {
    int[] depth = new int[PAGES];
    Arrays.fill(depth, -1);
    depth[0] = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(0));
    while (!queue.isEmpty()) {
      int page = queue.poll();
      for (int next : site.linksOf(page)) {
        if (depth[next] < 0) {
          depth[next] = depth[page] + 1;
          queue.add(next);
        }
      }
    }
    return depth;
  }

  /** Per page: its distinct links to other pages, plus the one off-site http link. */
  private long expectedLinkRows() {
    long rows = 0;
    for (int i = 0; i < PAGES; i++) {
      Set<Integer> targets = new HashSet<>(site.linksOf(i));
      targets.remove(i);
      rows += targets.size() + 1;
    }
    return rows;
  }
}
