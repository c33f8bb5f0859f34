package io.trawl.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last few failures stored, for the dashboard: a fixed ring written without a lock (a slot is
 * claimed with one atomic increment) and read by copying it. A reader may see a slot just being
 * overwritten by a newer failure, which is what it would have read a moment later. Any thread.
 */
public final class RecentFailures {
  static final int DEFAULT_SIZE = 25;

  /**
   * One stored failure.
   *
   * @param fetchedAtMs epoch millis when its last attempt ended
   * @param status its HTTP status, 0 when no response came
   * @param error its {@code pages.error} word
   */
  public record Failure(long fetchedAtMs, String url, int status, String error) {}

  private record Slot(long seq, Failure failure) {}

  private final AtomicReferenceArray<Slot> ring;
  private final AtomicLong next = new AtomicLong();

  RecentFailures(int size) {
    ring = new AtomicReferenceArray<>(size);
  }

  void add(Failure failure) {
    long seq = next.getAndIncrement();
    ring.set((int) (seq % ring.length()), new Slot(seq, failure));
  }

  /** The failures held, newest first. */
  List<Failure> newestFirst() {
    List<Slot> slots = new ArrayList<>(ring.length());
    for (int i = 0; i < ring.length(); i++) {
      Slot slot = ring.get(i);
      if (slot != null) {
        slots.add(slot);
      }
    }
    slots.sort(Comparator.comparingLong(Slot::seq).reversed());
    return slots.stream().map(Slot::failure).toList();
  }
}
