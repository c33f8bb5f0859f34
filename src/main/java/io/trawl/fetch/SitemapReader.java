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
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
  /** What one sitemap file holds. */
  record Contents(List<String> sitemaps, List<String> urls) {}

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
      return new Contents(children, List.of());
    }
    Set<String> urls = new LinkedHashSet<>();
    for (SiteMapURL entry : ((SiteMap) map).getSiteMapUrls()) {
      UrlNormalizer.normalize(entry.getUrl().toString())
          .filter(page -> page.length() <= maxUrlLength && scope.allows(page))
          .ifPresent(urls::add);
    }
    return new Contents(List.of(), List.copyOf(urls));
  }

  private static String mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }
}
