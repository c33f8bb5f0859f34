package io.trawl.config;

/**
 * A configuration that cannot be used: a bad value, an unknown key, or a config file that cannot
 * be read or parsed. Names where ({@link #keyPath()}: {@code fetch.per_host_rate},
 * {@code crawl.include[2]}, or the file for file-level errors), what was expected and what was
 * found, so the CLI can print it as is and exit 2.
 */
public final class ConfigException extends RuntimeException {
  private static final int MAX_GOT_CHARS = 80;

  private final String keyPath;
  private final String expected;
  private final String got;
  private final String unsetVariable;

  /**
   * A bad value: {@code fetch.per_host_rate: expected a rate like "2/s", got "fast"}.
   *
   * @param got the value as written, or null when there was none
   */
  public ConfigException(String keyPath, String expected, String got) {
    this(keyPath, expected, got, quoted(got), null, null);
  }

  private ConfigException(
      String keyPath, String expected, String got, String shownGot, Throwable cause, String unsetVariable) {
    super(keyPath + ": expected " + expected + ", got " + shownGot, cause);
    this.keyPath = keyPath;
    this.expected = expected;
    this.got = got;
    this.unsetVariable = unsetVariable;
  }

  /**
   * A value naming the environment variable {@code name} as {@code ${NAME}} while it is unset or
   * empty: {@code crawl.db: expected the environment variable DB_PASSWORD to be set, got "..."}.
   */
  static ConfigException unsetVariable(String keyPath, String name, String got) {
    return new ConfigException(keyPath, "the environment variable " + name + " to be set", got, quoted(got), null,
        name);
  }

  /** This refusal showing {@code got} as the value instead (the same value with its password masked, say). */
  ConfigException showing(String got) {
    return new ConfigException(keyPath, expected, got, quoted(got), getCause(), unsetVariable);
  }

  /**
   * A file that cannot be used as a whole: {@code config.yaml: expected valid YAML, got a syntax
   * error at line 3, column 9 (...)}. {@code problem} is shown unquoted.
   */
  public static ConfigException inFile(
      String file, String expected, String problem, Throwable cause) {
    return new ConfigException(file, expected, problem, problem, cause, null);
  }

  /** Where: a dotted key path ({@code crawl.include[2]}), or the file for file-level errors. */
  public String keyPath() {
    return keyPath;
  }

  /** What a valid value looks like, e.g. {@code a rate like "2/s"}. */
  public String expected() {
    return expected;
  }

  /** What was found, as written; null when the value was missing or empty. */
  public String got() {
    return got;
  }

  /**
   * Whether the only thing wrong is an environment variable the value names that is not set here:
   * the config may be right where it is used (a reading command's shell need not hold the crawl's
   * secrets).
   */
  public boolean isUnsetVariable() {
    return unsetVariable != null;
  }

  private static String quoted(String got) {
    if (got == null) {
      return "nothing";
    }
    String shown = got.length() > MAX_GOT_CHARS ? got.substring(0, MAX_GOT_CHARS) + "..." : got;
    return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
