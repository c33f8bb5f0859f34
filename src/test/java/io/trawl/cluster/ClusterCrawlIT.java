package io.trawl.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.cli.Main;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import io.trawl.testing.FreePorts;
import io.trawl.testing.LoopbackServer;
import io.trawl.testing.TrawlProcess;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code trawl crawl --cluster} as users run it: three trawl JVMs on 127.0.0.1 joined by Hazelcast
 * TCP/IP, one PostgreSQL, a site of several hosts (distinct ports) whose pages link across hosts,
 * so URLs discovered on one node's hosts are handed out by their owners through the shared
 * frontier. One node is SIGKILLed mid-crawl: its hosts move to the others once its lease runs out,
 * its rows in flight go back to the queue, and every page ends stored exactly once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterCrawlIT {
  private static final int HOSTS = 10;
  private static final int PAGES_PER_HOST = 24;

  @TempDir Path dir;
  private Vertx vertx;
  private final List<Integer> hostPorts = new ArrayList<>();
  private final List<TrawlProcess> nodes = new ArrayList<>();
  /** Requests for pages the site received, and when the last came (epoch millis). */
  private final AtomicLong pageRequests = new AtomicLong();
  private final AtomicLong lastPageRequestAtMs = new AtomicLong();

  @BeforeEach
  void startSite() {
    vertx = Vertx.vertx();
    for (int h = 0; h < HOSTS; h++) {
      hostPorts.add(LoopbackServer.start(vertx, this::serve).port());
    }
  }

  @AfterEach
  void stopAll() throws java.io.IOException {
    nodes.forEach(TrawlProcess::close);
    Await.result(vertx.close());
    // The nodes' logs outlive the temporary directory, for a failure in CI.
    Path kept = Path.of("target", "cluster-it-logs");
    Files.createDirectories(kept);
    try (var logs = Files.newDirectoryStream(dir, "*.log")) {
      for (Path log : logs) {
        Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Page i of host h links to pages 2i+1 and 2i+2 of its host and to page i of the next host; 50 ms a page. */
  private void serve(HttpServerRequest request) {
    String path = request.path();
    if (!path.startsWith("/p")) {
      request.response().setStatusCode(404).end();
      return;
    }
    pageRequests.incrementAndGet();
    lastPageRequestAtMs.accumulateAndGet(System.currentTimeMillis(), Math::max);
    int host = hostPorts.indexOf(request.localAddress().port());
    int page = Integer.parseInt(path.substring(2));
    StringBuilder html = new StringBuilder("<title>h" + host + " p" + page + "</title>");
    for (int next : new int[] {2 * page + 1, 2 * page + 2}) {
      if (next < PAGES_PER_HOST) {
        html.append("<a href=\"/p").append(next).append("\">n</a>");
      }
    }
    html.append("<a href=\"").append(url((host + 1) % HOSTS, page)).append("\">x</a>");
    vertx.setTimer(50, id -> request.response().putHeader("content-type", "text/html").end(html.toString()));
  }

  private String url(int host, int page) {
    return "http://127.0.0.1:" + hostPorts.get(host) + "/p" + page;
  }

  @Test
  void threeNodesStoreEveryPageOnceThoughOneIsKilledMidCrawl() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    List<String> addresses = startNodes(db, 3, "max_depth: 100", "per_host_rate: 8/s, concurrency: 8");
    int total = HOSTS * PAGES_PER_HOST;

    // The victim is a node with rows in flight in the table (claimed, not yet stored).
    String victimAddress = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
        .until(() -> busiestNode(db, total / 4), address -> address != null);
    int victimIndex = addresses.indexOf(victimAddress);
    nodes.get(victimIndex).kill(); // SIGKILL: no leave, no flush
    // Before its lease runs out (3 s after its last renewal), what the dead node left in flight.
    String victimNode = (String) Db.rows(db, "SELECT node FROM crawl_nodes WHERE address = '" + victimAddress + "'")
        .get(0).get("node");
    List<String> leftInFlight = Db.rows(db, "SELECT id FROM frontier WHERE state = 'in_flight' AND node = '"
        + victimNode + "'").stream().map(r -> String.valueOf(r.get("id"))).toList();
    assertThat(leftInFlight).as("rows the victim left in flight").isNotEmpty();
    List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
    survivors.remove(Integer.valueOf(victimIndex));
    for (int n : survivors) {
      assertThat(nodes.get(n).exitCode(Duration.ofSeconds(180))).as(log(n)).isEqualTo(Main.OK);
    }
    assertThat(Db.rows(db, "SELECT p.node FROM pages p JOIN frontier f ON f.url = p.url WHERE f.id = ANY('{"
            + String.join(",", leftInFlight) + "}'::bigint[])"))
        .as("the victim's rows in flight, put back and stored by a survivor").hasSize(leftInFlight.size())
        .noneMatch(r -> victimNode.equals(r.get("node")));

    List<Map<String, Object>> pages = Db.rows(db, "SELECT url, status, error, node FROM pages");
    Set<String> expected = new HashSet<>();
    for (int h = 0; h < HOSTS; h++) {
      for (int p = 0; p < PAGES_PER_HOST; p++) {
        expected.add(url(h, p));
      }
    }
    assertThat(pages).hasSize(total);
    assertThat(pages.stream().map(r -> (String) r.get("url")).collect(Collectors.toSet())).isEqualTo(expected);
    assertThat(pages).allSatisfy(r -> assertThat(r.get("error") + " " + r.get("status")).isEqualTo("null 200"));
    assertThat(Db.rows(db, "SELECT state, count(*) AS n FROM frontier GROUP BY state"))
        .containsExactly(Map.of("state", "done", "n", (long) total));
    Map<String, Long> byNode = Db.rows(db, "SELECT n.address, count(*) AS pages FROM pages p "
            + "JOIN crawl_nodes n ON n.node = p.node GROUP BY n.address").stream()
        .collect(Collectors.toMap(r -> (String) r.get("address"), r -> (Long) r.get("pages")));
    assertThat(byNode.keySet()).as("nodes that stored pages").containsAll(survivors.stream()
        .map(addresses::get).toList());
    List<Map<String, Object>> outcomes = Db.rows(db, "SELECT address, outcome FROM crawl_nodes");
    List<String> expectedOutcomes = new ArrayList<>(List.of(victimAddress + " lost"));
    survivors.forEach(n -> expectedOutcomes.add(addresses.get(n) + " finished"));
    assertThat(outcomes).extracting(r -> r.get("address") + " " + r.get("outcome"))
        .containsExactlyInAnyOrderElementsOf(expectedOutcomes);
    assertThat(Db.rows(db, "SELECT outcome FROM crawls")).extracting(r -> r.get("outcome")).containsExactly("finished");
    for (int n = 0; n < 3; n++) {
      assertThat(log(n)).as("node %d's log", n).doesNotContain(" ERROR ");
    }
  }

  @Test
  void aNodeCutOffPastItsLeaseWritesNothingStaleWhenItComesBackAndEveryPageIsStoredOnce() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    List<String> addresses = startNodes(db, 2, "max_depth: 100", "per_host_rate: 8/s, concurrency: 8");
    int total = HOSTS * PAGES_PER_HOST;
    String victimAddress = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
        .until(() -> busiestNode(db, total / 4), address -> address != null);
    int victimIndex = addresses.indexOf(victimAddress);
    TrawlProcess victim = nodes.get(victimIndex);
    String victimNode = (String) Db.rows(db, "SELECT node FROM crawl_nodes WHERE address = '" + victimAddress + "'")
        .get(0).get("node");

    victim.freeze(); // SIGSTOP: cut off, its responses and batches held, its lease not renewed
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> "lost".equals(Db.rows(db, "SELECT outcome FROM crawl_nodes WHERE node = '" + victimNode + "'")
            .get(0).get("outcome")));
    long victimPages = Db.count(db, "SELECT count(*) FROM pages WHERE node = '" + victimNode + "'");
    // What it had in flight went back to the queue; the survivor takes those rows over.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'in_flight' AND node = '"
            + victimNode + "'") == 0);
    victim.unfreeze(); // SIGCONT: it comes back with fetches done and batches unwritten

    assertThat(victim.exitCode(Duration.ofSeconds(60))).as(log(victimIndex)).isEqualTo(Main.FAILED);
    assertThat(log(victimIndex)).containsAnyOf("lost its lease", "no longer part of the cluster crawl");
    int survivor = 1 - victimIndex;
    assertThat(nodes.get(survivor).exitCode(Duration.ofSeconds(180))).as(log(survivor)).isEqualTo(Main.OK);
    assertThat(Db.count(db, "SELECT count(*) FROM pages WHERE node = '" + victimNode + "'"))
        .as("pages the cut-off node stored after its eviction").isEqualTo(victimPages);
    assertThat(pages(db)).isEqualTo(total);
    assertThat(Db.rows(db, "SELECT state, count(*) AS n FROM frontier GROUP BY state"))
        .containsExactly(Map.of("state", "done", "n", (long) total));
    assertThat(Db.rows(db, "SELECT url FROM page_versions GROUP BY url HAVING count(*) > 1"))
        .as("pages stored twice").isEmpty();
    assertThat(Db.rows(db, "SELECT error FROM pages WHERE error IS NOT NULL")).isEmpty();
    assertThat(log(survivor)).as("the survivor's log").doesNotContain(" ERROR ");
  }

  @Test
  void aNodeStoppedWithSigtermLeavesAndTheOtherFinishesItsHosts() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    List<String> addresses =
        startNodes(db, 2, "max_depth: 100, progress_interval: 1s", "per_host_rate: 8/s, concurrency: 8");
    int total = HOSTS * PAGES_PER_HOST;
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
        .until(() -> pages(db) >= total / 4
            && Db.count(db, "SELECT count(DISTINCT node) FROM pages WHERE node IS NOT NULL") == 2);

    nodes.get(1).terminate(); // SIGTERM: finish what is in flight, leave

    assertThat(nodes.get(1).exitCode(Duration.ofSeconds(60))).as(log(1)).isEqualTo(Main.TERMINATED);
    assertThat(nodes.get(0).exitCode(Duration.ofSeconds(180))).as(log(0)).isEqualTo(Main.OK);
    assertThat(pages(db)).isEqualTo(total);
    assertThat(Db.rows(db, "SELECT state, count(*) AS n FROM frontier GROUP BY state"))
        .containsExactly(Map.of("state", "done", "n", (long) total));
    assertThat(Db.rows(db, "SELECT address, outcome FROM crawl_nodes"))
        .extracting(r -> r.get("address") + " " + r.get("outcome"))
        .containsExactlyInAnyOrder(addresses.get(0) + " finished", addresses.get(1) + " interrupted");
    assertThat(Db.rows(db, "SELECT outcome FROM crawls")).extracting(r -> r.get("outcome")).containsExactly("finished");
    // Each node's progress line: the cluster's pages, the node's share, both nodes.
    assertThat(log(0).lines()).as(log(0))
        .anyMatch(line -> line.matches(".*progress pages \\d+ .* \\| cluster: pages \\d+ \\(this node \\d+%\\) .* nodes 2"))
        .anyMatch(line -> line.matches("cluster: \\d+ pages stored so far \\(this node \\d+%\\).*"));
    // stats: each node with the pages it stored.
    StringWriter out = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(new StringWriter()))
        .execute("stats", "--db", db);
    assertThat(code).isEqualTo(Main.OK);
    List<List<String>> byNode = statsSection(out.toString(), "nodes");
    assertThat(byNode).extracting(row -> row.get(1) + " " + row.get(4)).containsExactlyInAnyOrder(
        addresses.get(0) + " finished", addresses.get(1) + " interrupted");
    assertThat(byNode.stream().mapToLong(row -> Long.parseLong(row.get(5))).sum()).isEqualTo(total);
  }

  @Test
  void theCrawlsStatsHoldEveryNodesShareAndStatsShowsPagesPerSecondAndRuleCounts() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    // Every page makes one item, its title, and one with a missing field: each node counts what it parsed.
    startNodes(db, 2, "max_depth: 100", "per_host_rate: 8/s, concurrency: 8, autothrottle: true",
        "rules: [{name: titles, fields: {title: title, missing: {css: h6}}}]");
    for (int n = 0; n < 2; n++) {
      assertThat(nodes.get(n).exitCode(Duration.ofSeconds(180))).as(log(n)).isEqualTo(Main.OK);
    }
    int total = HOSTS * PAGES_PER_HOST;
    assertThat(Db.count(db, "SELECT count(DISTINCT node) FROM pages")).as("both nodes stored pages").isEqualTo(2);

    Map<String, Object> crawl = Db.rows(db, "SELECT started_at, finished_at, stats FROM crawls").get(0);
    io.vertx.core.json.JsonObject stats = new io.vertx.core.json.JsonObject((String) crawl.get("stats"));
    assertThat(stats.fieldNames()).contains("stored", "failed", "queued", "inFlight", "retries", "elapsedMs", "hosts",
        "stopReason", "pagesPerSecond", "linksDropped", "rules", "invalidJsonLd", "hostPace", "nodes");
    assertThat(stats.getLong("stored")).isEqualTo(total);
    assertThat(stats.getLong("hosts")).isEqualTo(HOSTS);
    assertThat(stats.getLong("nodes")).isEqualTo(2);
    assertThat(stats.getJsonObject("rules").getJsonObject("titles")).as("summed over both nodes, each page parsed once")
        .isEqualTo(new io.vertx.core.json.JsonObject().put("items", (long) total).put("dropped", 0L)
            .put("empty", new io.vertx.core.json.JsonObject().put("missing", (long) total)));
    long durationMs = java.time.Instant.parse((String) crawl.get("finished_at")).toEpochMilli()
        - java.time.Instant.parse((String) crawl.get("started_at")).toEpochMilli();
    assertThat(stats.getLong("elapsedMs")).isEqualTo(durationMs);
    assertThat(stats.getDouble("pagesPerSecond")).isCloseTo(total * 1000.0 / durationMs,
        org.assertj.core.data.Offset.offset(0.01));
    assertThat(stats.getJsonObject("hostPace").fieldNames()).as("a pace for every host, from the node that fetched it")
        .hasSize(HOSTS);

    StringWriter out = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(new StringWriter()))
        .execute("stats", "--db", db);
    assertThat(code).isEqualTo(Main.OK);
    assertThat(statsSection(out.toString(), "crawls")).singleElement().satisfies(row ->
        assertThat(Double.parseDouble(row.get(5))).as("pages_per_s of %s", row).isPositive());
    assertThat(statsSection(out.toString(), "rules")).singleElement()
        .isEqualTo(List.of("titles", Integer.toString(total), Integer.toString(total), "0", "missing " + total));
    assertThat(statsSection(out.toString(), "host pace")).hasSize(HOSTS);
  }

  @Test
  void aJoiningNodeNeedsNoSeedsAndJudgesLinksByTheCrawlsScopeNotItsOwn() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    writeConfigs(db, 2, "max_depth: 100", "per_host_rate: 8/s, concurrency: 8", "");
    // The second node's own scope would allow no page, and its seeds file does not exist.
    Path joinerConfig = dir.resolve("node1.yaml");
    Files.writeString(joinerConfig, Files.readString(joinerConfig).replace("max_depth: 100",
        "max_depth: 100, include: [\"/nothing$\"], seeds: \"" + dir.resolve("missing-seeds.txt") + "\""));
    nodes.add(node(dir.resolve("node0.log"), "crawl", "--cluster", "-c", dir.resolve("node0.yaml").toString(), url(0, 0)));
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
        .until(() -> Db.hasTable(db, "crawl_nodes") && Db.count(db, "SELECT count(*) FROM crawl_nodes") == 1);
    nodes.add(node(dir.resolve("node1.log"), "crawl", "--cluster", "-c", joinerConfig.toString()));

    for (int n = 0; n < 2; n++) {
      assertThat(nodes.get(n).exitCode(Duration.ofSeconds(180))).as(log(n)).isEqualTo(Main.OK);
    }
    String crawlScope = "{\"domains\":[\"127.0.0.1\"],\"include\":[],\"exclude\":[]}";
    assertThat(Db.rows(db, "SELECT scope FROM crawls")).extracting(r -> r.get("scope")).containsExactly(crawlScope);
    assertThat(log(1)).as("the joiner's log").contains("first=false scope=" + crawlScope)
        .containsOnlyOnce("with the crawl's scope " + crawlScope)
        .contains("\"include\":[\"/nothing$\"]");
    assertThat(Db.count(db, "SELECT count(DISTINCT node) FROM pages")).as("both nodes stored pages").isEqualTo(2);
    assertThat(pages(db)).isEqualTo(HOSTS * PAGES_PER_HOST);
  }

  /** The rows of one section of {@code trawl stats}' output, as cells. */
  private static List<List<String>> statsSection(String out, String title) {
    List<String> lines = out.lines().toList();
    int start = lines.indexOf("== " + title);
    assertThat(start).as("section %s in%n%s", title, out).isNotNegative();
    List<String> rest = lines.subList(start + 3, lines.size());
    int end = rest.indexOf("");
    return (end < 0 ? rest : rest.subList(0, end)).stream().map(line -> List.of(line.trim().split("\\s{2,}"))).toList();
  }

  @Test
  void stopAsksEveryNodeToStopAndResumeContinuesTheCrawl() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    startNodes(db, 2, "max_depth: 100", "per_host_rate: 4/s, concurrency: 4");
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> pages(db) >= 10);

    TrawlProcess stop = node(dir.resolve("stop.log"), "crawl", "--cluster", "--stop", "-c", dir.resolve("node0.yaml").toString());

    assertThat(stop.exitCode(Duration.ofSeconds(150))).as(Files.readString(dir.resolve("stop.log"))).isEqualTo(Main.OK);
    for (int n = 0; n < 2; n++) {
      assertThat(nodes.get(n).exitCode(Duration.ofSeconds(30))).as(log(n)).isEqualTo(Main.OK);
    }
    assertThat(Db.rows(db, "SELECT outcome FROM crawl_nodes")).extracting(r -> r.get("outcome"))
        .containsExactly("interrupted", "interrupted");
    assertThat(Db.rows(db, "SELECT outcome FROM crawls")).extracting(r -> r.get("outcome")).containsExactly("interrupted");
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'in_flight'")).as("nothing left in flight").isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'queued'")).as("stopped before the end").isPositive();

    TrawlProcess resumed = node(dir.resolve("resumed.log"), "crawl", "--cluster", "--resume", "-c", dir.resolve("node0.yaml").toString(),
        url(0, 0));
    nodes.add(resumed);

    assertThat(resumed.exitCode(Duration.ofSeconds(120))).as(Files.readString(dir.resolve("resumed.log"))).isEqualTo(Main.OK);
    assertThat(pages(db)).as("%s %s", Db.rows(db, "SELECT url, error, crawl_id FROM pages WHERE error IS NOT NULL"),
            Db.rows(db, "SELECT state, count(*) FROM frontier GROUP BY state"))
        .isEqualTo(HOSTS * PAGES_PER_HOST);
    assertThat(Db.rows(db, "SELECT outcome FROM crawls ORDER BY id")).extracting(r -> r.get("outcome"))
        .containsExactly("interrupted", "finished");
  }

  @Test
  void crawlMaxPagesHoldsForTheWholeCluster() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    startNodes(db, 2, "max_depth: 100, max_pages: 50", "per_host_rate: 20/s, concurrency: 4");
    for (int n = 0; n < 2; n++) {
      assertThat(nodes.get(n).exitCode(Duration.ofSeconds(180))).as(log(n)).isEqualTo(Main.OK);
    }

    assertThat(pages(db)).isEqualTo(50);
  }

  @Test
  void crawlMaxDurationHoldsForTheWholeClusterFromItsStartAndAJoiningNodeGetsWhatIsLeft() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    // At 2 requests a second a host, the site takes 12 s or more; the crawl is given 10 s from its
    // start, on the database server's clock. The node that joins (after the first opened the
    // crawl) gets what is left of them, not 10 s of its own.
    List<String> addresses = startNodes(db, 2, "max_depth: 100, max_duration: 10s", "per_host_rate: 2/s, concurrency: 4");

    for (int n = 0; n < 2; n++) {
      assertThat(nodes.get(n).exitCode(Duration.ofSeconds(120))).as(log(n)).isEqualTo(Main.OK);
    }
    Map<String, Object> crawl = Db.rows(db, "SELECT started_at, outcome, stats FROM crawls").get(0);
    assertThat(crawl.get("outcome")).isEqualTo("finished");
    assertThat(new io.vertx.core.json.JsonObject((String) crawl.get("stats")).getString("stopReason"))
        .isEqualTo("max_duration");
    assertThat(Db.rows(db, "SELECT address, outcome FROM crawl_nodes"))
        .extracting(r -> r.get("address") + " " + r.get("outcome"))
        .containsExactlyInAnyOrder(addresses.get(0) + " finished", addresses.get(1) + " finished");
    long deadlineMs = java.time.Instant.parse((String) crawl.get("started_at")).toEpochMilli() + 10_000;
    // Nothing handed out past the deadline: the last request is at most a request's way after it
    // (on a loaded machine, a while).
    assertThat(lastPageRequestAtMs.get()).isLessThan(deadlineMs + 2_000);
    long stored = pages(db);
    assertThat(pageRequests.get()).as("what was in flight at the deadline was finished and stored, nothing fetched twice")
        .isEqualTo(stored);
    assertThat(stored).isLessThan(HOSTS * PAGES_PER_HOST);
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'queued'")).isPositive();
    assertThat(Db.count(db, "SELECT count(*) FROM frontier WHERE state = 'in_flight'")).isZero();
    // The joining node was given at most what was left of the 10 s when it joined.
    Map<String, Object> joiner = Db.rows(db, "SELECT address, joined_at FROM crawl_nodes ORDER BY joined_at DESC").get(0);
    int n = addresses.indexOf((String) joiner.get("address"));
    Matcher left = Pattern.compile("cluster crawl.max_duration ends in (\\d+) ms").matcher(log(n));
    assertThat(left.find()).as(log(n)).isTrue();
    long joinedAtMs = java.time.Instant.parse((String) joiner.get("joined_at")).toEpochMilli();
    assertThat(Long.parseLong(left.group(1))).as("ms left when node %d joined", n)
        .isLessThanOrEqualTo(Math.max(0, deadlineMs - joinedAtMs) + 1);
  }

  @Test
  void theNodeThatStartsTheCrawlStillNeedsItsSeeds() throws Exception {
    String db = EmbeddedPg.freshDatabase();
    writeConfigs(db, 1, "seeds: \"" + dir.resolve("missing-seeds.txt") + "\"", "concurrency: 1", "");
    TrawlProcess node = node(dir.resolve("node0.log"), "crawl", "--cluster", "-c", dir.resolve("node0.yaml").toString());
    nodes.add(node);

    assertThat(node.exitCode(Duration.ofSeconds(120))).as(log(0)).isEqualTo(Main.BAD_INPUT);
    assertThat(log(0)).contains("missing-seeds.txt").contains("does not exist");
    assertThat(Db.count(db, "SELECT count(*) FROM crawls")).as("no crawl opened").isZero();
  }

  @Test
  void refusesASqliteFileNamingCrawlDb() throws Exception {
    Path config = dir.resolve("sqlite.yaml");
    Files.writeString(config, "crawl: {db: \"" + dir.resolve("crawl.db") + "\"}\n");
    TrawlProcess node = node(dir.resolve("sqlite.log"),
        "crawl", "--cluster", "-c", config.toString(), url(0, 0));
    nodes.add(node);

    assertThat(node.exitCode(Duration.ofSeconds(60))).isEqualTo(Main.BAD_INPUT);
    assertThat(Files.readString(dir.resolve("sqlite.log"))).contains("crawl.db").contains("PostgreSQL");
    assertThat(dir.resolve("crawl.db")).doesNotExist();
  }

  /**
   * Starts {@code count} nodes of one cluster crawl of {@code db} from page 0 of host 0, node n
   * with config {@code node<n>.yaml} and log {@code node<n>.log}, each listing them all as members.
   *
   * @param crawl the crawl section's keys besides {@code db}
   * @param fetch the fetch section's keys
   * @return the nodes' addresses, in order
   */
  private List<String> startNodes(String db, int count, String crawl, String fetch) throws java.io.IOException {
    return startNodes(db, count, crawl, fetch, "");
  }

  /** The same, each config ending with {@code more} (YAML of other sections). */
  private List<String> startNodes(String db, int count, String crawl, String fetch, String more)
      throws java.io.IOException {
    List<String> addresses = writeConfigs(db, count, crawl, fetch, more);
    for (int n = 0; n < count; n++) {
      nodes.add(node(dir.resolve("node" + n + ".log"), "crawl", "--cluster", "-c", dir.resolve("node" + n + ".yaml").toString(),
          url(0, 0)));
    }
    return addresses;
  }

  /** Writes the configs {@link #startNodes} starts the nodes with; returns the nodes' addresses. */
  private List<String> writeConfigs(String db, int count, String crawl, String fetch, String more)
      throws java.io.IOException {
    int[] ports = FreePorts.pick(2 * count);
    List<String> addresses = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      addresses.add("127.0.0.1:" + ports[2 * n]);
    }
    for (int n = 0; n < count; n++) {
      Path config = dir.resolve("node" + n + ".yaml");
      Files.writeString(config, """
          crawl: {db: "%s", %s}
          fetch: {%s}
          cluster: {members: %s, host: 127.0.0.1, port: %d, bus_port: %d, lease: 3s}
          %s
          """.formatted(db, crawl, fetch, addresses, ports[2 * n], ports[2 * n + 1], more));
    }
    return addresses;
  }

  /** A trawl JVM as the launcher starts it, logging at INFO as the product does (not the tests' logback). */
  private static TrawlProcess node(Path log, String... args) throws java.io.IOException {
    return TrawlProcess.startLikeLauncher(log, List.of("-Dlogback.configurationFile=" + LOGBACK), "io.trawl.cli.Main", args);
  }

  private static final Path LOGBACK =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("src/main/resources/logback.xml");

  /** The address of the node with the most rows in flight, once {@code atLeast} pages are stored; else null. */
  private static String busiestNode(String db, int atLeast) {
    if (pages(db) < atLeast) {
      return null;
    }
    List<Map<String, Object>> busiest = Db.rows(db, "SELECT n.address FROM frontier f JOIN crawl_nodes n ON n.node = f.node "
        + "WHERE f.state = 'in_flight' GROUP BY n.address ORDER BY count(*) DESC LIMIT 1");
    return busiest.isEmpty() ? null : (String) busiest.get(0).get("address");
  }

  private static long pages(String db) {
    boolean created = Db.count(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'pages'") > 0;
    return created ? Db.count(db, "SELECT count(*) FROM pages") : 0;
  }

  private String log(int node) {
    try {
      return Files.readString(dir.resolve("node" + node + ".log"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
