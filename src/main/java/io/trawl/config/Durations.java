package io.trawl.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Parses and prints the config's durations: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 0}. */
public final class Durations {
  private Durations() {}

  /** The duration {@code text} denotes, or empty when it is not one. */
  public static Optional<Duration> parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    int unitAt = 0;
    while (unitAt < s.length() && (Character.isDigit(s.charAt(unitAt)) || s.charAt(unitAt) == '.')) {
      unitAt++;
    }
    if (unitAt == 0 || unitAt == s.length()) {
      return Optional.empty();
    }
    double amount;
    try {
      amount = Double.parseDouble(s.substring(0, unitAt));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    long nanosPerUnit = switch (s.substring(unitAt).trim()) {
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m", "min" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      case "d" -> 86_400_000_000_000L;
      default -> -1;
    };
    if (nanosPerUnit < 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.round(amount * nanosPerUnit)));
  }

  /** The shortest config spelling of {@code d}: {@code 1500ms}, {@code 30s}, {@code 2m}, {@code 1d}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0";
    }
    if (ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
