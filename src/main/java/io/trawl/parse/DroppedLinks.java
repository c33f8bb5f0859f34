package io.trawl.parse;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many links the parsers of one crawl left out: longer than {@code fetch.max_url_length}, or
 * past {@code parse.max_links_per_page} on their page (and {@code download.from_fields} URLs too
 * long to keep). Read for {@code crawls.stats} and the end-of-crawl summary. Thread-safe: the
 * parse threads add, any thread reads.
 */
public final class DroppedLinks {
  private final LongAdder count = new LongAdder();

  void add(int n) {
    count.add(n);
  }

  /** Links dropped so far. */
  public long count() {
    return count.sum();
  }
}
