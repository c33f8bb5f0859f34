package io.trawl.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a server of the crawl listens ({@code crawl.metrics}, {@code crawl.ui}): a host (an IP
 * literal or a name; an IPv6 literal in brackets) and a port, {@code 0} meaning any free port.
 * Written {@code 127.0.0.1:9464}, {@code [::1]:9464}, or a bare port for loopback. Immutable.
 *
 * @param host the address to bind, without brackets
 * @param port the TCP port; 0 = one the OS picks
 */
public record ListenAddress(String host, int port) {
  /** Where a bare port binds: loopback, so nothing is reachable from elsewhere unless configured. */
  public static final String LOOPBACK = "127.0.0.1";
  /** How a server that is off is written in the config. */
  public static final String OFF = "off";
  static final String EXPECTED = "\"off\", a port, or host:port like \"127.0.0.1:9464\"";

  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):([0-9]{1,5})");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  /**
   * The address {@code text} names, empty for {@code off}.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static Optional<ListenAddress> parse(String text) {
    String s = text.trim();
    if (s.equalsIgnoreCase(OFF)) {
      return Optional.empty();
    }
    if (PORT.matcher(s).matches()) {
      return Optional.of(new ListenAddress(LOOPBACK, port(s)));
    }
    Matcher m = HOST_PORT.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(s);
    }
    String host = m.group(1);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return Optional.of(new ListenAddress(host, port(m.group(2))));
  }

  /** The config reader: a string, a bare port number, or {@code false} for off. */
  static Optional<ListenAddress> read(ConfigValue value) {
    String text = value.isString() ? value.asString() : value.isNumber() ? String.valueOf(value.asInt(0, 65_535))
        : value.isFalse() ? OFF : null;
    if (text == null) {
      throw value.refuse(EXPECTED);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw value.refuse(EXPECTED);
    }
  }

  /** How {@code crawls.config} and the README print it. */
  static Object print(Optional<ListenAddress> address) {
    return address.map(ListenAddress::toString).orElse(OFF);
  }

  /** Whether only this machine can reach it: a loopback address or {@code localhost}. */
  public boolean isLoopback() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  /** {@code http://host:port} with {@code port} (the one actually bound, for port 0). */
  public String url(int boundPort) {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + boundPort;
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static int port(String digits) {
    int port = Integer.parseInt(digits);
    if (port > 65_535) {
      throw new IllegalArgumentException(digits);
    }
    return port;
  }
}
