package io.trawl.config;

import java.time.Duration;
import java.util.Optional;

/** Parses rates: {@code 2/s}, {@code 30/m}, {@code 100/h}, {@code 1/5s} (N per duration). */
public final class Rates {
  private Rates() {}

  public static Optional<Rate> parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    int permits;
    try {
      permits = Integer.parseInt(s.substring(0, slash).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    String per = s.substring(slash + 1).trim();
    Optional<Duration> period = switch (per) {
      case "s", "sec" -> Optional.of(Duration.ofSeconds(1));
      case "m", "min" -> Optional.of(Duration.ofMinutes(1));
      case "h" -> Optional.of(Duration.ofHours(1));
      default -> Durations.parse(per);
    };
    if (permits <= 0 || period.isEmpty() || period.get().isZero()) {
      return Optional.empty();
    }
    return Optional.of(new Rate(permits, period.get()));
  }
}
