package io.trawl.bus;

/**
 * One queued row of the {@code frontier} table as the frontier keeps it in memory.
 *
 * @param id the row id; rows are added in id order, so it doubles as the paging cursor
 * @param url the normalized URL
 * @param depth links followed from a seed
 * @param attempts tries made so far
 * @param notBeforeMs epoch millis before which it must not be fetched (0 = any time)
 */
public record FrontierRow(long id, String url, int depth, int attempts, long notBeforeMs) {}
