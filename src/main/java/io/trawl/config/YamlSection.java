package io.trawl.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A typed reader over one map of the parsed YAML that knows its key path, remembers which keys it
 * consumed, and refuses the rest. Values are YAML scalars or, for CLI overrides, strings that are
 * parsed the same way.
 */
final class YamlSection {
  private final String path;
  private final Map<String, Object> values;
  private final Set<String> known = new LinkedHashSet<>();

  YamlSection(String path, Map<String, Object> values) {
    this.path = path;
    this.values = values;
  }

  /** The sub-map at {@code key}, empty when absent. */
  static YamlSection of(String path, Object value) {
    if (value == null) {
      return new YamlSection(path, Map.of());
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new ConfigException(path, "a section (a map of keys)", describe(value));
    }
    Map<String, Object> values = new LinkedHashMap<>();
    map.forEach((k, v) -> values.put(String.valueOf(k), v));
    return new YamlSection(path, values);
  }

  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  Object raw(String key) {
    known.add(key);
    return values.get(key);
  }

  int integer(String key, int fallback, int min, int max) {
    long value = longValue(key, fallback, min, max);
    return (int) value;
  }

  long longValue(String key, long fallback, long min, long max) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    long n;
    if (v instanceof Integer || v instanceof Long) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s && s.trim().matches("-?\\d+")) {
      n = Long.parseLong(s.trim());
    } else {
      throw new ConfigException(keyPath(key), "a whole number", describe(v));
    }
    if (n < min || n > max) {
      throw new ConfigException(keyPath(key), "a whole number " + range(min, max), describe(v));
    }
    return n;
  }

  double number(String key, double fallback, double min) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    double n;
    if (v instanceof Number num) {
      n = num.doubleValue();
    } else {
      try {
        n = Double.parseDouble(String.valueOf(v).trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(keyPath(key), "a number", describe(v));
      }
    }
    if (n < min || Double.isNaN(n) || Double.isInfinite(n)) {
      throw new ConfigException(keyPath(key), "a number >= " + min, describe(v));
    }
    return n;
  }

  boolean bool(String key, boolean fallback) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.trim().equals("true") || s.trim().equals("false"))) {
      return Boolean.parseBoolean(s.trim());
    }
    throw new ConfigException(keyPath(key), "true or false", describe(v));
  }

  String string(String key, String fallback, boolean allowBlank) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s)) {
      throw new ConfigException(keyPath(key), "a string", describe(v));
    }
    if (!allowBlank && s.isBlank()) {
      throw new ConfigException(keyPath(key), "a non-empty string", describe(v));
    }
    return s;
  }

  Path path(String key, Path fallback) {
    String s = string(key, null, false);
    return s == null ? fallback : Path.of(s);
  }

  Duration duration(String key, Duration fallback) {
    return parsed(key, fallback, "a duration like \"30s\", \"500ms\" or \"5m\"", text -> {
      if (!text.trim().equals("0") && text.trim().chars().allMatch(Character::isDigit)) {
        return null;
      }
      return Durations.parse(text).orElse(null);
    });
  }

  DataSize size(String key, DataSize fallback) {
    return parsed(key, fallback, "a size like \"10MB\" or \"512KB\"", text -> DataSizes.parse(text).orElse(null));
  }

  Rate rate(String key, Rate fallback) {
    return parsed(key, fallback, "a rate like \"2/s\"", text -> Rates.parse(text).orElse(null));
  }

  private <T> T parsed(String key, T fallback, String expected, Function<String, T> parser) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String) && !(v instanceof Number)) {
      throw new ConfigException(keyPath(key), expected, describe(v));
    }
    T value = parser.apply(String.valueOf(v));
    if (value == null) {
      throw new ConfigException(keyPath(key), expected, describe(v));
    }
    return value;
  }

  /** A list of strings; a CLI override may give them comma-separated. */
  List<String> strings(String key) {
    Object v = raw(key);
    if (v == null) {
      return List.of();
    }
    List<?> items;
    if (v instanceof List<?> list) {
      items = list;
    } else if (v instanceof String s) {
      items = s.isBlank() ? List.of() : List.of(s.split(","));
    } else {
      throw new ConfigException(keyPath(key), "a list", describe(v));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (!(item instanceof String) && !(item instanceof Number)) {
        throw new ConfigException(keyPath(key) + "[" + i + "]", "a string", describe(item));
      }
      out.add(String.valueOf(item).trim());
    }
    return out;
  }

  List<String> regexes(String key) {
    List<String> patterns = strings(key);
    for (int i = 0; i < patterns.size(); i++) {
      try {
        Pattern.compile(patterns.get(i));
      } catch (PatternSyntaxException e) {
        throw new ConfigException(keyPath(key) + "[" + i + "]", "a valid regex (" + e.getDescription() + ")",
            describe(patterns.get(i)));
      }
    }
    return patterns;
  }

  List<Integer> integers(String key, List<Integer> fallback, int min, int max) {
    if (values.get(key) == null) {
      raw(key);
      return fallback;
    }
    List<String> items = strings(key);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i);
      int n;
      try {
        n = Integer.parseInt(item);
      } catch (NumberFormatException e) {
        throw new ConfigException(keyPath(key) + "[" + i + "]", "a whole number " + range(min, max), describe(item));
      }
      if (n < min || n > max) {
        throw new ConfigException(keyPath(key) + "[" + i + "]", "a whole number " + range(min, max), describe(item));
      }
      out.add(n);
    }
    return out;
  }

  /** Refuses any key that no reader asked for, suggesting the closest known one. */
  void refuseUnknown() {
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw new ConfigException(keyPath(key), "one of " + String.join(", ", known) + suggestion(key), "an unknown key");
      }
    }
  }

  private String suggestion(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(key, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? " (did you mean " + best + "?)" : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String range(long min, long max) {
    if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
      return ">= " + min;
    }
    return "from " + min + " to " + max;
  }

  static String describe(Object value) {
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    if (value instanceof Map) {
      return "a map";
    }
    if (value instanceof List) {
      return "a list";
    }
    return String.valueOf(value);
  }
}
