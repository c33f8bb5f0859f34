package io.trawl.testing;

import io.trawl.bus.PageRecord;
import io.trawl.core.PageChange;
import io.trawl.store.PageVersion;
import java.util.List;

/**
 * What the store's batch writer would make of pages handed straight to a {@code StoreWriter} in a
 * test: each page's change against the content its request knew of, a one-day interval, due at 0.
 */
public final class PageVersions {
  public static final long DAY_MS = 86_400_000L;

  private PageVersions() {}

  public static List<PageVersion> of(List<PageRecord> pages) {
    return pages.stream().map(PageVersions::of).toList();
  }

  public static PageVersion of(PageRecord page) {
    return new PageVersion(PageChange.of(page.error(), page.status(), page.contentHash(), page.previousHash()), DAY_MS, 0);
  }
}
