package io.trawl.bus;

/**
 * One URL handed to a fetcher.
 *
 * @param id the frontier row id
 * @param url the normalized URL
 * @param depth links followed from a seed
 * @param attempts tries made before this one (0 on the first)
 */
public record FetchRequest(long id, String url, int depth, int attempts) {}
