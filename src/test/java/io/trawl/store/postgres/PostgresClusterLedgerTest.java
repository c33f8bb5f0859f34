package io.trawl.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.trawl.bus.CookieChanges;
import io.trawl.bus.CookieRecord;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageRecord;
import io.trawl.bus.QueuedBatch;
import io.trawl.core.HostPartitions;
import io.trawl.store.ClusterLedger;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreClaim;
import io.trawl.store.StoreException;
import io.trawl.store.StoreWriter;
import io.trawl.testing.Db;
import io.trawl.testing.PageVersions;
import io.trawl.testing.EmbeddedPg;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the nodes of a cluster crawl agree on through PostgreSQL, with two or three ledgers on one
 * embedded server standing for nodes: one crawl joined, one owner per partition, eviction of a node
 * whose lease ran out (its rows in flight back in the queue, its late writes refused), the page
 * budget across nodes, the last node closing the crawl, and the stop request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresClusterLedgerTest {
  private static final long LEASE_MS = 60_000;
  private String db;
  private StoreBackend store;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void freshDatabase() {
    db = EmbeddedPg.freshDatabase();
    store = StoreBackends.of(db, "public");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private ClusterLedger ledger(String node, long leaseMs) {
    ClusterLedger ledger = store.openClusterLedger(node, "127.0.0.1:5701", leaseMs);
    opened.add(ledger);
    return ledger;
  }

  private ClusterLedger started(String node, long leaseMs) {
    ClusterLedger ledger = ledger(node, leaseMs);
    long live = ledger.lockAndFindLiveCrawl();
    if (live < 0) {
      ledger.start("{}", false, List.of(), null);
    } else {
      ledger.join(live);
    }
    return ledger;
  }

  private StoreWriter writer(String node) {
    StoreWriter writer = store.openNodeWriter(node, LEASE_MS);
    opened.add(writer);
    return writer;
  }

  @Test
  void theFirstNodeStartsTheCrawlAndTheNextOnesJoinIt() {
    ClusterLedger a = ledger("a", LEASE_MS);
    assertThat(a.lockAndFindLiveCrawl()).isEqualTo(-1);
    ClusterLedger.Entry first = a.start("{\"crawl\":{}}", false, List.of("http://127.0.0.1:4000/seed"), "{\"domains\":[\"127.0.0.1\"]}");
    ClusterLedger b = ledger("b", LEASE_MS);
    long running = b.lockAndFindLiveCrawl();
    ClusterLedger.Entry second = b.join(running);

    assertThat(first.first()).isTrue();
    assertThat(second.first()).isFalse();
    assertThat(second.crawlId()).isEqualTo(first.crawlId()).isEqualTo(running);
    assertThat(second.startedAtMs()).isEqualTo(first.startedAtMs());
    assertThat(second.scope()).as("the crawl's scope, for the joining node").isEqualTo("{\"domains\":[\"127.0.0.1\"]}");
    assertThat(Db.count(db, "SELECT count(*) FROM crawls")).isEqualTo(1);
    assertThat(Db.count(db, "SELECT count(*) FROM crawl_partitions WHERE node IS NULL")).isEqualTo(HostPartitions.COUNT);
    assertThat(a.renew().liveNodes()).containsExactly("a", "b");
    // The seeds are there for the joining node, with their partition: the crawl is not over.
    assertThat(Db.rows(db, "SELECT url, partition FROM frontier")).containsExactly(Map.of("url",
        "http://127.0.0.1:4000/seed", "partition", HostPartitions.ofUrl("http://127.0.0.1:4000/seed")));
    assertThat(b.frontierDone()).isFalse();
  }

  @Test
  void aPartitionHasOneOwnerUntilItsOwnerReleasesIt() {
    ClusterLedger a = started("a", LEASE_MS);
    ClusterLedger b = started("b", LEASE_MS);

    assertThat(a.acquire(range(0, 10)).partitions()).isEqualTo(range(0, 10));
    assertThat(b.acquire(range(5, 15)).partitions()).isEqualTo(range(10, 15));
    assertThat(a.acquire(range(0, 10)).partitions()).as("asking again for its own").isEqualTo(range(0, 10));

    a.release(range(5, 10));

    assertThat(b.acquire(range(5, 15)).partitions()).isEqualTo(range(5, 15));
    assertThat(a.owned()).isEqualTo(range(0, 5));
    assertThat(b.owned()).isEqualTo(range(5, 15));
  }

  @Test
  void aNodeWhoseLeaseRanOutIsEvictedItsRowsInFlightRequeuedAndItsLateWritesRefused() {
    ClusterLedger a = started("a", 3_000);
    ClusterLedger b = started("b", LEASE_MS);
    String url = "http://127.0.0.1:4000/x";
    int partition = HostPartitions.ofUrl(url);
    assertThat(a.acquire(List.of(partition)).partitions()).containsExactly(partition);
    StoreWriter writerA = writer("a");
    writerA.write(List.of(FrontierUpdate.ofSeeds(List.of(url, "http://127.0.0.1:4000/y"))), List.of(), List.of(), List.of(), 0);
    List<FrontierRow> rows = writerA.queuedIn(List.of(partition), List.of(0L), 10).rows();
    writerA.write(List.of(new FrontierUpdate(List.of(), rows.stream().map(FrontierRow::id).toList(), List.of())),
        List.of(), List.of(), List.of(), 0);
    assertThat(Db.rows(db, "SELECT node FROM frontier WHERE state = 'in_flight'")).hasSize(2)
        .allSatisfy(r -> assertThat(r.get("node")).isEqualTo("a"));
    a.renew();
    assertThat(b.acquire(List.of(partition)).partitions()).as("a's lease still holds").isEmpty();

    ClusterLedger.Acquired taken = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> b.acquire(List.of(partition)), acquired -> !acquired.partitions().isEmpty());

    assertThat(taken.evicted()).containsExactly("a");
    assertThat(taken.requeued()).isEqualTo(2);
    assertThat(Db.rows(db, "SELECT state, node FROM frontier")).hasSize(2)
        .allSatisfy(r -> assertThat(r.get("state") + " " + r.get("node")).isEqualTo("queued null"));
    assertThat(Db.rows(db, "SELECT outcome FROM crawl_nodes WHERE node = 'a'")).extracting(r -> r.get("outcome"))
        .containsExactly("lost");
    PageRecord late = new PageRecord(rows.get(0).id(), url, url, 200, "text/html", 0, "late", 1_700_000_000_000L, 1, 10,
        null, 1, null, List.of(), List.of(), new JsonArray(), null);
    assertThatThrownBy(() -> writerA.write(List.of(), List.of(late), PageVersions.of(List.of(late)), List.of(List.of()), 0))
        .isInstanceOf(StoreException.class).hasMessageContaining("no longer part of the cluster crawl");
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).as("the evicted node's late page").isZero();
    CookieRecord cookie = new CookieRecord("127.0.0.1", "/", "s", "v", true, false, false, -1, 1, 1);
    assertThatThrownBy(() -> writerA.saveCookies(new CookieChanges(List.of(cookie), List.of())))
        .isInstanceOf(StoreException.class).hasMessageContaining("no longer part of the cluster crawl");
    assertThatThrownBy(() -> writerA.scheduleFromSitemap(List.of(url), List.of(1L), List.of(60_000L), 0))
        .isInstanceOf(StoreException.class).hasMessageContaining("no longer part of the cluster crawl");
    assertThatThrownBy(() -> writerA.addDiscovered(List.of("http://127.0.0.1:4000/z"), 1))
        .isInstanceOf(StoreException.class).hasMessageContaining("no longer part of the cluster crawl");
    assertThat(Db.count(db, "SELECT count(*) FROM cookies")).as("the evicted node's cookie").isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM frontier")).as("the evicted node's discovered URL").isEqualTo(2);
    assertThatThrownBy(a::renew).isInstanceOf(StoreException.class).hasMessageContaining("evicted");
    a.leave("failed", "failed", null, share(5, "h:1", 1.0, 1));
    assertThat(Db.rows(db, "SELECT stats FROM crawls")).extracting(r -> r.get("stats"))
        .as("what the evicted node counted: the others fetch its pages again").containsOnlyNulls();
  }

  @Test
  void aLiveNodesWritesCarryItsIdAndPagesInByPartitionCursor() {
    ClusterLedger a = started("a", LEASE_MS);
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      urls.add("http://127.0.0.1:" + (5000 + i % 3) + "/p" + i);
    }
    List<Integer> partitions = urls.stream().map(HostPartitions::ofUrl).distinct().sorted().toList();
    a.acquire(partitions);
    StoreWriter writer = writer("a");
    writer.write(List.of(FrontierUpdate.ofSeeds(urls)), List.of(), List.of(), List.of(), 0);

    QueuedBatch first = writer.queuedIn(partitions, partitions.stream().map(p -> 0L).toList(), 4);
    assertThat(first.rows()).hasSize(12);
    assertThat(first.queuedTotal()).isEqualTo(30);
    List<Long> cursors = partitions.stream().map(p -> first.rows().stream()
        .filter(r -> HostPartitions.ofUrl(r.url()) == p).mapToLong(FrontierRow::id).max().orElseThrow()).toList();
    QueuedBatch next = writer.queuedIn(partitions, cursors, 100);
    assertThat(next.rows()).hasSize(18).noneMatch(r -> first.rows().contains(r));

    FrontierRow row = first.rows().get(0);
    writer.write(List.of(new FrontierUpdate(List.of(), List.of(row.id()), List.of())), List.of(), List.of(), List.of(), 0);
    PageRecord page = new PageRecord(row.id(), row.url(), row.url(), 200, "text/html", 0, "t", 1_700_000_000_000L, 1, 10,
        null, 1, null, List.of(), List.of(), new JsonArray(), null);
    writer.write(List.of(), List.of(page), PageVersions.of(List.of(page)), List.of(List.of()), 0);
    assertThat(Db.rows(db, "SELECT node FROM pages")).extracting(r -> r.get("node")).containsExactly("a");
  }

  @Test
  void theBudgetOfMaxPagesHoldsAcrossNodesAndALeavingNodeReturnsWhatItDidNotUse() {
    ClusterLedger a = started("a", LEASE_MS);
    ClusterLedger b = started("b", LEASE_MS);

    assertThat(a.reserve(64, 100)).isEqualTo(64);
    assertThat(b.reserve(64, 100)).isEqualTo(36);
    assertThat(a.reserve(64, 100)).isZero();

    a.leave("left", "interrupted", null, null);

    assertThat(b.reserve(64, 100)).as("a stored nothing of its 64").isEqualTo(64);
  }

  @Test
  void pagesEarlierRunsStoredCountTowardTheBudget() {
    ClusterLedger setup = ledger("setup", LEASE_MS);
    setup.lockAndFindLiveCrawl();
    setup.unlockStart();
    Db.update(db, "INSERT INTO frontier (url, depth, state) SELECT 'http://127.0.0.1/' || i, 0, 'done' FROM generate_series(1, 30) i");
    Db.update(db, "INSERT INTO pages (url, depth, fetched_at, elapsed_ms, bytes, attempts) "
        + "SELECT 'http://127.0.0.1/' || i, 0, '2026-01-01T00:00:00Z', 1, 1, 1 FROM generate_series(1, 30) i");

    ClusterLedger a = started("a", LEASE_MS);

    assertThat(a.reserve(100, 100)).isEqualTo(70);
  }

  @Test
  void theLastNodeToLeaveClosesTheCrawlWithTheClustersCountsAndEveryLeavingNodesShare() {
    ClusterLedger a = started("a", LEASE_MS);
    ClusterLedger b = started("b", LEASE_MS);
    ClusterLedger killed = started("c", LEASE_MS);
    assertThat(a.frontierDone()).isTrue();
    long crawl = Db.count(db, "SELECT id FROM crawls");
    for (String url : List.of("http://127.0.0.1:1/a", "http://127.0.0.1:2/b")) {
      Db.update(db, "INSERT INTO pages (url, status, depth, fetched_at, elapsed_ms, bytes, attempts, crawl_id) "
          + "VALUES (?, 200, 0, '2026-12-05T00:00:00Z', 1, 1, 1, ?)", url, crawl);
    }
    Db.update(db, "UPDATE crawl_nodes SET lease_until = 0 WHERE node = 'c'"); // killed: it never leaves

    assertThat(a.leave("finished", "finished", "done", share(3, "h:1", 2.0, 1))).isFalse();
    assertThat(Db.rows(db, "SELECT outcome FROM crawls")).extracting(r -> r.get("outcome")).containsOnlyNulls();
    assertThat(new JsonObject((String) Db.rows(db, "SELECT stats FROM crawls").get(0).get("stats"))
        .getJsonObject("rules").getJsonObject("quotes").getLong("items"))
        .as("a's share, in the row as soon as it left").isEqualTo(3);
    assertThat(b.leave("finished", "finished", "max_duration", share(4, "h:1", 5.0, 2))).isTrue();

    assertThat(Db.rows(db, "SELECT outcome, stats FROM crawls")).singleElement().satisfies(r -> {
      assertThat(r.get("outcome")).isEqualTo("finished");
      JsonObject stats = new JsonObject((String) r.get("stats"));
      assertThat(stats.getLong("nodes")).isEqualTo(3);
      assertThat(stats.getString("stopReason")).as("the last node's").isEqualTo("max_duration");
      assertThat(stats.getLong("stored")).isEqualTo(2);
      assertThat(stats.getLong("hosts")).isEqualTo(2);
      assertThat(stats.getDouble("pagesPerSecond")).isPositive();
      assertThat(stats.getLong("linksDropped")).isEqualTo(2);
      assertThat(stats.getJsonObject("rules")).isEqualTo(new JsonObject().put("quotes",
          new JsonObject().put("items", 7L).put("dropped", 2L).put("empty", new JsonObject().put("tags", 7L))));
      assertThat(stats.getJsonObject("hostPace").getJsonObject("h:1")).as("the slower pace, both nodes' slowdowns")
          .isEqualTo(new JsonObject().put("perSecond", 2.0).put("configuredPerSecond", 10.0).put("slowdowns", 3L));
    });
    assertThat(Db.rows(db, "SELECT outcome FROM crawl_nodes ORDER BY node")).extracting(r -> r.get("outcome"))
        .containsExactly("finished", "finished", null);
    killed.close();
  }

  /** What a node counted: {@code items} items of rule quotes, each with tags empty, and one host's pace. */
  private static JsonObject share(long items, String host, double perSecond, int slowdowns) {
    return new JsonObject().put("stored", 99).put("linksDropped", 1).put("invalidJsonLd", 0)
        .put("rules", new JsonObject().put("quotes",
            new JsonObject().put("items", items).put("dropped", 1).put("empty", new JsonObject().put("tags", items))))
        .put("hostPace", new JsonObject().put(host,
            new JsonObject().put("perSecond", perSecond).put("configuredPerSecond", 10.0).put("slowdowns", slowdowns)));
  }

  @Test
  void theCrawlStartsAndLeasesRenewOnTheServersClockWhichEveryNodeReadsItsStartFrom() {
    long before = Db.count(db, "SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint");
    ClusterLedger a = ledger("a", LEASE_MS);
    a.lockAndFindLiveCrawl();
    ClusterLedger.Entry first = a.start("{}", false, List.of(), null);
    ClusterLedger b = ledger("b", LEASE_MS);
    ClusterLedger.Entry joined = b.join(b.lockAndFindLiveCrawl());
    long renewed = b.renew().serverNowMs();
    long after = Db.count(db, "SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint");

    assertThat(first.startedAtMs()).isBetween(before, renewed);
    assertThat(joined.startedAtMs()).as("the joining node reads the first node's start").isEqualTo(first.startedAtMs());
    assertThat(renewed).isBetween(first.startedAtMs(), after);
    assertThat(java.time.Instant.parse((String) Db.rows(db, "SELECT started_at FROM crawls").get(0).get("started_at"))
        .toEpochMilli()).isEqualTo(first.startedAtMs());
  }

  @Test
  void aStopIsAskedOfEveryLiveNode() {
    ClusterLedger a = started("a", LEASE_MS);
    ClusterLedger b = started("b", LEASE_MS);
    ClusterLedger stopper = ledger(null, LEASE_MS);

    assertThat(a.renew().stop()).isFalse();
    List<String> asked = stopper.requestStop();

    assertThat(asked).containsExactlyInAnyOrder("a", "b");
    assertThat(a.renew().stop()).isTrue();
    assertThat(b.renew().stop()).isTrue();
    a.leave("stopped", "interrupted", "stopped", null);
    assertThat(stopper.stillRunning(asked)).containsExactly("b");
  }

  @Test
  void clusterNodesShareTheDatabaseAndACrawlOnOneMachineCannotJoinThem() {
    try (StoreClaim one = store.claimForCluster(); StoreClaim two = store.claimForCluster()) {
      assertThatThrownBy(store::claim).isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.BUSY));
    }
    try (StoreClaim single = store.claim()) {
      assertThatThrownBy(store::claimForCluster).isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.BUSY));
    }
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }
}
