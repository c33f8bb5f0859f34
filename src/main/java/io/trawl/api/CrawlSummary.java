package io.trawl.api;

/**
 * How a crawl run by {@link Trawl} ended.
 *
 * @param outcome {@code finished}, {@code interrupted} ({@link Trawl#stop} was called) or {@code
 *     failed} (the database could not be written, or an {@link ItemSink} threw), as in {@code
 *     crawls.outcome}
 * @param stopReason why it stopped handing out work: {@code done}, {@code max_pages}, {@code
 *     max_duration}, {@code stopped} or {@code failed}
 * @param pages pages stored in this run, failures included
 * @param failed of those, pages stored with an error
 * @param elapsedMs how long the run took
 */
public record CrawlSummary(String outcome, String stopReason, long pages, long failed, long elapsedMs) {}
