package io.trawl.fetch;

import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.trawl.bus.CookieChanges;
import io.trawl.bus.CookieRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A crawl's cookies, kept as RFC 6265 section 5.3 says and sent back as section 5.4 says: a cookie
 * without {@code Domain} goes back to its host only, one with it to the domain and its subdomains
 * (never a public suffix such as {@code co.uk}, unless it is the host itself); {@code Path} scopes
 * it; {@code Secure} ones go over https only; {@code Max-Age} wins over {@code Expires}, and an
 * expiry in the past deletes. Bounded as browsers are: a cookie's name and value at most
 * {@value #MAX_COOKIE_BYTES} bytes, at most {@value #MAX_PER_DOMAIN} cookies per registrable
 * domain and {@value #MAX_TOTAL} in all, the least recently used going first (expired ones before
 * any). Remembers what changed until {@link #drainChanges} hands it to the store. Thread-safe:
 * every fetcher of the crawl shares one jar; each call holds its lock for a few map operations.
 */
public final class CookieJar {
  static final int MAX_COOKIE_BYTES = 4096;
  static final int MAX_PER_DOMAIN = 180;
  static final int MAX_TOTAL = 3000;
  private static final Pattern IPV4 = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
  private static final Comparator<CookieRecord> SEND_ORDER = Comparator
      .comparingInt((CookieRecord c) -> -c.path().length())
      .thenComparingLong(CookieRecord::createdAtMs);

  private record Key(String domain, String path, String name) {
    static Key of(CookieRecord cookie) {
      return new Key(cookie.domain(), cookie.path(), cookie.name());
    }
  }

  private final LongSupplier clock;
  private final Map<String, Map<Key, CookieRecord>> byDomain = new HashMap<>();
  private final Map<Key, CookieRecord> saved = new LinkedHashMap<>();
  private final Map<Key, CookieRecord> removed = new LinkedHashMap<>();
  /** Cookies per registrable domain, for the per-domain cap. */
  private final Map<String, Integer> perDomain = new HashMap<>();
  private int total;

  /** A jar on the wall clock. */
  public CookieJar() {
    this(System::currentTimeMillis);
  }

  /** A jar whose idea of now is {@code clock} (epoch ms); tests move it. */
  CookieJar(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Takes in cookies a store or a cookie file kept: not changes to save again. Expired ones are
   * dropped; the caps hold.
   */
  public synchronized void load(List<CookieRecord> cookies) {
    long now = clock.getAsLong();
    for (CookieRecord cookie : cookies) {
      if (!cookie.expired(now)) {
        put(cookie, false);
      }
    }
  }

  /**
   * Keeps the cookies of the {@code Set-Cookie} headers of the response to {@code url} (a
   * normalized http(s) URL); ignores those RFC 6265 refuses.
   */
  public void store(String url, List<String> setCookieHeaders) {
    if (setCookieHeaders.isEmpty()) {
      return;
    }
    Target target = Target.of(url);
    if (target == null) {
      return;
    }
    for (String header : setCookieHeaders) {
      Cookie parsed = ClientCookieDecoder.LAX.decode(header);
      if (parsed != null) {
        storeOne(target, parsed, attributeOf(header, "domain"));
      }
    }
  }

  /** The {@code Cookie} header value for a request to {@code url}, or null when no cookie applies. */
  public String header(String url) {
    Target target = Target.of(url);
    if (target == null) {
      return null;
    }
    List<CookieRecord> matching = matching(target.host(), target.path(), target.https());
    if (matching.isEmpty()) {
      return null;
    }
    StringBuilder header = new StringBuilder();
    for (CookieRecord cookie : matching) {
      if (header.length() > 0) {
        header.append("; ");
      }
      header.append(cookie.name()).append('=').append(cookie.value());
    }
    return header.toString();
  }

  /** What changed since the last call, and forgets it: the caller hands it to the store. */
  public synchronized CookieChanges drainChanges() {
    if (saved.isEmpty() && removed.isEmpty()) {
      return CookieChanges.NONE;
    }
    CookieChanges changes = new CookieChanges(List.copyOf(saved.values()), List.copyOf(removed.values()));
    saved.clear();
    removed.clear();
    return changes;
  }

  /** How many cookies the jar holds. */
  public synchronized int size() {
    return total;
  }

  private synchronized List<CookieRecord> matching(String host, String path, boolean https) {
    long now = clock.getAsLong();
    List<CookieRecord> out = new ArrayList<>();
    for (String domain : domainsOf(host)) {
      Map<Key, CookieRecord> cookies = byDomain.get(domain);
      if (cookies == null) {
        continue;
      }
      List<Key> expired = new ArrayList<>();
      for (Map.Entry<Key, CookieRecord> entry : cookies.entrySet()) {
        CookieRecord cookie = entry.getValue();
        if (cookie.expired(now)) {
          expired.add(entry.getKey());
        } else if ((!cookie.hostOnly() || domain.equals(host)) && pathMatches(path, cookie.path())
            && (https || !cookie.secure())) {
          CookieRecord used = cookie.accessed(now);
          entry.setValue(used);
          out.add(used);
        }
      }
      expired.forEach(key -> remove(key, true));
    }
    out.sort(SEND_ORDER);
    return out;
  }

  private synchronized void storeOne(Target target, Cookie parsed, String domainAttribute) {
    String host = target.host();
    long now = clock.getAsLong();
    String name = parsed.name();
    String value = parsed.value() == null ? "" : parsed.value();
    if ((name + value).getBytes(StandardCharsets.UTF_8).length > MAX_COOKIE_BYTES) {
      return;
    }
    String domain = domainAttribute == null ? "" : domainAttribute.trim().toLowerCase(Locale.ROOT);
    if (domain.startsWith(".")) {
      domain = domain.substring(1);
    }
    boolean hostOnly;
    if (domain.isEmpty()) {
      hostOnly = true;
      domain = host;
    } else if (PublicSuffixes.isPublicSuffix(domain)) {
      if (!domain.equals(host)) {
        return; // RFC 6265 5.3 step 5: a public suffix is no cookie domain
      }
      hostOnly = true;
    } else if (!domainMatches(host, domain)) {
      return;
    } else {
      hostOnly = false;
    }
    String path = parsed.path() == null || !parsed.path().startsWith("/") ? defaultPath(target.path()) : parsed.path();
    long maxAge = parsed.maxAge();
    long expiresAtMs = maxAge == Long.MIN_VALUE ? 0 : maxAge <= 0 ? now - 1 : saturatedAdd(now, maxAge * 1000);
    Key key = new Key(domain, path, name);
    CookieRecord old = byDomain.getOrDefault(domain, Map.of()).get(key);
    if (expiresAtMs != 0 && expiresAtMs <= now) {
      if (old != null) {
        remove(key, true);
      }
      return;
    }
    long created = old == null ? now : old.createdAtMs();
    put(new CookieRecord(domain, path, name, value, hostOnly, parsed.isSecure(), parsed.isHttpOnly(), expiresAtMs,
        created, now), true);
  }

  /** Adds or replaces {@code cookie}, evicting to stay within the caps; {@code changed}: to be saved. */
  private void put(CookieRecord cookie, boolean changed) {
    Key key = Key.of(cookie);
    Map<Key, CookieRecord> cookies = byDomain.computeIfAbsent(cookie.domain(), d -> new LinkedHashMap<>());
    String registrable = PublicSuffixes.registrableDomain(cookie.domain());
    if (cookies.put(key, cookie) == null) {
      total++;
      perDomain.merge(registrable, 1, Integer::sum);
    }
    if (changed) {
      removed.remove(key);
      saved.put(key, cookie);
    }
    while (perDomain.getOrDefault(registrable, 0) > MAX_PER_DOMAIN && evictOne(registrable, key)) {
      // evicted one
    }
    while (total > MAX_TOTAL && evictOne(null, key)) {
      // evicted one
    }
  }

  /** Evicts the expired, else least recently used, cookie (under {@code registrable} when given), never {@code keep}. */
  private boolean evictOne(String registrable, Key keep) {
    long now = clock.getAsLong();
    CookieRecord victim = null;
    for (Map.Entry<String, Map<Key, CookieRecord>> domain : byDomain.entrySet()) {
      if (registrable != null && !domainMatches(domain.getKey(), registrable)) {
        continue;
      }
      for (CookieRecord cookie : domain.getValue().values()) {
        if (Key.of(cookie).equals(keep)) {
          continue;
        }
        if (victim == null || rank(cookie, now) < rank(victim, now)) {
          victim = cookie;
        }
      }
    }
    if (victim == null) {
      return false;
    }
    remove(Key.of(victim), true);
    return true;
  }

  private static long rank(CookieRecord cookie, long now) {
    return cookie.expired(now) ? Long.MIN_VALUE : cookie.lastAccessMs();
  }

  private void remove(Key key, boolean changed) {
    Map<Key, CookieRecord> cookies = byDomain.get(key.domain());
    CookieRecord gone = cookies == null ? null : cookies.remove(key);
    if (gone == null) {
      return;
    }
    total--;
    perDomain.computeIfPresent(PublicSuffixes.registrableDomain(key.domain()), (d, n) -> n == 1 ? null : n - 1);
    if (cookies.isEmpty()) {
      byDomain.remove(key.domain());
    }
    if (changed) {
      saved.remove(key);
      removed.put(key, gone);
    }
  }

  /** The host and each domain above it, the host first: where a cookie for it may be kept. */
  private static List<String> domainsOf(String host) {
    List<String> domains = new ArrayList<>();
    domains.add(host);
    if (isIpAddress(host)) {
      return domains;
    }
    for (int dot = host.indexOf('.'); dot >= 0 && dot < host.length() - 1; dot = host.indexOf('.', dot + 1)) {
      domains.add(host.substring(dot + 1));
    }
    return domains;
  }

  /** RFC 6265 5.1.3: the host is the domain, or a name under it (never an IP address). */
  static boolean domainMatches(String host, String domain) {
    if (host.equals(domain)) {
      return true;
    }
    return host.endsWith(domain) && host.charAt(host.length() - domain.length() - 1) == '.' && !isIpAddress(host);
  }

  /** RFC 6265 5.1.4. */
  static boolean pathMatches(String requestPath, String cookiePath) {
    if (requestPath.equals(cookiePath)) {
      return true;
    }
    return requestPath.startsWith(cookiePath)
        && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/');
  }

  /** RFC 6265 5.1.4: the request path up to, not including, its last {@code /}; {@code /} when that leaves nothing. */
  static String defaultPath(String path) {
    int last = path.lastIndexOf('/');
    return last <= 0 ? "/" : path.substring(0, last);
  }

  /**
   * What of a request URL the cookie rules read: scheme, host (lowercase, no port; IPv6 in
   * brackets) and path (raw, {@code /} when empty). Read by hand, as a URL trawl requests may hold
   * characters {@link java.net.URI} refuses ({@code [}, {@code |}).
   */
  private record Target(boolean https, String host, String path) {
    static Target of(String url) {
      int scheme = url.indexOf("://");
      if (scheme <= 0) {
        return null;
      }
      int start = scheme + 3;
      int end = start;
      while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
        end++;
      }
      String authority = url.substring(start, end);
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      String host;
      if (authority.startsWith("[")) {
        int close = authority.indexOf(']');
        host = close < 0 ? authority : authority.substring(0, close + 1);
      } else {
        int colon = authority.indexOf(':');
        host = colon < 0 ? authority : authority.substring(0, colon);
      }
      if (host.isEmpty()) {
        return null;
      }
      int pathEnd = end;
      while (pathEnd < url.length() && "?#".indexOf(url.charAt(pathEnd)) < 0) {
        pathEnd++;
      }
      String path = end < url.length() && url.charAt(end) == '/' ? url.substring(end, pathEnd) : "/";
      return new Target(url.regionMatches(true, 0, "https", 0, scheme) && scheme == 5, host.toLowerCase(Locale.ROOT), path);
    }
  }

  private static boolean isIpAddress(String host) {
    return host.startsWith("[") || host.contains(":") || IPV4.matcher(host).matches();
  }

  /**
   * The raw value of attribute {@code name} in a {@code Set-Cookie} header, the last one winning
   * (RFC 6265 5.2), or null: Netty's decoder keeps no difference between a missing {@code Domain}
   * and one the host is.
   */
  private static String attributeOf(String header, String name) {
    String value = null;
    String[] parts = header.split(";");
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      int eq = part.indexOf('=');
      String attribute = (eq < 0 ? part : part.substring(0, eq)).trim();
      if (attribute.equalsIgnoreCase(name)) {
        value = eq < 0 ? "" : part.substring(eq + 1).trim();
      }
    }
    return value;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
