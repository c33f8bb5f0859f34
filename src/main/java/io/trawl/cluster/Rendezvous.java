package io.trawl.cluster;

import io.trawl.core.HostPartitions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rendezvous (highest random weight) hashing of the host partitions onto the live nodes: each
 * partition goes to the node whose hash of (node, partition) is highest. Every node computes the
 * same answer from the same member list with no exchange, and a change of members moves only
 * the partitions it must: a node that leaves gives each of its partitions to the runner-up; a
 * node that joins takes about 1/n of every other node's. Stateless; any thread.
 */
final class Rendezvous {
  private Rendezvous() {}

  /** The owner of every partition ({@code result[p]}), or an array of nulls when there is no node. */
  static String[] owners(Collection<String> nodes) {
    String[] owners = new String[HostPartitions.COUNT];
    List<String> sorted = new ArrayList<>(nodes);
    sorted.sort(null); // ties (never seen, 64-bit weights) break the same way on every node
    long[] seeds = new long[sorted.size()];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = HostPartitions.mix64(sorted.get(i));
    }
    for (int p = 0; p < owners.length; p++) {
      long best = 0;
      for (int i = 0; i < seeds.length; i++) {
        long weight = weight(seeds[i], p);
        if (owners[p] == null || Long.compareUnsigned(weight, best) > 0) {
          best = weight;
          owners[p] = sorted.get(i);
        }
      }
    }
    return owners;
  }

  /** The partitions {@code node} owns among {@code nodes} (which must include it), ascending. */
  static List<Integer> partitionsOf(String node, Collection<String> nodes) {
    String[] owners = owners(nodes);
    List<Integer> mine = new ArrayList<>();
    for (int p = 0; p < owners.length; p++) {
      if (node.equals(owners[p])) {
        mine.add(p);
      }
    }
    return mine;
  }

  /** How many partitions each node owns: for logs and tests. */
  static Map<String, Integer> shares(Collection<String> nodes) {
    Map<String, Integer> shares = new HashMap<>();
    nodes.forEach(n -> shares.put(n, 0));
    for (String owner : owners(nodes)) {
      if (owner != null) {
        shares.merge(owner, 1, Integer::sum);
      }
    }
    return shares;
  }

  private static long weight(long nodeSeed, int partition) {
    return HostPartitions.finalizer(nodeSeed ^ HostPartitions.finalizer(partition + 0x9e3779b97f4a7c15L));
  }
}
