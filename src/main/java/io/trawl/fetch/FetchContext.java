package io.trawl.fetch;

import io.trawl.config.HostOverrides;
import io.trawl.config.HostSettings;
import io.trawl.config.TrawlConfig;
import io.trawl.core.UrlNormalizer;

/**
 * What every fetcher of a crawl shares, whichever verticle it serves (pages, robots.txt,
 * sitemaps): each host's settings ({@code hosts:}), the cookie jar and the proxies. Built once per
 * crawl by {@code CrawlJob}; every part is thread-safe.
 *
 * @param jar null when {@code fetch.cookies} is off
 */
public record FetchContext(HostOverrides hosts, CookieJar jar, ProxyPool proxies) {

  /** A context for {@code config} with nothing yet known: an empty jar, no proxy benched. */
  public static FetchContext of(TrawlConfig config) {
    TrawlConfig.Fetch fetch = config.fetch();
    return new FetchContext(HostOverrides.of(config), fetch.cookies() ? new CookieJar() : null, ProxyPool.of(fetch));
  }

  /** The settings of the host of {@code url}, a normalized URL. */
  public HostSettings settings(String url) {
    return hosts.settings(UrlNormalizer.host(url));
  }
}
