package io.trawl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.core.HostPartitions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousTest {
  private static final List<String> THREE = List.of("10.0.0.1:5701/a1b2c3", "10.0.0.2:5701/d4e5f6", "10.0.0.3:5701/0a9b8c");

  @Test
  void everyPartitionHasExactlyOneOwnerAmongTheNodes() {
    String[] owners = Rendezvous.owners(THREE);

    assertThat(owners).hasSize(HostPartitions.COUNT).doesNotContainNull();
    assertThat(THREE).containsAll(Arrays.asList(owners));
  }

  @Test
  void everyNodeComputesTheSameOwnersWhateverOrderItListsTheMembersIn() {
    List<String> reversed = new ArrayList<>(THREE);
    java.util.Collections.reverse(reversed);

    assertThat(Rendezvous.owners(reversed)).containsExactly(Rendezvous.owners(THREE));
  }

  @Test
  void threeNodesGetAThirdEachToAPartition() {
    for (int cluster = 0; cluster < 20; cluster++) {
      List<String> nodes = List.of("127.0.0.1:" + (5701 + cluster) + "/x", "127.0.0.1:" + (5801 + cluster) + "/y",
          "127.0.0.1:" + (5901 + cluster) + "/z");
      Map<String, Integer> shares = Rendezvous.shares(nodes);

      // The crawl lasts as long as the busiest node's share: none gets more than ceil(256/3) = 86.
      assertThat(shares.values()).allSatisfy(share -> assertThat(share).isBetween(84, 86));
      assertThat(shares.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(HostPartitions.COUNT);
    }
  }

  @Test
  void aNodeThatLeavesHandsOnItsPartitionsAndFewOthersMove() {
    String[] before = Rendezvous.owners(THREE);
    String gone = THREE.get(1);
    String[] after = Rendezvous.owners(List.of(THREE.get(0), THREE.get(2)));

    int moved = 0;
    for (int p = 0; p < before.length; p++) {
      assertThat(after[p]).isNotEqualTo(gone);
      if (!before[p].equals(gone) && !after[p].equals(before[p])) {
        moved++;
      }
    }
    // Bounded loads move a few partitions between the nodes that stay (13 of 256 at most in 200 random clusters).
    assertThat(moved).as("partitions of nodes that stayed, moved").isLessThanOrEqualTo(16);
  }

  @Test
  void aNodeThatJoinsTakesAQuarterAndFewOthersMove() {
    String[] before = Rendezvous.owners(THREE);
    List<String> four = new ArrayList<>(THREE);
    String joined = "10.0.0.4:5701/ffeedd";
    four.add(joined);
    String[] after = Rendezvous.owners(four);

    int movedElsewhere = 0;
    for (int p = 0; p < before.length; p++) {
      if (!after[p].equals(before[p]) && !after[p].equals(joined)) {
        movedElsewhere++;
      }
    }
    assertThat(Rendezvous.partitionsOf(joined, four)).hasSize(HostPartitions.COUNT / 4);
    assertThat(movedElsewhere).as("partitions moved between the nodes already there").isLessThanOrEqualTo(16);
  }

  @Test
  void noNodesOwnNothing() {
    assertThat(Rendezvous.owners(List.of())).containsOnlyNulls();
  }
}
