package io.trawl.core;

import io.trawl.config.TrawlConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which URLs a crawl may fetch: http(s) on an allowed domain or one of its subdomains (matched on
 * the host name, any port), matching an include pattern when there are any, and no exclude
 * pattern. The host is read with {@code java.net.URL}, the parser the HTTP client reads a request's
 * host with: what the scope allows is what gets connected to. Only a URL of the plainest shape,
 * where no parser can read another host ({@link #plainHost}), is read by hand, as
 * {@code java.net.URL} cost a parse and about 215 bytes of garbage a link.
 * A URL with user info is never allowed, whatever host it names. Callers pass normalized URLs
 * ({@link UrlNormalizer}); anything else is judged as the client would read it. Immutable and
 * thread-safe; used by the parser for links, the fetcher for redirects and the sitemaps' reader.
 */
public final class Scope {
  private final Set<String> domains;
  private final List<Pattern> include;
  private final List<Pattern> exclude;

  public Scope(Collection<String> allowedDomains, List<Pattern> include, List<Pattern> exclude) {
    Set<String> d = new LinkedHashSet<>();
    for (String domain : allowedDomains) {
      d.add(hostName(domain.toLowerCase(Locale.ROOT)));
    }
    this.domains = Set.copyOf(d);
    this.include = List.copyOf(include);
    this.exclude = List.copyOf(exclude);
  }

  /** The scope of a crawl: {@code crawl.allowed_domains}, or the seeds' hosts when that is empty. */
  public static Scope of(TrawlConfig.Crawl crawl, Collection<String> seedUrls) {
    Collection<String> domains = crawl.allowedDomains();
    if (domains.isEmpty()) {
      Set<String> hosts = new LinkedHashSet<>();
      for (String seed : seedUrls) {
        UrlNormalizer.normalize(seed).ifPresent(url -> hosts.add(UrlNormalizer.host(url)));
      }
      domains = hosts;
    }
    return new Scope(domains, crawl.include().stream().map(Pattern::compile).toList(),
        crawl.exclude().stream().map(Pattern::compile).toList());
  }

  /**
   * As JSON, for a cluster crawl's {@code crawls.scope}: {@code {"domains": [...], "include":
   * [...], "exclude": [...]}}, the domains sorted ({@code crawl.allowed_domains}, or the seeds'
   * hosts), the patterns as written. {@link #fromJson} reads it back to an equal scope.
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("domains", new JsonArray(new ArrayList<>(new TreeSet<>(domains))))
        .put("include", new JsonArray(include.stream().map(Pattern::pattern).toList()))
        .put("exclude", new JsonArray(exclude.stream().map(Pattern::pattern).toList()));
  }

  /** The scope {@link #toJson} wrote. */
  public static Scope fromJson(JsonObject json) {
    return new Scope(strings(json, "domains"), strings(json, "include").stream().map(Pattern::compile).toList(),
        strings(json, "exclude").stream().map(Pattern::compile).toList());
  }

  private static List<String> strings(JsonObject json, String key) {
    return json.getJsonArray(key, new JsonArray()).stream().map(String::valueOf).toList();
  }

  /** Scopes are equal when they allow the same domains by the same patterns (as written). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Scope that && toJson().equals(that.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return toJson().encode();
  }

  /** Whether a normalized URL is in scope. */
  public boolean allows(String normalizedUrl) {
    String host = hostOf(normalizedUrl);
    if (host == null || !domainAllowed(host)) {
      return false;
    }
    if (!include.isEmpty() && !anyFinds(include, normalizedUrl)) {
      return false;
    }
    return !anyFinds(exclude, normalizedUrl);
  }

  /** A loop, not a stream: two streams and their lambdas a link were 10 KB of garbage a page. */
  private static boolean anyFinds(List<Pattern> patterns, String url) {
    for (Pattern p : patterns) {
      if (p.matcher(url).find()) {
        return true;
      }
    }
    return false;
  }

  private boolean domainAllowed(String host) {
    if (domains.contains(host)) {
      return true;
    }
    for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
      if (domains.contains(host.substring(dot + 1))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The host the HTTP client would connect to for {@code url} (lowercased, IPv6 in brackets), or
   * null when it is not an http(s) URL with a host and without user info.
   */
  private static String hostOf(String url) {
    String host = plainHost(url);
    return host != null ? host : clientHost(url);
  }

  /**
   * The host of {@code url} when it is {@code http://} or {@code https://}, a host of lowercase
   * letters, digits and {@code -._}, an optional port of 1 to 5 digits up to 65535, then the end, a
   * {@code /} or a {@code ?}: the shape of nearly every normalized URL, in which the host cannot be
   * read otherwise (no {@code @}, {@code \}, {@code [}, {@code %} or {@code #} before the path).
   * Null for anything else, which {@link #clientHost} reads; ScopeTest checks the two agree.
   */
  static String plainHost(String url) {
    int start = url.startsWith("http://") ? 7 : url.startsWith("https://") ? 8 : -1;
    if (start < 0) {
      return null;
    }
    int i = start;
    while (i < url.length() && UrlNormalizer.isPlainHostChar(url.charAt(i))) {
      i++;
    }
    int hostEnd = i;
    if (hostEnd == start) {
      return null;
    }
    if (i < url.length() && url.charAt(i) == ':') {
      int digits = ++i;
      while (i < url.length() && url.charAt(i) >= '0' && url.charAt(i) <= '9') {
        i++;
      }
      if (i == digits || i - digits > 5 || Integer.parseInt(url, digits, i, 10) > 65535) {
        return null;
      }
    }
    if (i < url.length() && url.charAt(i) != '/' && url.charAt(i) != '?') {
      return null;
    }
    return url.substring(start, hostEnd);
  }

  /**
   * The host as the HTTP client reads it, or null as {@link #hostOf}: {@code java.net.URL} is what
   * Vert.x's {@code RequestOptions.setAbsoluteURI} parses a request's URL with.
   */
  @SuppressWarnings("deprecation") // new URL(String): the client's own parser, whose reading is the point
  static String clientHost(String url) {
    URL parsed;
    try {
      parsed = new URL(url);
    } catch (MalformedURLException e) {
      return null;
    }
    String protocol = parsed.getProtocol();
    if (!protocol.equals("http") && !protocol.equals("https")) {
      return null;
    }
    String host = parsed.getHost();
    if (parsed.getUserInfo() != null || host == null || host.isEmpty()) {
      return null;
    }
    return host.toLowerCase(Locale.ROOT);
  }

  /** The host without its port ({@code 127.0.0.1:8080} → {@code 127.0.0.1}; IPv6 brackets kept). */
  private static String hostName(String hostAndPort) {
    if (hostAndPort.startsWith("[")) {
      int close = hostAndPort.indexOf(']');
      return close < 0 ? hostAndPort : hostAndPort.substring(0, close + 1);
    }
    int colon = hostAndPort.indexOf(':');
    return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
  }
}
