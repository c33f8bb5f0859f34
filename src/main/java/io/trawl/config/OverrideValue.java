package io.trawl.config;

/**
 * A value typed on the command line ({@code --max-pages 5000} → {@code crawl.max_pages}): text read as
 * whatever type its key wants, whereas a YAML value must already have that type.
 */
record OverrideValue(String text) {
  @Override
  public String toString() {
    return text;
  }
}
