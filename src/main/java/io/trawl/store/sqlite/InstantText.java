package io.trawl.store.sqlite;

import java.time.Instant;

/**
 * Epoch millis as {@link Instant#toString()} writes them ({@code 2026-12-05T02:03:04.120Z}; no
 * fraction on a whole second), the text of the {@code fetched_at} columns. The second's text is
 * formatted once and kept: a batch's pages were fetched within a few seconds, and java.time's
 * formatter, run for every page, was among the hottest methods the JIT compiled in a first crawl.
 * One instance per thread.
 */
final class InstantText {
  private long second = Long.MIN_VALUE;
  /** The text of {@link #second} without its closing {@code Z}. */
  private String secondText;

  String of(long epochMs) {
    long s = Math.floorDiv(epochMs, 1000L);
    int ms = (int) Math.floorMod(epochMs, 1000L);
    if (s != second) {
      String whole = Instant.ofEpochSecond(s).toString();
      secondText = whole.substring(0, whole.length() - 1);
      second = s;
    }
    if (ms == 0) {
      return secondText + 'Z';
    }
    char[] fraction = {'.', (char) ('0' + ms / 100), (char) ('0' + ms / 10 % 10), (char) ('0' + ms % 10), 'Z'};
    return secondText.concat(new String(fraction));
  }
}
