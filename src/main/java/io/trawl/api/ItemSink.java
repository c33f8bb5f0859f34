package io.trawl.api;

import java.util.List;

/**
 * Receives the items of each page, to send them to another system (a queue, a search index, a
 * file): the items of the config's rules and of the {@link PageHandler}s, page by page.
 *
 * <p>Thread: a parse worker ({@code trawl-parse} pool), never an event loop: blocking calls are
 * allowed, and a slow sink slows the crawl down instead of piling items up in memory. Pages are
 * delivered from several threads at once: an implementation must be thread-safe. Delivery is at
 * least once: the items are given to the sink before the page's transaction commits, so a page
 * that was in flight when a crawl was killed delivers its items again after {@code --resume}
 * (keyed items carry their {@link Item#key()} for the receiver to deduplicate). An exception thrown
 * ends the crawl as failed (exit 1 on the command line, {@link CrawlSummary#outcome()} {@code
 * failed}); the page is not stored, so a resumed crawl fetches it and delivers it again.
 */
@FunctionalInterface
public interface ItemSink {
  /** The items of one page, in the order they were made (rules first, then handlers); never empty. */
  void accept(List<Item> items) throws Exception;
}
