package io.trawl.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses and prints rates: {@code 2/s}, {@code 30/m}, {@code 100/h}, {@code 1/5s} (N per a duration). */
public final class Rates {
  private static final Pattern PERMITS = Pattern.compile("[0-9]{1,9}");

  private Rates() {}

  /** The rate {@code text} denotes, or empty when it is not one (zero permits or period included). */
  public static Optional<Rate> parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    int slash = s.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String permitsText = s.substring(0, slash).trim();
    String periodText = s.substring(slash + 1).trim();
    if (!PERMITS.matcher(permitsText).matches() || periodText.isEmpty()) {
      return Optional.empty();
    }
    int permits = Integer.parseInt(permitsText);
    if (Character.isLetter(periodText.charAt(0))) {
      periodText = "1" + periodText; // "2/s" reads as two per one second
    }
    Optional<Duration> period = Durations.parse(periodText);
    if (permits == 0 || period.isEmpty() || period.get().isZero()) {
      return Optional.empty();
    }
    return Optional.of(new Rate(permits, period.get()));
  }

  /** The config spelling of {@code rate}: {@code 2/s} rather than {@code 2/1s}; {@code 1/5s}. */
  public static String format(Rate rate) {
    String period = Durations.format(rate.period());
    if (period.length() > 1 && period.charAt(0) == '1' && Character.isLetter(period.charAt(1))) {
      period = period.substring(1);
    }
    return rate.permits() + "/" + period;
  }
}
