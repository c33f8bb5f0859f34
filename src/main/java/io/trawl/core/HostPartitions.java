package io.trawl.core;

/**
 * Hosts hashed into a fixed number of partitions, the unit a cluster hands from node to node
 * ({@code frontier.partition}). A URL's partition is its host's (host and port, as
 * {@link UrlNormalizer#host} gives it), so every URL of a host is in one partition and every node
 * agrees on it. The numbers are stored in the database: {@link #COUNT} and the hash must never
 * change, or a cluster crawl resumed by another build would look for rows where they are not.
 * Stateless; any thread.
 */
public final class HostPartitions {
  /**
   * Partitions in all. Enough that three to a few dozen nodes each get a fair share by rendezvous
   * hashing (about 85 each for three nodes), few enough that a node's share is a short list.
   */
  public static final int COUNT = 256;

  private HostPartitions() {}

  /** The partition of a normalized URL's host. */
  public static int ofUrl(String normalizedUrl) {
    return ofHost(UrlNormalizer.host(normalizedUrl));
  }

  /** The partition of {@code host} (host and port, lowercase, as {@link UrlNormalizer#host} gives it). */
  public static int ofHost(String host) {
    return (int) Long.remainderUnsigned(mix64(host), COUNT);
  }

  /**
   * FNV-1a over the UTF-16 chars, then MurmurHash3's 64-bit finalizer so that similar host names
   * (shop1, shop2...) land far apart. Fixed forever: its values are stored.
   */
  public static long mix64(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return finalizer(h);
  }

  /** MurmurHash3's fmix64: every input bit flips each output bit with probability about 1/2. */
  public static long finalizer(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
