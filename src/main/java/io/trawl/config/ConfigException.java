package io.trawl.config;

/**
 * A config value trawl refuses, named by its key path: {@code fetch.per_host_rate: expected a rate
 * like "2/s", got "fast"}. Exit code 2; nothing has run yet.
 */
public final class ConfigException extends RuntimeException {
  private final String keyPath;
  private final String expected;
  private final String got;

  public ConfigException(String keyPath, String expected, String got) {
    super(keyPath + ": expected " + expected + (got == null ? "" : ", got " + got));
    this.keyPath = keyPath;
    this.expected = expected;
    this.got = got;
  }

  public String keyPath() {
    return keyPath;
  }

  public String expected() {
    return expected;
  }

  public String got() {
    return got;
  }
}
