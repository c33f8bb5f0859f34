package io.trawl.config;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One raw config value and its key path, read as the type its key wants. A YAML value must already
 * have that type ({@code max_pages: "10"} is refused); an {@link OverrideValue} is text and is
 * parsed. Every refusal is a {@link ConfigException} naming the key path.
 */
final class ConfigValue {
  private static final Pattern BARE_NUMBER = Pattern.compile("[-+]?[0-9.]+");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([^}]*)}");
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String path;
  private final Object raw;
  private final boolean secret;

  ConfigValue(String path, Object raw) {
    this(path, raw, false);
  }

  /** {@code secret}: a refusal shows {@value ConfigKey#SECRET_SHOWN_AS} instead of the value. */
  ConfigValue(String path, Object raw, boolean secret) {
    this.path = path;
    this.raw = raw;
    this.secret = secret;
  }

  String path() {
    return path;
  }

  int asInt(int min, int max) {
    return (int) asLong(min, max);
  }

  long asLong(long min, long max) {
    BigInteger n = integer().orElseThrow(() -> refuse("an integer"));
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw refuse("an integer " + range(min, max));
    }
    return n.longValue();
  }

  double asDouble(double min, double max) {
    double d;
    if (raw instanceof Number n && !(raw instanceof BigInteger)) {
      d = n.doubleValue();
    } else if (raw instanceof OverrideValue o) {
      try {
        d = Double.parseDouble(o.text().trim());
      } catch (NumberFormatException e) {
        throw refuse("a number");
      }
    } else {
      throw refuse("a number");
    }
    if (!Double.isFinite(d) || d < min || d > max) {
      throw refuse("a number " + range(min, max));
    }
    return d;
  }

  boolean asBoolean() {
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof OverrideValue o && o.text().trim().matches("(?i)true|false")) {
      return Boolean.parseBoolean(o.text().trim());
    }
    throw refuse("true or false");
  }

  String asString() {
    if (raw instanceof String || raw instanceof OverrideValue) {
      return raw.toString();
    }
    throw refuse("a string");
  }

  /** Whether the value is written as a number in the file. */
  boolean isNumber() {
    return raw instanceof Number;
  }

  /** Whether the value is written as the boolean {@code false} in the file. */
  boolean isFalse() {
    return Boolean.FALSE.equals(raw);
  }

  /** Whether the key is there with no value ({@code key:} or {@code key: null}). */
  boolean isNull() {
    return raw == null;
  }

  /** Whether the value is written as a string (or given on the command line). */
  boolean isString() {
    return raw instanceof String || raw instanceof OverrideValue;
  }

  /** A string with something in it besides spaces, on one line. */
  String asText() {
    String s = asString();
    if (s.isBlank() || s.chars().anyMatch(Character::isISOControl)) {
      throw refuse("a non-blank string on one line");
    }
    return s;
  }

  /**
   * {@link #asText} with each {@code ${NAME}} replaced by the environment variable {@code NAME}
   * ({@code $$} is a literal {@code $}): how a password or token is kept out of the file. An unset
   * or empty variable is refused, naming the variable (never the value).
   */
  String asTextWithVariables() {
    String written = asString();
    Matcher m = VARIABLE.matcher(written);
    StringBuilder expanded = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = "$";
      } else {
        String name = m.group(1);
        if (!VARIABLE_NAME.matcher(name).matches()) {
          throw refuse("${NAME} naming an environment variable (letters, digits and _), or $$ for a $");
        }
        replacement = System.getenv(name);
        if (replacement == null || replacement.isEmpty()) {
          throw ConfigException.unsetVariable(path, name, secret ? ConfigKey.SECRET_SHOWN_AS : written);
        }
      }
      m.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(expanded);
    String text = expanded.toString();
    if (text.isBlank() || text.chars().anyMatch(Character::isISOControl)) {
      throw refuse("a non-blank string on one line");
    }
    return text;
  }

  /** Whether the value is written with a {@code ${NAME}} environment variable in it. */
  boolean namesVariables() {
    return isString() && VARIABLE.matcher(raw.toString()).results().anyMatch(r -> r.group(1) != null);
  }

  Path asPath() {
    String s = asText();
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw refuse("a file path (" + e.getReason() + ")");
    }
  }

  /** A duration such as {@code 30s}; 0 may be written bare, any other number needs a unit. */
  Duration asDuration() {
    if (raw instanceof Integer i && i == 0) {
      return Duration.ZERO;
    }
    String expected = "a duration like \"30s\" or \"500ms\"";
    if (raw instanceof Number) {
      throw refuse(expected + " (a bare number is ambiguous)");
    }
    String s = asStringOr(expected);
    return Durations.parse(s)
        .orElseThrow(
            () ->
                BARE_NUMBER.matcher(s.trim()).matches()
                    ? refuse(expected + " (a bare number is ambiguous)")
                    : refuse(expected));
  }

  Duration asPositiveDuration() {
    Duration d = asDuration();
    if (d.isZero()) {
      throw refuse("a duration longer than 0, like \"30s\"");
    }
    return d;
  }

  /** A size such as {@code 10MB}; a bare integer is a number of bytes. */
  DataSize asSize() {
    String expected = "a size like \"10MB\", \"512KB\" or a number of bytes";
    if (raw instanceof Number) {
      return integer()
          .filter(n -> n.signum() >= 0 && n.bitLength() < Long.SIZE)
          .map(n -> new DataSize(n.longValue()))
          .orElseThrow(() -> refuse(expected));
    }
    return DataSizes.parse(asStringOr(expected)).orElseThrow(() -> refuse(expected));
  }

  /** A size larger than 0. */
  DataSize asPositiveSize() {
    DataSize size = asSize();
    if (size.bytes() == 0) {
      throw refuse("a size larger than 0, like \"10MB\"");
    }
    return size;
  }

  Rate asRate() {
    String expected = "a rate like \"2/s\"";
    return Rates.parse(asStringOr(expected)).orElseThrow(() -> refuse(expected));
  }

  /**
   * A list, each element read by {@code element} under the path {@code key[i]}. On the command
   * line a list is written comma-separated; an empty string is an empty list.
   */
  <T> List<T> asList(Function<ConfigValue, T> element) {
    List<?> items;
    if (raw instanceof List<?> list) {
      items = list;
    } else if (raw instanceof OverrideValue o) {
      items = o.text().isBlank() ? List.of() : splitOnCommas(o.text());
    } else {
      throw refuse("a list");
    }
    List<T> values = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      values.add(element.apply(new ConfigValue(path + "[" + i + "]", items.get(i), secret)));
    }
    return List.copyOf(values);
  }

  /** A non-empty regex that compiles. */
  String asRegex() {
    String regex = asString();
    if (regex.isEmpty()) {
      throw refuse("a non-empty regex");
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw refuse("a valid regex (" + e.getDescription() + " near index " + e.getIndex() + ")");
    }
    return regex;
  }

  /** A map of keys, e.g. one extraction rule in a list of them. */
  ConfigSection asSection() {
    if (raw instanceof Map<?, ?> map) {
      return new ConfigSection(path, map);
    }
    throw refuse("a map of keys");
  }

  /** A map of keys, where nothing ({@code fetch:} alone) is an empty one. */
  ConfigSection asSectionOrEmpty() {
    return raw == null ? new ConfigSection(path, Map.of()) : asSection();
  }

  /**
   * A refusal of this value: {@code path: expected <expected>, got "<value>"}, the value shown as
   * {@value ConfigKey#SECRET_SHOWN_AS} if it is secret.
   */
  ConfigException refuse(String expected) {
    if (raw == null) {
      return new ConfigException(path, expected, null);
    }
    return new ConfigException(path, expected, secret ? ConfigKey.SECRET_SHOWN_AS : raw.toString());
  }

  private String asStringOr(String expected) {
    if (raw instanceof String || raw instanceof OverrideValue) {
      return raw.toString();
    }
    throw refuse(expected);
  }

  private Optional<BigInteger> integer() {
    if (raw instanceof Integer || raw instanceof Long) {
      return Optional.of(BigInteger.valueOf(((Number) raw).longValue()));
    }
    if (raw instanceof BigInteger b) {
      return Optional.of(b);
    }
    if (raw instanceof OverrideValue o && o.text().trim().matches("[-+]?[0-9]+")) {
      return Optional.of(new BigInteger(o.text().trim()));
    }
    return Optional.empty();
  }

  private static List<OverrideValue> splitOnCommas(String text) {
    List<OverrideValue> parts = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      parts.add(new OverrideValue(part.trim()));
    }
    return parts;
  }

  private static String range(double min, double max) {
    if (max >= Integer.MAX_VALUE) {
      return ">= " + plain(min);
    }
    return "from " + plain(min) + " to " + plain(max);
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
