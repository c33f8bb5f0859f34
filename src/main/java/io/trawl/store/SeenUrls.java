package io.trawl.store;

/**
 * A set of 64-bit fingerprints of URLs already in the {@code frontier} table, so the store can
 * skip the {@code INSERT OR IGNORE} of a link it has seen (most links, on most sites). The table's
 * unique index stays the truth: the set only ever says "seen" for a URL that was added, and when it
 * is full it stops learning rather than growing further. Memory: 8 bytes a slot, from
 * {@link #INITIAL_SLOTS} (512 KB) doubling as it fills to at most {@link #DEFAULT_SLOTS} (32 MB),
 * holding up to 75 % of its slots. It starts small because every link of every page probes it at a
 * random slot: in a fixed 32 MB table nearly every probe of a small crawl missed the CPU's caches
 * (BENCHMARKS.md). A false "seen" needs two distinct URLs with the same 64-bit fingerprint: for n
 * URLs its chance is about n²/2⁶⁵ (3·10⁻⁶ for 10 million), which we accept. Store event loop only.
 */
final class SeenUrls {
  static final int DEFAULT_SLOTS = 1 << 22;
  static final int INITIAL_SLOTS = 1 << 16;
  private final int maxSlots;
  private long[] slots;
  private int mask;
  private int size;

  /** A set that grows to {@code maxSlots}, a power of two. */
  SeenUrls(int maxSlots) {
    if (Integer.bitCount(maxSlots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two");
    }
    this.maxSlots = maxSlots;
    this.slots = new long[Math.min(maxSlots, INITIAL_SLOTS)];
    this.mask = slots.length - 1;
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

  /**
   * Remembers {@code url} and says whether it is new: one fingerprint and one probe where
   * a lookup then an insert would take two of each (the set is asked a million times in a
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
        if (size < slots.length / 4 * 3) {
          slots[i] = fp;
          size++;
        } else if (slots.length < maxSlots) {
          grow();
          insert(fp);
          size++;
        }
        return true;
      }
    }
  }

  /** Twice the slots, every fingerprint placed again (they are their own hashes). */
  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    mask = slots.length - 1;
    for (long fp : old) {
      if (fp != 0) {
        insert(fp);
      }
    }
  }

  private void insert(long fp) {
    int i = (int) fp & mask;
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = fp;
  }

  int size() {
    return size;
  }

  /** The slots it has now. */
  int capacity() {
    return slots.length;
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
