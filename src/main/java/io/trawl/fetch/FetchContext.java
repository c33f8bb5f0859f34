package io.trawl.fetch;

import io.trawl.config.HostOverrides;
import io.trawl.config.HostSettings;
import io.trawl.config.TrawlConfig;
import io.trawl.core.UrlNormalizer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every fetcher of a crawl shares, whichever verticle it serves (pages, robots.txt,
 * sitemaps, logins): each host's settings ({@code hosts:}), the cookie jar, the proxies, the
 * politeness clock every request is sent by, autothrottle's paces, and the robots.txt rules read
 * so far (for their Crawl-delay). Built once per crawl by {@code CrawlJob}; every part is thread-safe.
 *
 * @param jar null when {@code fetch.cookies} is off
 * @param clock null outside a crawl, where the caller spaces its requests
 * @param throttle null unless {@code fetch.autothrottle} is on in a crawl
 * @param loginSessions the latest login session generation the fetchers know, per {@code hosts:}
 *     entry with a login: what a page's request went out under
 */
public record FetchContext(
    HostOverrides hosts, CookieJar jar, ProxyPool proxies, HostClock clock, Autothrottle throttle, KnownRobots robots,
    ConcurrentHashMap<String, Long> loginSessions) {

  /**
   * A context for {@code config} outside a crawl (tests, tools, {@code trawl try}): an empty jar, no
   * proxy benched, and no clock: nothing spaces the requests.
   */
  public static FetchContext of(TrawlConfig config) {
    TrawlConfig.Fetch fetch = config.fetch();
    return new FetchContext(HostOverrides.of(config), fetch.cookies() ? new CookieJar() : null, ProxyPool.of(fetch),
        null, null, new KnownRobots(), new ConcurrentHashMap<>());
  }

  /**
   * The context of a crawl: as {@link #of}, with a politeness clock that spaces every request to a
   * host by {@link #intervalNanos}, measured when each is sent.
   *
   * @param robots the rules the crawl's robots verticle reads, whose Crawl-delay the clock obeys
   */
  public static FetchContext forCrawl(TrawlConfig config, KnownRobots robots) {
    FetchContext context = of(config);
    TrawlConfig.Fetch fetch = config.fetch();
    Autothrottle throttle = fetch.autothrottle() ? new Autothrottle(fetch.autothrottleMaxDelay()) : null;
    return new FetchContext(context.hosts, context.jar, context.proxies, new HostClock(), throttle, robots,
        context.loginSessions);
  }

  /** The settings of the host of {@code url}, a normalized URL. */
  public HostSettings settings(String url) {
    return hosts.settings(UrlNormalizer.host(url));
  }

  /**
   * How far apart requests to the host of {@code url} are sent now: its {@link #configuredNanos},
   * or autothrottle's slower pace.
   */
  public long intervalNanos(String url, HostSettings settings) {
    long configured = configuredNanos(url, settings);
    return throttle == null ? configured : throttle.intervalNanos(UrlNormalizer.host(url), configured);
  }

  /**
   * The spacing the host of {@code url} is configured for: the larger of its rate's interval
   * ({@code settings}) and its robots.txt Crawl-delay, once read.
   */
  long configuredNanos(String url, HostSettings settings) {
    long interval = settings.rate().intervalNanos();
    long delayMs = robots.crawlDelayMs(url);
    return delayMs < 0 ? interval : Math.max(interval, delayMs * 1_000_000L);
  }
}
