package io.trawl.core;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns URLs into the one spelling trawl stores, dedups on, checks against the scope and
 * requests: http(s) only, scheme and host lowercased (IDN hosts in punycode), default port,
 * fragment and an empty query dropped, dot segments resolved, an empty path made {@code /},
 * percent-escapes normalized (hex uppercased, unreserved characters decoded) and illegal
 * characters percent-encoded. A URL with user info ({@code user:password@host}) is refused, not
 * stripped: it is how a page hides the host a request goes to behind one that looks allowed
 * ({@code http://example.com:1@169.254.169.254/}), and credentials in a URL would be sent in the
 * clear and stored. A normalized URL has no {@code @} in its authority and a host of letters,
 * digits, {@code -._} or an IPv6 literal, so every URL parser (ours, {@code java.net.URL} that the
 * HTTP client uses, the scope's) reads the same host in it. Pure and thread-safe; on the parse hot
 * path, so it avoids regexes and {@code java.net.URL}.
 */
public final class UrlNormalizer {
  private static final String HEX = "0123456789ABCDEF";

  private UrlNormalizer() {}

  /** Why {@link #normalize} or {@link #resolve} gave nothing for a reference. */
  public enum Refusal {
    /** A scheme other than http and https ({@code mailto:}, {@code javascript:}, {@code ftp:}...). */
    OTHER_SCHEME,
    /** User info before the host ({@code http://user:password@host/}). */
    USER_INFO,
    /** No usable URL: no host, a bad port or host, or a relative reference without a base. */
    MALFORMED
  }

  /** The normalized form of an absolute http(s) URL, or empty for anything else. */
  public static Optional<String> normalize(String url) {
    if (url == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(normalizeOrNull(clean(url)));
  }

  /** {@code href} resolved against the absolute {@code baseUrl}, then normalized; empty when not http(s). */
  public static Optional<String> resolve(String baseUrl, String href) {
    return resolver(baseUrl).resolve(href);
  }

  /**
   * Why {@code href} resolved against {@code baseUrl} (null: {@code href} must be absolute) gives
   * no normalized URL, or null when it gives one. For error messages and kinds; not on a hot path.
   */
  public static Refusal refusal(String baseUrl, String href) {
    if (href == null) {
      return Refusal.MALFORMED;
    }
    String h = backslashesInPathAsSlashes(clean(href));
    int colon = schemeEnd(h);
    if (colon > 0) {
      String scheme = h.substring(0, colon).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return Refusal.OTHER_SCHEME;
      }
    }
    Parts base = baseUrl == null ? null : Parts.parse(baseUrl);
    String absolute = absoluteOrNull(base, h);
    Parts parts = absolute == null ? null : Parts.parse(absolute);
    if (parts != null && parts.userInfo) {
      return Refusal.USER_INFO;
    }
    return absolute == null || normalizeOrNull(absolute) == null ? Refusal.MALFORMED : null;
  }

  /**
   * Resolves many links against one base URL, which is parsed once: a page's 50 links each parsed
   * the page URL again, a third of the time of resolving them.
   */
  public static Resolver resolver(String baseUrl) {
    Parts base = Parts.parse(baseUrl);
    // A base that hides its host behind user info resolves nothing, as it normalizes to nothing.
    return new Resolver(base == null || base.userInfo ? null : base);
  }

  /** Links resolved against one base URL; immutable. */
  public static final class Resolver {
    private final Parts base;

    private Resolver(Parts base) {
      this.base = base;
    }

    /** {@code href} resolved against the base, then normalized; empty when not http(s). */
    public Optional<String> resolve(String href) {
      return Optional.ofNullable(resolveOrNull(base, href));
    }
  }

  private static String resolveOrNull(Parts base, String href) {
    if (href == null) {
      return null;
    }
    String absolute = absoluteOrNull(base, backslashesInPathAsSlashes(clean(href)));
    return absolute == null ? null : normalizeOrNull(absolute);
  }

  /** The cleaned reference {@code h} made absolute against {@code base}, not yet normalized. */
  private static String absoluteOrNull(Parts base, String h) {
    if (schemeEnd(h) > 0) {
      return h;
    }
    if (base == null) {
      return null;
    }
    String resolved;
    if (h.startsWith("//")) {
      resolved = base.scheme + ":" + h;
    } else if (h.isEmpty() || h.startsWith("#")) {
      resolved = base.origin + base.path + (base.query == null ? "" : "?" + base.query);
    } else if (h.startsWith("?")) {
      resolved = base.origin + base.path + h;
    } else if (h.startsWith("/")) {
      resolved = base.origin + h;
    } else {
      resolved = base.origin + base.directory() + h;
    }
    return resolved;
  }

  /**
   * The host of a normalized URL, with its port when not the default ({@code 127.0.0.1:8080}):
   * the key of per-host politeness.
   */
  public static String host(String normalizedUrl) {
    int start = normalizedUrl.indexOf("://");
    if (start < 0) {
      return "";
    }
    start += 3;
    int end = start;
    while (end < normalizedUrl.length()) {
      char c = normalizedUrl.charAt(end);
      if (c == '/' || c == '?' || c == '#') {
        break;
      }
      end++;
    }
    return normalizedUrl.substring(start, end);
  }

  /** Leading/trailing spaces trimmed, and tabs and line breaks removed anywhere, as browsers do. */
  private static String clean(String url) {
    String s = url.strip();
    if (s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\t' && c != '\n' && c != '\r') {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * A reference with each backslash before its query or fragment made a slash, as browsers read
   * them in http(s) references: {@code \\host\p} is scheme-relative, {@code \p} path-absolute.
   */
  private static String backslashesInPathAsSlashes(String ref) {
    int backslash = ref.indexOf('\\');
    if (backslash < 0) {
      return ref;
    }
    int end = ref.length();
    for (int i = 0; i < end; i++) {
      char c = ref.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
      }
    }
    return backslash >= end ? ref : ref.substring(0, end).replace('\\', '/') + ref.substring(end);
  }

  /** Index of the ':' ending a scheme at the start of {@code s}, or -1. */
  private static int schemeEnd(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return i;
      }
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
      if (!ok) {
        return -1;
      }
    }
    return -1;
  }

  private static String normalizeOrNull(String url) {
    return isNormal(url) ? url : normalizeByPartsOrNull(url);
  }

  /** {@link #normalizeOrNull} the long way: cut into {@link Parts}, each normalized and written again. */
  static String normalizeByPartsOrNull(String url) {
    Parts p = Parts.parse(url);
    if (p == null || p.userInfo) {
      return null;
    }
    String host = normalizeHost(p.host);
    if (host == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(url.length() + 8);
    out.append(p.scheme).append("://").append(host);
    if (p.port != null && !p.port.isEmpty()) {
      if (p.port.length() > 5 || !p.port.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int port = Integer.parseInt(p.port);
      if (port < 1 || port > 65535) {
        return null;
      }
      boolean isDefault = (port == 80 && p.scheme.equals("http")) || (port == 443 && p.scheme.equals("https"));
      if (!isDefault) {
        out.append(':').append(port);
      }
    }
    String path = removeDotSegments(encode(p.path, false));
    out.append(path.isEmpty() ? "/" : path);
    if (p.query != null && !p.query.isEmpty()) {
      out.append('?').append(encode(p.query, true));
    }
    return out.toString();
  }

  /**
   * Whether {@code url} is already spelled as {@link #normalizeByPartsOrNull} would write it, read in one
   * pass without cutting it up: {@code http://} or {@code https://}, a host of lowercase letters,
   * digits and {@code -._} not ending in a dot, a port without leading zeros that is not the
   * scheme's default, a path from {@code /} with no segment starting with a dot, a non-empty query,
   * and only characters that need no escape (no {@code %}, {@code #}, {@code \}, space, control or
   * non-ASCII). Most links are; cutting each into {@link Parts} and writing it again was about
   * 500 bytes of garbage a link. False for anything else, which the full path then reads;
   * UrlNormalizerTest checks that all it accepts normalizes to itself.
   */
  static boolean isNormal(String url) {
    int i = url.startsWith("http://") ? 7 : url.startsWith("https://") ? 8 : -1;
    if (i < 0) {
      return false;
    }
    boolean https = i == 8;
    int hostStart = i;
    int n = url.length();
    while (i < n && isPlainHostChar(url.charAt(i))) {
      i++;
    }
    if (i == hostStart || url.charAt(i - 1) == '.') {
      return false;
    }
    if (i < n && url.charAt(i) == ':') {
      int digits = ++i;
      while (i < n && url.charAt(i) >= '0' && url.charAt(i) <= '9') {
        i++;
      }
      if (i == digits || i - digits > 5 || url.charAt(digits) == '0') {
        return false;
      }
      int port = Integer.parseInt(url, digits, i, 10);
      if (port > 65535 || port == (https ? 443 : 80)) {
        return false;
      }
    }
    if (i >= n || url.charAt(i) != '/') {
      return false;
    }
    int query = -1;
    for (; i < n; i++) {
      char c = url.charAt(i);
      if (c == '?') {
        query = query < 0 ? i : query;
      } else if (!isPlainUrlChar(c) || (c == '.' && query < 0 && url.charAt(i - 1) == '/')) {
        return false;
      }
    }
    return query < 0 || query < n - 1;
  }

  /** A character of a host that needs no normalizing and that every URL parser reads as part of the host. */
  static boolean isPlainHostChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  }

  /** A printable ASCII character that {@link #encode} leaves as it is wherever it stands. */
  private static boolean isPlainUrlChar(char c) {
    return c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^' && c != '`'
        && c != '{' && c != '|' && c != '}' && c != '%' && c != '#';
  }

  private static String normalizeHost(String host) {
    if (host.isEmpty()) {
      return null;
    }
    if (host.startsWith("[")) {
      return isIpv6Literal(host) ? host.toLowerCase(Locale.ROOT) : null;
    }
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    boolean ascii = true;
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c >= 0x80) {
        ascii = false;
      } else if (!(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
        return null;
      }
    }
    if (!ascii) {
      try {
        h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return h.isEmpty() ? null : h.toLowerCase(Locale.ROOT);
  }

  /**
   * {@code [...]} holding only hex digits, colons and dots (an embedded IPv4 address): no zone
   * ({@code %25eth0}), no IPvFuture, nothing another parser could split differently. Whether the
   * address itself is well formed is the HTTP client's to say ({@code bad_url}).
   */
  private static boolean isIpv6Literal(String host) {
    if (host.length() < 4 || !host.endsWith("]") || host.indexOf(':') < 0) {
      return false;
    }
    for (int i = 1; i < host.length() - 1; i++) {
      char c = host.charAt(i);
      if (!isHex(c) && c != ':' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /**
   * Percent-escapes normalized: unreserved characters decoded, hex uppercased, characters illegal
   * in a URL (spaces, controls, non-ASCII as UTF-8) encoded. Reserved characters stay as written.
   */
  private static String encode(String s, boolean query) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        int value = Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16);
        boolean alreadyNormal = !isUnreserved((char) value)
            && !Character.isLowerCase(s.charAt(i + 1)) && !Character.isLowerCase(s.charAt(i + 2));
        if (!alreadyNormal) {
          out = started(out, s, i);
          if (isUnreserved((char) value)) {
            out.append((char) value);
          } else {
            out.append('%').append(HEX.charAt(value >> 4)).append(HEX.charAt(value & 15));
          }
        } else if (out != null) {
          out.append(s, i, i + 3);
        }
        i += 2;
      } else if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`'
          || c == '{' || c == '|' || c == '}' || c == '%' || (c == '#' && query)) {
        out = started(out, s, i);
        int end = i + 1;
        if (Character.isHighSurrogate(c) && end < s.length() && Character.isLowSurrogate(s.charAt(end))) {
          end++;
        }
        for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX.charAt((b >> 4) & 15)).append(HEX.charAt(b & 15));
        }
        i = end - 1;
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  private static StringBuilder started(StringBuilder out, String s, int upTo) {
    if (out != null) {
      return out;
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    b.append(s, 0, upTo);
    return b;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  /** RFC 3986 section 5.2.4, for an absolute path. */
  static String removeDotSegments(String path) {
    if (path.indexOf('.') < 0) {
      return path;
    }
    String[] segments = path.split("/", -1);
    java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
    boolean trailingSlash = false;
    for (int i = 1; i < segments.length; i++) {
      String seg = segments[i];
      boolean last = i == segments.length - 1;
      if (seg.equals(".") || seg.equalsIgnoreCase("%2e")) {
        trailingSlash = last;
      } else if (seg.equals("..") || seg.equalsIgnoreCase("%2e%2e") || seg.equalsIgnoreCase(".%2e")
          || seg.equalsIgnoreCase("%2e.")) {
        out.pollLast();
        trailingSlash = last;
      } else {
        out.addLast(seg);
        trailingSlash = false;
      }
    }
    StringBuilder b = new StringBuilder(path.length());
    for (String seg : out) {
      b.append('/').append(seg);
    }
    if (trailingSlash || b.length() == 0) {
      b.append('/');
    }
    return b.toString();
  }

  private static boolean isSlash(String s, int i) {
    return i < s.length() && (s.charAt(i) == '/' || s.charAt(i) == '\\');
  }

  /**
   * An absolute http(s) URL cut into its parts, fragment dropped. The host is what follows the
   * last {@code @} of the authority, as browsers and {@code java.net.URL} read it; whether there
   * was user info before it is kept in {@link #userInfo}.
   */
  private static final class Parts {
    String scheme;
    boolean userInfo;
    String authority;
    /** {@code scheme://authority}, what a path-absolute reference is appended to. */
    String origin;
    String host;
    String port;
    String path;
    String query;

    static Parts parse(String url) {
      int colon = schemeEnd(url);
      if (colon < 0) {
        return null;
      }
      String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
      int i = colon + 1;
      // The authority follows exactly two slashes (backslashes too, as browsers read them); a
      // third slash means an empty host, which RFC 9110 section 4.2.1 says to reject as invalid.
      if (!isSlash(url, i) || !isSlash(url, i + 1) || isSlash(url, i + 2)) {
        return null;
      }
      i += 2;
      int end = url.length();
      int hash = url.indexOf('#', i);
      if (hash >= 0) {
        end = hash;
      }
      int authEnd = i;
      while (authEnd < end) {
        char c = url.charAt(authEnd);
        if (c == '/' || c == '?' || c == '\\') {
          break;
        }
        authEnd++;
      }
      String authority = url.substring(i, authEnd);
      Parts p = new Parts();
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        p.userInfo = true;
        authority = authority.substring(at + 1);
      }
      p.scheme = scheme;
      int portColon = authority.startsWith("[") ? authority.indexOf(':', Math.max(0, authority.indexOf(']'))) : authority.lastIndexOf(':');
      if (portColon >= 0) {
        p.host = authority.substring(0, portColon);
        p.port = authority.substring(portColon + 1);
      } else {
        p.host = authority;
        p.port = null;
      }
      p.authority = authority;
      p.origin = scheme + "://" + authority;
      String rest = url.substring(authEnd, end);
      int q = rest.indexOf('?');
      if (q >= 0) {
        // A backslash is a slash in the path only: in the query it is data (encoded as %5C).
        p.path = rest.substring(0, q).replace('\\', '/');
        p.query = rest.substring(q + 1);
      } else {
        p.path = rest.replace('\\', '/');
        p.query = null;
      }
      if (p.path.isEmpty()) {
        p.path = "/";
      }
      return p;
    }

    /** The path up to its last {@code /}, what a path-relative reference is appended to. */
    String directory() {
      int slash = path.lastIndexOf('/');
      return slash < 0 ? "/" : path.substring(0, slash + 1);
    }
  }
}
