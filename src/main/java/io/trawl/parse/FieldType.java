package io.trawl.parse;

import io.trawl.core.UrlNormalizer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;

/**
 * A field's {@code type}: what its text must be, and the JSON value it becomes. A text that is not
 * of the type becomes null (the field is then empty, and a required one drops its item).
 * Stateless; parse pool.
 */
enum FieldType {
  STRING,
  /** A decimal number; thousands separators ({@code 1,299.50}) are ignored. */
  NUMBER,
  /** A whole number; thousands separators are ignored. */
  INTEGER,
  /**
   * A date or date-time, written back in ISO-8601: {@code 2024-03-05}, {@code 2024-03-05T10:00:00}
   * or {@code 2024-03-05T10:00:00+01:00}. Read from ISO-8601 (with an offset, a zone, or neither),
   * an HTTP date ({@code Tue, 5 Mar 2024 10:00:00 GMT}), or English dates like {@code March 14,
   * 1879}, {@code Mar 14, 1879} and {@code 14 March 1879}.
   */
  DATE,
  /** An http(s) URL, resolved against the page (a relative href is fine), absolute and normalized. */
  URL;

  private static final List<DateTimeFormatter> ENGLISH_DATES = List.of(
      english("MMMM d, uuuu"), english("MMM d, uuuu"), english("d MMMM uuuu"), english("d MMM uuuu"),
      english("MMMM d uuuu"), english("MMM. d, uuuu"));

  static FieldType of(String configName) {
    return valueOf(configName.toUpperCase(Locale.ROOT));
  }

  /** The JSON value of {@code text} as this type, or null when it is not one. */
  Object convert(String text, String baseUrl) {
    return switch (this) {
      case STRING -> text;
      case NUMBER -> number(text);
      case INTEGER -> integer(text);
      case DATE -> date(text.strip());
      case URL -> UrlNormalizer.resolve(baseUrl, text.strip()).orElse(null);
    };
  }

  private static Object number(String text) {
    try {
      return new BigDecimal(text.strip().replace(",", "")).doubleValue();
    } catch (NumberFormatException e) {
      return null; // documented: a value that is not a number becomes null
    }
  }

  private static Object integer(String text) {
    try {
      return Long.parseLong(text.strip().replace(",", ""));
    } catch (NumberFormatException e) {
      return null; // documented: a value that is not a whole number becomes null
    }
  }

  /** The date in ISO-8601, or null; each accepted form is tried in turn (a parse failure is the answer "not this form"). */
  static String date(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(text));
    } catch (DateTimeParseException notOffset) {
      // next form
    }
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(ZonedDateTime.parse(text, DateTimeFormatter.ISO_ZONED_DATE_TIME));
    } catch (DateTimeParseException notZoned) {
      // next form
    }
    try {
      return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(LocalDateTime.parse(text));
    } catch (DateTimeParseException notLocal) {
      // next form
    }
    try {
      return LocalDate.parse(text).toString();
    } catch (DateTimeParseException notIsoDate) {
      // next form
    }
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
    } catch (DateTimeParseException notHttpDate) {
      // next form
    }
    for (DateTimeFormatter format : ENGLISH_DATES) {
      try {
        return LocalDate.parse(text, format).toString();
      } catch (DateTimeParseException notThisOne) {
        // next form
      }
    }
    return null;
  }

  private static DateTimeFormatter english(String pattern) {
    return new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendPattern(pattern)
        .toFormatter(Locale.ENGLISH)
        .withResolverStyle(ResolverStyle.STRICT);
  }
}
