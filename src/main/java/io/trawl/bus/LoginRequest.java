package io.trawl.bus;

/**
 * Fetcher → login verticle: the session of a {@code hosts:} entry with a {@code login}. The reply
 * is the session's generation (1 for the first login); the verticle logs in first when there is no
 * session yet, or when {@code lostGeneration} is the current one (the fetcher found it lost).
 *
 * @param pattern the {@code hosts:} entry's pattern
 * @param lostGeneration the generation the fetcher found lost, or 0 when it has none yet
 */
public record LoginRequest(String pattern, long lostGeneration) {}
