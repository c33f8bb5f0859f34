package io.trawl.api;

/**
 * Java code run on every HTML page a crawl parses, beside (or instead of) the config's extraction
 * rules: it reads the parsed Jsoup document and emits items and links to follow through the {@link
 * Page} it is given.
 *
 * <p>Thread: a parse worker ({@code trawl-parse} pool), never an event loop, so blocking work is
 * allowed, but it holds a parse thread and, through the crawl's credits, slows the crawl by as
 * much. Several pages are handled at once on different threads: an implementation must be
 * thread-safe. An exception thrown fails that page only: it is stored with error {@code parse}
 * (the first such failure is logged at WARN, the others at DEBUG) and the crawl goes on.
 */
@FunctionalInterface
public interface PageHandler {
  /** Handles one parsed page; what it emits is stored with the page, in the page's transaction. */
  void handle(Page page) throws Exception;
}
