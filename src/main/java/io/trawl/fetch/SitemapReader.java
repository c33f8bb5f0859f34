package io.trawl.fetch;

import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;
import crawlercommons.sitemaps.UnknownFormatException;
import io.trawl.core.Scope;
import io.trawl.core.UrlNormalizer;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses one sitemap file (XML, plain text, RSS/Atom, gzipped or not; crawler-commons) into the
 * page URLs to queue (normalized, at most {@code maxUrlLength} characters, in scope, at most
 * {@code maxUrls} entries read) and, for an index, the child sitemaps to read next. CPU work: call
 * it on a worker, never an event loop. Stateless and thread-safe.
 */
final class SitemapReader {
  /**
   * What one sitemap file holds.
   *
   * @param urls the page URLs to queue
   * @param lastModifiedMs per URL, its {@code <lastmod>} as epoch millis, 0 when none
   * @param changeIntervalMs per URL, its {@code <changefreq>} as millis ({@code always} 0,
   *     {@code never} {@code Long.MAX_VALUE}), -1 when none
   */
  record Contents(List<String> sitemaps, List<String> urls, List<Long> lastModifiedMs, List<Long> changeIntervalMs) {
    static Contents index(List<String> sitemaps) {
      return new Contents(sitemaps, List.of(), List.of(), List.of());
    }
  }

  private final Scope scope;
  private final int maxUrls;
  private final int maxUrlLength;

  SitemapReader(Scope scope, int maxUrls, int maxUrlLength) {
    this.scope = scope;
    this.maxUrls = maxUrls;
    this.maxUrlLength = maxUrlLength;
  }

  Contents read(String url, String contentType, byte[] body) throws IOException, UnknownFormatException {
    URL location;
    try {
      location = URI.create(url).toURL();
    } catch (IllegalArgumentException | MalformedURLException e) {
      throw new UnknownFormatException("not a URL: " + url);
    }
    // Not strict: a sitemap may list URLs outside its own directory; our scope decides instead.
    SiteMapParser parser = new SiteMapParser(false, true);
    int[] entries = {0};
    // Entries past the cap are dropped while parsing, so a huge (or inflated) sitemap never piles up in memory.
    parser.setURLFilter((String loc) -> entries[0]++ < maxUrls ? loc : null);
    String type = mediaType(contentType);
    AbstractSiteMap map = type == null ? parser.parseSiteMap(body, location) : parser.parseSiteMap(type, body, location);
    if (map.isIndex()) {
      List<String> children = new ArrayList<>();
      for (AbstractSiteMap child : ((SiteMapIndex) map).getSitemaps()) {
        children.add(child.getUrl().toString());
      }
      return Contents.index(children);
    }
    Set<String> seen = new HashSet<>();
    List<String> urls = new ArrayList<>();
    List<Long> lastModified = new ArrayList<>();
    List<Long> changeInterval = new ArrayList<>();
    for (SiteMapURL entry : ((SiteMap) map).getSiteMapUrls()) {
      String page = UrlNormalizer.normalize(entry.getUrl().toString())
          .filter(u -> u.length() <= maxUrlLength && scope.allows(u) && seen.add(u))
          .orElse(null);
      if (page != null) {
        urls.add(page);
        lastModified.add(entry.getLastModified() == null ? 0L : entry.getLastModified().getTime());
        changeInterval.add(changeIntervalMs(entry.getChangeFrequency()));
      }
    }
    return new Contents(List.of(), List.copyOf(urls), List.copyOf(lastModified), List.copyOf(changeInterval));
  }

  /** A {@code <changefreq>} as an interval (the recrawl schedule holds it within its bounds); -1 when absent. */
  static long changeIntervalMs(SiteMapURL.ChangeFrequency frequency) {
    if (frequency == null) {
      return -1;
    }
    Duration interval = switch (frequency) {
      case ALWAYS -> Duration.ZERO;
      case HOURLY -> Duration.ofHours(1);
      case DAILY -> Duration.ofDays(1);
      case WEEKLY -> Duration.ofDays(7);
      case MONTHLY -> Duration.ofDays(30);
      case YEARLY -> Duration.ofDays(365);
      case NEVER -> null;
    };
    return interval == null ? Long.MAX_VALUE : interval.toMillis();
  }

  private static String mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }
}
