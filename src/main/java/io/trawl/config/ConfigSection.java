package io.trawl.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A map of config keys being read: hands out each key's {@link ConfigValue} under its full key
 * path, remembers which keys were asked for, and refuses the keys nobody asked for, suggesting
 * the closest known one. Reading a new section or list of rules is one more {@code get} call.
 */
final class ConfigSection {
  private final String path;
  private final Map<String, Object> entries = new LinkedHashMap<>();
  private final Set<String> known = new LinkedHashSet<>();

  /** {@code path} is the section's key path, "" for the document itself. */
  ConfigSection(String path, Map<?, ?> entries) {
    this.path = path;
    entries.forEach((key, value) -> this.entries.put(String.valueOf(key), value));
  }

  /** The value of {@code key} read by {@code read}, or {@code fallback} when the key is absent. */
  <T> T get(String key, T fallback, Function<ConfigValue, T> read) {
    known.add(key);
    if (!entries.containsKey(key)) {
      return fallback;
    }
    return read.apply(new ConfigValue(keyPath(key), entries.get(key)));
  }

  /** The nested section {@code key}; absent or empty ({@code fetch:} alone) reads as no keys. */
  ConfigSection section(String key) {
    known.add(key);
    Object raw = entries.get(key);
    return raw == null
        ? new ConfigSection(keyPath(key), Map.of())
        : new ConfigValue(keyPath(key), raw).asSection();
  }

  /** The keys present, in the file's order. */
  Set<String> keys() {
    return entries.keySet();
  }

  /** Whether {@code key} is present. */
  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** Refuses the first key that no {@code get} or {@code section} call asked for. */
  void refuseUnknownKeys() {
    for (String key : entries.keySet()) {
      if (!known.contains(key)) {
        String hint = ClosestKey.among(key, known).map(k -> " (did you mean " + k + "?)").orElse("");
        throw new ConfigException(keyPath(key), "one of " + String.join(", ", known) + hint, key);
      }
    }
  }

  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
