package io.trawl.store.postgres;

import io.trawl.store.StoreException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A {@code postgresql://} (or {@code postgres://}) URL as libpq reads it:
 * {@code postgresql://[user[:password]@][host][:port][/dbname][?param=value&...]}. What the URL
 * leaves out comes from {@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code PGDATABASE}, then
 * the defaults ({@code localhost}, 5432, the OS user, the user's name); the password from the URL,
 * else {@code PGPASSWORD}, else the password file ({@code PGPASSFILE}, else {@code ~/.pgpass}).
 * The password never leaves this class except as the driver's connection property:
 * {@link #display()} and {@link #toString()} mask it. Immutable; any thread.
 */
final class PgUrl {
  /** URL parameters understood, as libpq spells them, and the driver property each becomes. */
  private static final Map<String, String> PARAMETERS = Map.of(
      "sslmode", "sslmode",
      "sslrootcert", "sslrootcert",
      "sslcert", "sslcert",
      "sslkey", "sslkey",
      "connect_timeout", "connectTimeout",
      "application_name", "ApplicationName",
      "options", "options");
  private static final int DEFAULT_PORT = 5432;
  private static final String DEFAULT_CONNECT_TIMEOUT_S = "10";

  private final String scheme;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final boolean passwordInUrl;
  private final Map<String, String> parameters;

  private PgUrl(String scheme, String host, int port, String database, String user, String password,
      boolean passwordInUrl, Map<String, String> parameters) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.passwordInUrl = passwordInUrl;
    this.parameters = parameters;
  }

  /** Reads {@code text} with this process's environment and home directory. */
  static PgUrl parse(String text) {
    return parse(text, System.getenv(), Path.of(System.getProperty("user.home")), System.getProperty("user.name"));
  }

  /**
   * @param env the environment ({@code PGHOST}, {@code PGPASSWORD}...)
   * @param home where {@code .pgpass} is looked for
   * @param osUser the user name when neither the URL nor {@code PGUSER} gives one
   * @throws StoreException {@link StoreException.Kind#BAD_LOCATION}, naming what is wrong but never the password
   */
  static PgUrl parse(String text, Map<String, String> env, Path home, String osUser) {
    int schemeEnd = text.indexOf("://");
    String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    String rest = text.substring(schemeEnd + 3);
    Map<String, String> parameters = new LinkedHashMap<>();
    int question = rest.indexOf('?');
    if (question >= 0) {
      readParameters(rest.substring(question + 1), parameters);
      rest = rest.substring(0, question);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : decode(rest.substring(slash + 1), "database name");
    String userInfo = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
    }
    String urlUser = null;
    String urlPassword = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      urlUser = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
      urlPassword = colon < 0 ? null : decode(userInfo.substring(colon + 1), "password");
    }
    if (authority.contains(",")) {
      throw bad(scheme + "://: several hosts in one URL are not supported; give one host");
    }
    String urlHost;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw bad(scheme + "://: an IPv6 host must end with ]");
      }
      urlHost = authority.substring(1, close);
      String after = authority.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw bad(scheme + "://[" + urlHost + "]: expected :port after the host");
        }
        portText = after.substring(1);
      }
    } else {
      int colon = authority.lastIndexOf(':');
      urlHost = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
    }
    String user = firstOf(parameters.remove("user"), urlUser, env.get("PGUSER"), osUser);
    String host = firstOf(blankToNull(urlHost), socketToNull(env.get("PGHOST")), "localhost");
    int port = port(firstOf(blankToNull(portText), env.get("PGPORT"), String.valueOf(DEFAULT_PORT)), scheme, host);
    String database = firstOf(blankToNull(path), env.get("PGDATABASE"), user);
    String paramPassword = parameters.remove("password");
    boolean passwordInUrl = urlPassword != null || paramPassword != null;
    String password = firstOf(urlPassword, paramPassword, env.get("PGPASSWORD"));
    if (password == null) {
      String passFile = env.get("PGPASSFILE");
      Path file = passFile != null ? Path.of(passFile) : home.resolve(".pgpass");
      password = PgPassFile.lookup(file, host, port, database, user).orElse(null);
    }
    for (String key : parameters.keySet()) {
      if (!PARAMETERS.containsKey(key)) {
        throw bad(scheme + "://" + host + ":" + port + "/" + database + ": unknown URL parameter " + key
            + " (understood: user, password, " + String.join(", ", PARAMETERS.keySet().stream().sorted().toList()) + ")");
      }
    }
    return new PgUrl(scheme, host, port, database, user, password, passwordInUrl, parameters);
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  String database() {
    return database;
  }

  String user() {
    return user;
  }

  boolean hasPassword() {
    return password != null;
  }

  /** {@code host:port}, an IPv6 host in brackets. */
  String hostAndPort() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The URL as it may be printed: user, host, port, database and parameters; a password as {@code ***}. */
  String display() {
    StringBuilder out = new StringBuilder(scheme).append("://").append(user);
    if (passwordInUrl) {
      out.append(":***");
    }
    out.append('@').append(hostAndPort()).append('/').append(database);
    if (!parameters.isEmpty()) {
      out.append('?');
      parameters.forEach((k, v) -> out.append(out.charAt(out.length() - 1) == '?' ? "" : "&").append(k).append('=').append(v));
    }
    return out.toString();
  }

  /** The driver's URL: host, port and database only; the rest goes in {@link #properties}. */
  String jdbcUrl() {
    return "jdbc:postgresql://" + hostAndPort() + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
  }

  /** The driver's connection properties: user, password, the URL's parameters and trawl's own settings. */
  Properties properties(String schema) {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("ApplicationName", "trawl");
    props.setProperty("connectTimeout", DEFAULT_CONNECT_TIMEOUT_S);
    props.setProperty("currentSchema", schema);
    props.setProperty("reWriteBatchedInserts", "true");
    parameters.forEach((k, v) -> props.setProperty(PARAMETERS.get(k), v));
    return props;
  }

  @Override
  public String toString() {
    return display();
  }

  private static void readParameters(String query, Map<String, String> into) {
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq), "URL parameter");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "URL parameter " + key);
      into.put(key, value);
    }
  }

  private static int port(String text, String scheme, String host) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw bad(scheme + "://" + host + ": expected a port from 1 to 65535, got \"" + text + "\"");
  }

  private static String decode(String text, String what) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // Never echo the text: it may be the password.
      throw bad("postgresql://: the " + what + " has a bad %-escape");
    }
  }

  private static StoreException bad(String message) {
    return new StoreException(StoreException.Kind.BAD_LOCATION, message);
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** PGHOST may name a Unix socket directory, which the driver cannot use: then it is ignored. */
  private static String socketToNull(String host) {
    return host == null || host.isEmpty() || host.startsWith("/") ? null : host;
  }

  @SafeVarargs
  private static <T> T firstOf(T... values) {
    for (T value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
