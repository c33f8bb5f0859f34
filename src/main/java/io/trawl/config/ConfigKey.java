package io.trawl.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One key of a {@link KeyTable}: its name, its default, how its value is read (and checked), how
 * it is printed to JSON, and its meaning as the README's config table gives it. A section ({@code
 * fetch:}) is a key too, whose value is read by the section's own table. Immutable; built once in
 * {@link ConfigKeys}.
 *
 * @param <T> the value's type, that of the record component holding it
 */
final class ConfigKey<T> {
  /** What a secret value is shown as, wherever a value is shown. */
  static final String SECRET_SHOWN_AS = "***";

  private final String name;
  private final T fallback;
  private final Function<ConfigValue, T> reader;
  private final Function<? super T, Object> printer;
  private final String meaning;
  private final boolean secret;
  private final KeyTable<?> table;
  private final String entryWord;
  private final boolean map;

  private ConfigKey(String name, T fallback, Function<ConfigValue, T> reader,
      Function<? super T, Object> printer, String meaning, boolean secret, KeyTable<?> table, String entryWord,
      boolean map) {
    this.name = Objects.requireNonNull(name);
    this.fallback = fallback;
    this.reader = Objects.requireNonNull(reader);
    this.printer = Objects.requireNonNull(printer);
    this.meaning = Objects.requireNonNull(meaning);
    this.secret = secret;
    this.table = table;
    this.entryWord = entryWord;
    this.map = map;
  }

  /**
   * A key read by {@code reader} (which refuses a bad value with {@link ConfigValue#refuse}),
   * {@code fallback} when absent, printed as {@link #printed}.
   *
   * @param meaning the README's meaning of the key, verbatim (Markdown)
   */
  static <T> ConfigKey<T> key(String name, T fallback, Function<ConfigValue, T> reader, String meaning) {
    return new ConfigKey<>(name, fallback, reader, ConfigKey::printed, meaning, false, null, null, false);
  }

  /** A section: a map of the keys of {@code table}; absent or empty ({@code fetch:}) is all defaults. */
  static <R extends Record> ConfigKey<R> section(String name, KeyTable<R> table) {
    return new ConfigKey<>(name, table.defaults(), v -> table.read(v.asSectionOrEmpty()), table::toJson, "", false,
        table, null, false);
  }

  /**
   * A section keyed by the user ({@code hosts:} keyed by host pattern): a map whose every entry is
   * a map of the keys of {@code table}, read under the key path {@code name."<entry>"} (quoted: an
   * entry such as {@code *.example.org} holds dots). Each entry's own name is checked by {@code
   * entryName}, which gets it as a value at that path and returns it as kept (lowercased, say). The
   * README lists this key, then the keys of an entry as {@code name.<entryWord>.key}. Absent is an
   * empty map. {@code --set name.<entry>.key=value} sets one key of an entry (of a new one when no
   * entry of the file is named so).
   */
  static <R extends Record> ConfigKey<Map<String, R>> keyed(String name, String entryWord,
      Function<ConfigValue, String> entryName, KeyTable<R> table, String meaning) {
    Function<ConfigValue, Map<String, R>> reader = v -> {
      ConfigSection entries = v.asSectionOrEmpty();
      Map<String, R> read = new LinkedHashMap<>();
      for (String entry : entries.keys()) {
        String path = v.path() + ".\"" + entry + "\"";
        String kept = entryName.apply(new ConfigValue(path, entry));
        R record = table.read(new ConfigValue(path, entries.raw(entry)).asSectionOrEmpty());
        if (read.put(kept, record) != null) {
          throw new ConfigException(path, "an entry no other entry of " + v.path() + " names the same way", entry);
        }
      }
      return Collections.unmodifiableMap(read);
    };
    Function<Map<String, R>, Object> printer = entries -> {
      JsonObject json = new JsonObject();
      entries.forEach((entry, record) -> json.put(entry, table.toJson(record)));
      return json;
    };
    return new ConfigKey<>(name, Map.of(), reader, printer, meaning, false, table, entryWord, false);
  }

  /** This key printed by {@code printer} instead of by its value's type. */
  ConfigKey<T> printedWith(Function<? super T, Object> printer) {
    return new ConfigKey<>(name, fallback, reader, printer, meaning, secret, table, entryWord, map);
  }

  /**
   * This key as a map of names the user chooses to values ({@code fetch.headers}, a login's
   * form): written in the file, which {@code --set} says of it rather than refusing its text as
   * no map.
   */
  ConfigKey<T> map() {
    return new ConfigKey<>(name, fallback, reader, printer, meaning, secret, table, entryWord, true);
  }

  /**
   * This key as a secret (a password, a token): its value is shown as {@value #SECRET_SHOWN_AS}
   * in {@code crawls.config}, the resume diff and error messages (of it and of its list
   * elements). Its record component still holds it: never log that record.
   */
  ConfigKey<T> secret() {
    return new ConfigKey<>(name, fallback, reader, printer, meaning, true, table, entryWord, map);
  }

  String name() {
    return name;
  }

  T fallback() {
    return fallback;
  }

  boolean isSecret() {
    return secret;
  }

  /** Whether this key is a section of keys rather than one value ({@code --set} may reach its keys). */
  boolean isSection() {
    return table != null && entryWord == null;
  }

  /** Whether this key is a section keyed by the user ({@code hosts:}), each entry read by {@link #table}. */
  boolean isKeyed() {
    return entryWord != null;
  }

  /** Whether this key's value is a map of names the user chooses ({@link #map}). */
  boolean isMap() {
    return map;
  }

  /** The table of a section's keys, or of each entry of a keyed section; null for a key of one value. */
  KeyTable<?> table() {
    return table;
  }

  /** The value {@code value} holds; a {@link ConfigException} naming its path if it is bad. */
  T read(ConfigValue value) {
    return reader.apply(value);
  }

  /** {@code value} (of this key's type) as JSON, or {@value #SECRET_SHOWN_AS} for a secret that is set. */
  Object print(Object value) {
    boolean nothing = value == null || "".equals(value) || value instanceof java.util.Collection<?> c && c.isEmpty();
    return secret && !nothing ? SECRET_SHOWN_AS : unmasked(value);
  }

  /** The README rows of this key under {@code prefix} ("" or {@code "fetch."}): one, or a section's. */
  List<KeyTable.Row> rows(String prefix) {
    KeyTable.Row own = new KeyTable.Row(prefix + name, text(unmasked(fallback)), meaning);
    if (table == null) {
      return List.of(own);
    }
    if (entryWord == null) {
      return table.rows(prefix + name + ".");
    }
    List<KeyTable.Row> rows = new ArrayList<>();
    rows.add(own);
    rows.addAll(table.rows(prefix + name + ".<" + entryWord + ">."));
    return rows;
  }

  @SuppressWarnings("unchecked") // KeyTable passes only values of the record component this key reads
  private Object unmasked(Object value) {
    return value == null ? null : printer.apply((T) value);
  }

  /**
   * The config spelling of a value, as JSON: durations, sizes and rates as written in {@code
   * config.yaml} ({@code "30s"}, {@code "10MB"}, {@code "2/s"}), paths as written, lists as
   * arrays, an empty {@link Optional} as null. A key of another type names its printer with {@link
   * #printedWith}.
   */
  static Object printed(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Optional<?> optional) {
      return optional.map(ConfigKey::printed).orElse(null);
    }
    if (value instanceof Duration duration) {
      return Durations.format(duration);
    }
    if (value instanceof DataSize size) {
      return DataSizes.format(size);
    }
    if (value instanceof Rate rate) {
      return Rates.format(rate);
    }
    if (value instanceof Path path) {
      return path.toString();
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>(list.size());
      list.forEach(item -> items.add(printed(item)));
      return new JsonArray(items);
    }
    throw new IllegalStateException("no printer for a " + value.getClass().getName() + ": give its key one with printedWith");
  }

  /** A printed value as the README's default column shows it: {@code 10s}, {@code [429, 500]}, {@code none}. */
  private static String text(Object printed) {
    if (printed == null) {
      return "none";
    }
    if (printed instanceof JsonArray list) {
      List<String> items = new ArrayList<>(list.size());
      list.forEach(item -> items.add(text(item)));
      return "[" + String.join(", ", items) + "]";
    }
    return String.valueOf(printed);
  }
}
