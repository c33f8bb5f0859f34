package io.trawl.core;

/** The {@code frontier.state} words: where one discovered URL stands. */
public enum FrontierState {
  /** Waiting to be fetched (possibly not before {@code not_before}). */
  QUEUED,
  /** Handed to a fetcher; goes back to queued when a crawl is resumed. */
  IN_FLIGHT,
  /** Fetched and stored in {@code pages} without an error. */
  DONE,
  /** Stored in {@code pages} with its error after its last attempt. */
  FAILED;

  /** The word stored in the column. */
  public String column() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static FrontierState fromColumn(String word) {
    return valueOf(word.toUpperCase(java.util.Locale.ROOT));
  }
}
