package io.trawl.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A map of config keys being read: hands out each key's {@link ConfigValue} under its full key
 * path, remembers which keys were asked for, and refuses the keys nobody asked for, suggesting
 * the closest known one. A {@link KeyTable} reads a section through it; so does {@link RuleReader}.
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

  /** The value of {@code key} read by its reader (hidden in errors if secret), or its default when absent. */
  <T> T get(ConfigKey<T> key) {
    known.add(key.name());
    if (!entries.containsKey(key.name())) {
      return key.fallback();
    }
    return key.read(new ConfigValue(keyPath(key.name()), entries.get(key.name()), key.isSecret()));
  }

  /** The keys present, in the file's order. */
  Set<String> keys() {
    return entries.keySet();
  }

  /** The value of {@code key} as written, for a reader of its own; marks the key as known. */
  Object raw(String key) {
    known.add(key);
    return entries.get(key);
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
