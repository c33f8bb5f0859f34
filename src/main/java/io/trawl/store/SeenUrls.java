package io.trawl.store;

/**
 * A fixed-size set of 64-bit fingerprints of URLs already in the {@code frontier} table, so the
 * store can skip the {@code INSERT OR IGNORE} of a link it has seen (most links, on most sites).
 * The table's unique index stays the truth: the set only ever says "seen" for a URL that was
 * added, and when it is full it stops learning rather than growing. Memory: 8 bytes a slot,
 * {@link #DEFAULT_SLOTS} slots (32 MB) by default, holding up to 75 % of its slots.
 * A false "seen" needs two distinct URLs with the same 64-bit fingerprint: for n URLs its
 * chance is about n²/2⁶⁵ (3·10⁻⁶ for 10 million), which we accept. Store event loop only.
 */
final class SeenUrls {
  static final int DEFAULT_SLOTS = 1 << 22;
  private final long[] slots;
  private final int mask;
  private final int maxSize;
  private int size;

  SeenUrls(int slotsPowerOfTwo) {
    if (Integer.bitCount(slotsPowerOfTwo) != 1) {
      throw new IllegalArgumentException("slots must be a power of two");
    }
    this.slots = new long[slotsPowerOfTwo];
    this.mask = slotsPowerOfTwo - 1;
    this.maxSize = (int) (slotsPowerOfTwo * 0.75);
  }

  /** Whether {@code url} was added before. */
  boolean contains(String url) {
    long fp = fingerprint(url);
    for (int i = (int) fp & mask; ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == 0) {
        return false;
      }
      if (slot == fp) {
        return true;
      }
    }
  }

  /** Remembers {@code url}, unless the set is full. */
  void add(String url) {
    if (size >= maxSize) {
      return;
    }
    long fp = fingerprint(url);
    for (int i = (int) fp & mask; ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == fp) {
        return;
      }
      if (slot == 0) {
        slots[i] = fp;
        size++;
        return;
      }
    }
  }

  /**
   * Remembers {@code url} and says whether it is new: one fingerprint and one probe where
   * {@code contains} then {@code add} took two of each (the set is asked a million times in a
   * 20,000-page crawl). A full set answers "new" for what it does not hold, and learns nothing.
   */
  boolean addIfAbsent(String url) {
    long fp = fingerprint(url);
    for (int i = (int) fp & mask; ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == fp) {
        return false;
      }
      if (slot == 0) {
        if (size < maxSize) {
          slots[i] = fp;
          size++;
        }
        return true;
      }
    }
  }

  int size() {
    return size;
  }

  /** FNV-1a over the UTF-16 chars, then MurmurHash3's finalizer; never 0 (0 marks an empty slot). */
  static long fingerprint(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
