package io.trawl.config;

/**
 * A value typed on the command line ({@code --set fetch.per_host_rate=2/s}): text to be read as
 * whatever type its key wants, whereas a YAML value must already have that type.
 */
record OverrideValue(String text) {
  @Override
  public String toString() {
    return text;
  }
}
