package io.trawl.config;

import java.time.Duration;

/**
 * A rate such as {@code 2/s}: {@code permits} per {@code period}. Written in config as
 * {@code N/s}, {@code N/m}, {@code N/h} or {@code N/<duration>} ({@code 1/5s}).
 */
public record Rate(int permits, Duration period) {
  public Rate {
    if (permits <= 0 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a rate needs positive permits and period");
    }
  }

  /** The even spacing between two permits, in nanoseconds. */
  public long intervalNanos() {
    return period.toNanos() / permits;
  }

  @Override
  public String toString() {
    return Rates.format(this);
  }
}
