package io.trawl.fetch;

import io.vertx.core.http.RequestOptions;

/**
 * The parts of a URL of the plain shape nearly every normalized URL has, read by hand where a
 * fetch needed them once a page from {@code java.net.URI} or {@code java.net.URL}: {@code http://}
 * or {@code https://}, a host of lowercase letters, digits and {@code -._}, an optional port of 1
 * to 5 digits up to 65535, then the end, a {@code /} or a {@code ?}. Any other shape goes the long
 * way, through the parser whose reading the caller needs; PlainUrlTest checks the two agree on
 * chosen and random URLs. Stateless.
 */
final class PlainUrl {
  private PlainUrl() {}

  /** The length of {@code http://} or {@code https://} at the start of {@code url}, else -1. */
  private static int schemeEnd(String url) {
    return url.startsWith("http://") ? 7 : url.startsWith("https://") ? 8 : -1;
  }

  /** The index after the plain host and port of {@code url} (its authority's end), or -1 for another shape. */
  static int authorityEnd(String url) {
    int start = schemeEnd(url);
    if (start < 0) {
      return -1;
    }
    int i = start;
    while (i < url.length() && isHostChar(url.charAt(i))) {
      i++;
    }
    if (i == start) {
      return -1;
    }
    if (i < url.length() && url.charAt(i) == ':') {
      int digits = ++i;
      while (i < url.length() && url.charAt(i) >= '0' && url.charAt(i) <= '9') {
        i++;
      }
      if (i == digits || i - digits > 5 || Integer.parseInt(url, digits, i, 10) > 65535) {
        return -1;
      }
    }
    if (i < url.length() && url.charAt(i) != '/' && url.charAt(i) != '?') {
      return -1;
    }
    return i;
  }

  private static boolean isHostChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  }

  /**
   * {@code scheme://authority} of a plain {@code url} whose path and query {@code java.net.URI}
   * accepts as they are (the characters RFC 3986 allows there, {@code %} only before two hex
   * digits), the value {@code URI.create(url)} gives {@link KnownRobots#origin}; null for any other
   * URL, which the caller reads with URI.
   */
  static String origin(String url) {
    int end = authorityEnd(url);
    if (end < 0) {
      return null;
    }
    for (int i = end; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '%') {
        if (i + 2 >= url.length() || !isHex(url.charAt(i + 1)) || !isHex(url.charAt(i + 2))) {
          return null;
        }
        i += 2;
      } else if (!isUriChar(c)) {
        return null;
      }
    }
    return url.substring(0, end);
  }

  /** Unreserved, sub-delims, {@code :@/?}: what a URI's path and query hold without escaping. */
  private static boolean isUriChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Sets host, port, TLS and request URI of {@code options} for {@code url}: by hand for a plain URL
   * with no {@code #}, no {@code /.} (a dot segment, which {@code java.net.URL} would resolve) and
   * no space or control character at its end (which it would trim), else with {@link RequestOptions#setAbsoluteURI(String)}, whose {@code java.net.URL} reading
   * this is (may throw as it does).
   */
  static RequestOptions target(RequestOptions options, String url) {
    int end = authorityEnd(url);
    if (end < 0 || url.indexOf('#', end) >= 0 || url.indexOf("/.", end) >= 0
        || url.charAt(url.length() - 1) <= ' ') {
      return options.setAbsoluteURI(url);
    }
    boolean https = url.charAt(4) == 's';
    int hostStart = https ? 8 : 7;
    int colon = url.indexOf(':', hostStart);
    boolean port = colon >= 0 && colon < end;
    int hostEnd = port ? colon : end;
    String rest = url.substring(end);
    return options
        .setURI(rest.startsWith("/") ? rest : "/" + rest)
        .setPort(port ? Integer.parseInt(url, colon + 1, end, 10) : https ? 443 : 80)
        .setSsl(https)
        .setHost(url.substring(hostStart, hostEnd));
  }
}
