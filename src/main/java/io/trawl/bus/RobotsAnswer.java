package io.trawl.bus;

/**
 * What robots.txt says of one URL.
 *
 * @param verdict {@code allowed}, {@code disallowed}, or {@code unavailable} (robots.txt answered
 *     5xx: the host counts as disallowed for now and is asked again later, RFC 9309)
 * @param crawlDelayMs the host's Crawl-delay for our agent, or 0
 * @param failure the fetch-failure word when robots.txt could not be fetched at all (the host is
 *     unreachable), or null
 */
public record RobotsAnswer(String verdict, long crawlDelayMs, String failure) {
  public static final String ALLOWED = "allowed";
  public static final String DISALLOWED = "disallowed";
  public static final String UNAVAILABLE = "unavailable";
}
