package io.trawl.fetch;

import crawlercommons.robots.BaseRobotRules;
import io.trawl.bus.RobotsAnswer;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The robots.txt rules that {@link RobotsVerticle} holds, shared with the fetchers of the same
 * JVM: a URL of a host whose rules are known is answered on the fetcher's own event loop instead
 * of by a request over the event bus, which on a busy machine cost a fetch slot a quarter of a
 * millisecond of waiting for another event loop. Only rules read from a robots.txt (and the
 * allow-all of a 4xx) are here: answers that expire (5xx, unreachable) and hosts not yet read stay
 * with the verticle, which also decides what is evicted. Thread-safe; parsed rules are not changed
 * afterwards ({@code SimpleRobotRules.isAllowed} only reads).
 */
public final class KnownRobots {
  static final long MAX_CRAWL_DELAY_MS = 60_000;

  private final ConcurrentHashMap<String, BaseRobotRules> byOrigin = new ConcurrentHashMap<>();

  /** What robots.txt says of {@code url}, or null when its host's rules are not known here. */
  public RobotsAnswer answer(String url) {
    if (byOrigin.isEmpty()) {
      return null;
    }
    String origin = origin(url);
    BaseRobotRules rules = origin == null ? null : byOrigin.get(origin);
    return rules == null ? null : answer(rules, url);
  }

  /**
   * The Crawl-delay in ms of the host of {@code url}, 0 when its rules set none, or -1 when its
   * rules are not known here: {@code answer(url).crawlDelayMs()} without matching the URL against
   * the rules (the host's clock reads it each request).
   */
  public long crawlDelayMs(String url) {
    if (byOrigin.isEmpty()) {
      return -1;
    }
    String origin = origin(url);
    BaseRobotRules rules = origin == null ? null : byOrigin.get(origin);
    return rules == null ? -1 : crawlDelayMs(rules);
  }

  static RobotsAnswer answer(BaseRobotRules rules, String url) {
    return new RobotsAnswer(rules.isAllowed(url) ? RobotsAnswer.ALLOWED : RobotsAnswer.DISALLOWED,
        crawlDelayMs(rules), null);
  }

  private static long crawlDelayMs(BaseRobotRules rules) {
    return rules.getCrawlDelay() == BaseRobotRules.UNSET_CRAWL_DELAY ? 0
        : Math.min(MAX_CRAWL_DELAY_MS, Math.max(0, rules.getCrawlDelay()));
  }

  /**
   * {@code scheme://authority}, the key robots.txt rules are kept under; null for a URL that is not
   * one. A plain URL is read by hand (twice a page in a crawl), any other with {@code java.net.URI}.
   */
  static String origin(String url) {
    String plain = PlainUrl.origin(url);
    if (plain != null) {
      return plain;
    }
    try {
      URI uri = URI.create(url);
      return uri.getScheme() + "://" + uri.getRawAuthority();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  void put(String origin, BaseRobotRules rules) {
    byOrigin.put(origin, rules);
  }

  void remove(String origin) {
    byOrigin.remove(origin);
  }

  int size() {
    return byOrigin.size();
  }
}
