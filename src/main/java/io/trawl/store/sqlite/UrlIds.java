package io.trawl.store.sqlite;

import java.util.Arrays;

/**
 * URL to {@code urls.id}, exact (each URL is kept and compared whole), for up to {@link #maxSize}
 * URLs; the caller empties it when it would overflow. An open-addressing table over the strings'
 * own hash codes, mixed, with no entry object per URL (BENCHMARKS.md). Each slot keeps its URL's
 * hash code beside it, so a probe reads a held URL's characters only when the codes are equal: past
 * a few hundred thousand URLs most lookups miss, and comparing each probed slot's string cost a
 * read of two objects scattered over the heap (BENCHMARKS.md, "The writer past 100,000 pages").
 * Writer thread only.
 */
final class UrlIds {
  private final String[] urls;
  private final int[] hashes;
  private final long[] ids;
  private final int mask;
  private final int maxSize;
  private int size;

  /** Holds up to {@code maxSize} URLs (0: none) in a table of twice as many slots or more. */
  UrlIds(int maxSize) {
    int slots = Integer.highestOneBit(Math.max(2, 2 * maxSize - 1)) << 1;
    this.urls = new String[slots];
    this.hashes = new int[slots];
    this.ids = new long[slots];
    this.mask = slots - 1;
    this.maxSize = maxSize;
  }

  /** The id of {@code url}, or 0 (urls ids start at 1) if not held. */
  long get(String url) {
    int hash = url.hashCode();
    for (int i = slot(hash); ; i = (i + 1) & mask) {
      String held = urls[i];
      if (held == null) {
        return 0;
      }
      if (hashes[i] == hash && held.equals(url)) {
        return ids[i];
      }
    }
  }

  /** Holds {@code url}'s id; a URL beyond {@link #maxSize} is not held. */
  void put(String url, long id) {
    int hash = url.hashCode();
    for (int i = slot(hash); ; i = (i + 1) & mask) {
      String held = urls[i];
      if (held == null) {
        if (size < maxSize) {
          urls[i] = url;
          hashes[i] = hash;
          ids[i] = id;
          size++;
        }
        return;
      }
      if (hashes[i] == hash && held.equals(url)) {
        ids[i] = id;
        return;
      }
    }
  }

  /** Whether {@code more} URLs could be held on top of those held. */
  boolean fits(int more) {
    return size + more <= maxSize;
  }

  void clear() {
    Arrays.fill(urls, null);
    size = 0;
  }

  int size() {
    return size;
  }

  /** MurmurHash3's 32-bit finalizer over a string's hash code. */
  private int slot(int hash) {
    int h = hash;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h & mask;
  }
}
