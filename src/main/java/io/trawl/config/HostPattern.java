package io.trawl.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A key of {@code hosts:}: a host name ({@code shop.example.com}), an IP address ({@code
 * 127.0.0.2}, {@code [::1]}), or {@code *.} and a domain ({@code *.example.org}), which matches
 * every name under that domain but not the domain itself. Matched against a host name without
 * its port. Immutable.
 *
 * @param text the pattern, lowercased, as the config names it
 */
public record HostPattern(String text) {
  private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-f:.]+]");
  private static final String WILDCARD = "*.";

  /** Whether {@code host} (lowercase, no port; IPv6 in brackets) is one this pattern names. */
  public boolean matches(String host) {
    if (!text.startsWith(WILDCARD)) {
      return text.equals(host);
    }
    return host.endsWith(text.substring(1)) && host.length() > text.length() - 1;
  }

  /** Whether this pattern names one host exactly rather than a domain's subdomains. */
  public boolean isExact() {
    return !text.startsWith(WILDCARD);
  }

  /** A key of {@code hosts:} checked and lowercased; refused with its path when it is no host pattern. */
  static String read(ConfigValue v) {
    String expected = "a host pattern like shop.example.com, *.example.org or 127.0.0.2 (no scheme, port or path)";
    String written = v.asText().trim().toLowerCase(Locale.ROOT);
    if (IPV6_LITERAL.matcher(written).matches()) {
      return written;
    }
    boolean wildcard = written.startsWith(WILDCARD);
    String name = wildcard ? written.substring(WILDCARD.length()) : written;
    if (name.contains("*") || name.startsWith(".")) {
      throw v.refuse(expected);
    }
    String ascii;
    try {
      ascii = ConfigKeys.hostName(new ConfigValue(v.path(), name));
    } catch (ConfigException e) {
      throw v.refuse(expected);
    }
    return wildcard ? WILDCARD + ascii : ascii;
  }
}
