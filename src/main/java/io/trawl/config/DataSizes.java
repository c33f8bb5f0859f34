package io.trawl.config;

import java.util.Locale;
import java.util.Optional;

/** Parses and prints sizes: {@code 100B}, {@code 64KB}, {@code 10MB}, {@code 1GB} (powers of 1024; {@code KiB} spellings too). */
public final class DataSizes {
  private DataSizes() {}

  /** The size {@code text} denotes, or empty when it is not one. */
  public static Optional<DataSize> parse(String text) {
    String s = text.trim().toUpperCase(Locale.ROOT).replace("IB", "B");
    int unitAt = 0;
    while (unitAt < s.length() && (Character.isDigit(s.charAt(unitAt)) || s.charAt(unitAt) == '.')) {
      unitAt++;
    }
    if (unitAt == 0) {
      return Optional.empty();
    }
    double amount;
    try {
      amount = Double.parseDouble(s.substring(0, unitAt));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    long multiplier = switch (s.substring(unitAt).trim()) {
      case "", "B" -> 1L;
      case "K", "KB" -> 1L << 10;
      case "M", "MB" -> 1L << 20;
      case "G", "GB" -> 1L << 30;
      default -> -1L;
    };
    if (multiplier < 0) {
      return Optional.empty();
    }
    return Optional.of(new DataSize(Math.round(amount * multiplier)));
  }

  /** The shortest exact spelling of {@code size}. */
  public static String format(DataSize size) {
    long b = size.bytes();
    if (b != 0 && b % (1L << 30) == 0) {
      return b / (1L << 30) + "GB";
    }
    if (b != 0 && b % (1L << 20) == 0) {
      return b / (1L << 20) + "MB";
    }
    if (b != 0 && b % (1L << 10) == 0) {
      return b / (1L << 10) + "KB";
    }
    return b + "B";
  }
}
