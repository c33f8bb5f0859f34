package io.trawl.store;

import java.util.Locale;

/**
 * The {@code crawls.kind} words: what a run was. A crawl or a recrawl starts a pass over the
 * frontier, which its resumes continue; {@code trawl diff} compares passes.
 */
public enum RunKind {
  /** The first run of a crawl, from its seeds. */
  CRAWL,
  /** A run that continued an interrupted one ({@code --resume}). */
  RESUME,
  /** A run that fetched a crawl's pages again ({@code --recrawl}). */
  RECRAWL;

  /** The word stored in the column. */
  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunKind fromColumn(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
