package io.trawl.fetch;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What {@link RobotsVerticle} remembers per host: least recently used first out, bounded both by
 * the number of hosts and by weight, the estimated bytes of heap the entries hold (a 500 KiB
 * robots.txt of short rules holds over 1 MB of parsed rules, so a count alone let 1,000 such hosts
 * run a 512 MB heap out). An entry may carry an expiry, after which it is gone. The entry just put
 * is never evicted to make room for itself, so one host heavier than the whole bound is still
 * remembered, alone. Event loop of the robots verticle; not thread-safe.
 *
 * @param <V> what is cached per host
 */
final class RobotsCache<V> {
  /** An entry that does not expire. */
  static final long NEVER = Long.MAX_VALUE;

  private record Entry<V>(V value, long weightBytes, long expiresAtMs) {}

  private final int maxEntries;
  private final long maxWeightBytes;
  private final LongSupplier clockMs;
  private final Consumer<String> onEvict;
  private final LinkedHashMap<String, Entry<V>> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long weightBytes;

  /**
   * @param clockMs the time that expiries are compared with (epoch ms)
   * @param onEvict told the key of each entry dropped to stay within the bounds or because it expired
   */
  RobotsCache(int maxEntries, long maxWeightBytes, LongSupplier clockMs, Consumer<String> onEvict) {
    if (maxEntries < 1 || maxWeightBytes < 1) {
      throw new IllegalArgumentException("a cache needs room for one entry");
    }
    this.maxEntries = maxEntries;
    this.maxWeightBytes = maxWeightBytes;
    this.clockMs = clockMs;
    this.onEvict = onEvict;
  }

  /** The value under {@code key}, now the most recently used; null when there is none or it expired. */
  V get(String key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (clockMs.getAsLong() >= entry.expiresAtMs()) {
      remove(key);
      onEvict.accept(key);
      return null;
    }
    return entry.value();
  }

  /**
   * Puts (or replaces) {@code key}'s value, then drops the least recently used entries until the
   * cache is within both bounds again.
   *
   * @param expiresAtMs epoch ms from which the entry is gone, or {@link #NEVER}
   */
  void put(String key, V value, long weightBytes, long expiresAtMs) {
    remove(key);
    entries.put(key, new Entry<>(value, weightBytes, expiresAtMs));
    this.weightBytes += weightBytes;
    Iterator<Map.Entry<String, Entry<V>>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || this.weightBytes > maxWeightBytes) && entries.size() > 1) {
      Map.Entry<String, Entry<V>> evicted = eldest.next();
      eldest.remove();
      this.weightBytes -= evicted.getValue().weightBytes();
      onEvict.accept(evicted.getKey());
    }
  }

  private void remove(String key) {
    Entry<V> old = entries.remove(key);
    if (old != null) {
      weightBytes -= old.weightBytes();
    }
  }

  int size() {
    return entries.size();
  }

  /** The estimated bytes the entries hold, all together. */
  long weightBytes() {
    return weightBytes;
  }
}
