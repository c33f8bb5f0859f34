package io.trawl.store;

import io.trawl.core.PageChange;

/**
 * What the store makes of one fetch of a URL besides its {@code pages} row: what it found against
 * the content held before (which decides whether the page's items and links are replaced, kept or
 * dropped, and is its {@code page_versions.change}), and when the URL is next due. Immutable.
 *
 * @param change what the fetch found
 * @param intervalMs the URL's recrawl interval from now on ({@code frontier.interval_ms})
 * @param dueAtMs epoch millis when it is next due ({@code frontier.due_at})
 */
public record PageVersion(PageChange change, long intervalMs, long dueAtMs) {
  /** Whether the fetch's {@code pages} row replaces every column ({@code false}: only the fetch's own). */
  public boolean replacesContent(boolean hadContent) {
    return switch (change) {
      case NEW, CHANGED, GONE -> true;
      case UNCHANGED -> false;
      case FAILED -> !hadContent;
    };
  }

  /**
   * Whether the fetch leaves the URL's interval as it was (a first fetch, a failure): then one set
   * on its frontier row since it was read (a sitemap's {@code <changefreq>}) stands, and the URL is
   * due that long after the fetch.
   */
  public boolean keepsInterval() {
    return change == PageChange.NEW || change == PageChange.FAILED;
  }

  /** Epoch millis the schedule was taken at: the due time less the interval. */
  public long scheduledAtMs() {
    return dueAtMs - intervalMs;
  }

  /** Whether the page's earlier items and links go (to {@code item_history} for the items). */
  public boolean dropsOldItemsAndLinks() {
    return change == PageChange.CHANGED || change == PageChange.GONE;
  }
}
