package io.trawl.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.CrawlJob;
import io.trawl.config.TrawlConfig;
import io.trawl.testing.Await;
import io.trawl.testing.FreePorts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two Hazelcast members on 127.0.0.1 find each other by TCP/IP and see each other come and go. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterNodeTest {
  @Test
  void twoNodesJoinByTheirMemberListAndSeeEachOtherLeave() {
    int[] ports = FreePorts.pick(4);
    List<String> members = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[2]);
    TrawlConfig.Cluster first = new TrawlConfig.Cluster(members, "127.0.0.1", ports[0], ports[1], Duration.ofSeconds(10));
    TrawlConfig.Cluster second = new TrawlConfig.Cluster(members, "127.0.0.1", ports[2], ports[3], Duration.ofSeconds(10));
    long started = System.nanoTime();
    ClusterNode a = Await.result(ClusterNode.join(first, "db", CrawlJob.vertxOptions()));
    ClusterNode b = Await.result(ClusterNode.join(second, "db", CrawlJob.vertxOptions()));
    AtomicInteger changes = new AtomicInteger();
    a.onMembershipChange(changes::incrementAndGet);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> a.members().size() == 2 && b.members().size() == 2);
      System.out.printf("two nodes joined in %d ms%n", (System.nanoTime() - started) / 1_000_000);
      assertThat(a.members()).containsExactlyInAnyOrder(a.id(), b.id());
      assertThat(a.id()).startsWith("127.0.0.1:" + ports[0] + "/").isNotEqualTo(b.id());
    } finally {
      Await.result(b.close());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> a.members().size() == 1);
    // Hazelcast tells its membership listeners on an event thread of its own, after the member list
    // has changed: the departure may be in members() a moment before the listener hears of it.
    await().atMost(Duration.ofSeconds(30)).until(() -> changes.get() > 0);
    Await.result(a.close());
  }

  @Test
  void nodesOfAnotherDatabaseFormAClusterOfTheirOwn() {
    int[] ports = FreePorts.pick(4);
    List<String> members = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[2]);
    ClusterNode a = Await.result(ClusterNode.join(
        new TrawlConfig.Cluster(members, "127.0.0.1", ports[0], ports[1], Duration.ofSeconds(10)), "db-one", CrawlJob.vertxOptions()));
    ClusterNode b = Await.result(ClusterNode.join(
        new TrawlConfig.Cluster(members, "127.0.0.1", ports[2], ports[3], Duration.ofSeconds(10)), "db-two", CrawlJob.vertxOptions()));
    try {
      assertThat(a.members()).containsExactly(a.id());
      assertThat(b.members()).containsExactly(b.id());
    } finally {
      Await.result(a.close());
      Await.result(b.close());
    }
  }
}
