package io.trawl.config;

/** A size in bytes, written in config as {@code 512B}, {@code 64KB}, {@code 10MB}, {@code 1GB} (powers of 1024). */
public record DataSize(long bytes) {
  public DataSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative");
    }
  }

  public static DataSize ofMegabytes(long mb) {
    return new DataSize(mb * 1024 * 1024);
  }

  @Override
  public String toString() {
    return DataSizes.format(this);
  }
}
