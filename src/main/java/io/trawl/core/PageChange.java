package io.trawl.core;

import java.util.Locale;

/**
 * The {@code page_versions.change} words: what one fetch of a URL found, against the content the
 * crawl held for it before. Immutable.
 */
public enum PageChange {
  /** Content for a URL that had none: its first good fetch, or its return after it was gone. */
  NEW,
  /** Content other than before (another body hash). */
  CHANGED,
  /** The same content: a {@code 304 Not Modified}, or a body with the same hash. */
  UNCHANGED,
  /** The URL answers {@code 404} or {@code 410}, or its host no longer resolves: its content is gone. */
  GONE,
  /** Any other failure: what the URL holds now is not known, and what the crawl held is kept. */
  FAILED;

  /**
   * What a stored fetch found.
   *
   * @param error the fetch's {@code pages.error} word, or null
   * @param status its HTTP status, 0 when none came
   * @param contentHash the hash of the body it got, or null
   * @param previousHash the hash of the content the crawl held for the URL, or null when none
   */
  public static PageChange of(String error, int status, String contentHash, String previousHash) {
    if (error != null) {
      return isGone(error) ? GONE : FAILED;
    }
    if (status == 304) {
      return previousHash == null ? FAILED : UNCHANGED;
    }
    if (previousHash == null) {
      return NEW;
    }
    return previousHash.equals(contentHash) ? UNCHANGED : CHANGED;
  }

  /** Whether a page that failed with {@code error} is gone rather than failing for now. */
  public static boolean isGone(String error) {
    return error.equals("http_404") || error.equals("http_410") || error.equals(FailureKind.DNS.code());
  }

  /** The word stored in the column. */
  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PageChange fromColumn(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
