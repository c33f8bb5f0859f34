package io.trawl.config;

import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The keys of one section of {@code config.yaml}, in order, and the record of {@link TrawlConfig}
 * that holds their values: one component per key, named as the key in camelCase ({@code
 * per_host_rate} → {@code perHostRate}), in the same order. Reads a section into that record
 * (refusing unknown keys with the closest one), prints the record as JSON, and lists the
 * README's rows. Checked when built: a key without its component, or a component without its key
 * or of another type than the key's default, fails the class's initialization, so any test that
 * loads a config finds it. Immutable; used from whichever thread loads or prints a config.
 *
 * @param <R> the section's record
 */
final class KeyTable<R extends Record> {
  /** One row of the README's config table: {@code | `fetch.per_host_rate` | `1/s` | ... |}. */
  record Row(String keyPath, String fallback, String meaning) {}

  private final Class<R> type;
  private final List<ConfigKey<?>> keys;
  private final List<Method> accessors;
  private final Constructor<R> constructor;
  private final List<BiConsumer<R, ConfigSection>> checks;

  private KeyTable(Class<R> type, List<ConfigKey<?>> keys, List<BiConsumer<R, ConfigSection>> checks) {
    this.type = type;
    this.keys = List.copyOf(keys);
    this.checks = List.copyOf(checks);
    RecordComponent[] components = type.getRecordComponents();
    List<String> componentKeys = Arrays.stream(components).map(c -> snakeCase(c.getName())).toList();
    List<String> names = names();
    if (!componentKeys.equals(names)) {
      throw new IllegalStateException(type.getName() + " has the components " + componentKeys
          + " (in snake_case) but its table declares the keys " + names + ": they must match, in order");
    }
    for (int i = 0; i < components.length; i++) {
      Object fallback = this.keys.get(i).fallback();
      if (fallback != null && !boxed(components[i].getType()).isInstance(fallback)) {
        throw new IllegalStateException(type.getName() + "." + components[i].getName() + " is a "
            + components[i].getType().getName() + " but the default of its key is a " + fallback.getClass().getName());
      }
    }
    this.accessors = Arrays.stream(components).map(RecordComponent::getAccessor).toList();
    try {
      this.constructor = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("a record has its canonical constructor", e);
    }
  }

  /** The table of {@code keys}, held by the record {@code type}. */
  static <R extends Record> KeyTable<R> of(Class<R> type, ConfigKey<?>... keys) {
    return new KeyTable<>(type, List.of(keys), List.of());
  }

  /**
   * This table, checking each record read with {@code check} as well: a rule between keys, such
   * as {@code retry.max_delay >= retry.initial_delay}, refused with a {@link ConfigException}
   * whose path comes from the section ({@code section.keyPath("max_delay")}).
   */
  KeyTable<R> checking(BiConsumer<R, ConfigSection> check) {
    List<BiConsumer<R, ConfigSection>> all = new ArrayList<>(checks);
    all.add(check);
    return new KeyTable<>(type, keys, all);
  }

  /** The key names, in order. */
  List<String> names() {
    return keys.stream().map(ConfigKey::name).toList();
  }

  /**
   * The path of every key holding a value, sections' keys included: {@code per_host_rate}, {@code
   * auth.basic.user}.
   */
  List<String> keyPaths() {
    return rows("").stream().map(Row::keyPath).toList();
  }

  /** The key at {@code path}, one of {@link #keyPaths}: {@code auth.basic.user} in a section's table. */
  Optional<ConfigKey<?>> keyAt(String path) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      return key(path);
    }
    return key(path.substring(0, dot))
        .filter(ConfigKey::isSection)
        .flatMap(section -> section.table().keyAt(path.substring(dot + 1)));
  }

  /** The key called {@code name}. */
  Optional<ConfigKey<?>> key(String name) {
    return keys.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  /** The record of every key's default. */
  R defaults() {
    return read(new ConfigSection("", Map.of()));
  }

  /** The record of the keys in {@code section}, defaults for those absent; refuses a key not in this table. */
  R read(ConfigSection section) {
    Object[] values = new Object[keys.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = section.get(keys.get(i));
    }
    section.refuseUnknownKeys();
    R record = construct(values);
    checks.forEach(check -> check.accept(record, section));
    return record;
  }

  /** {@code record} as a JSON object of its keys, in order, each printed by its key. */
  JsonObject toJson(R record) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < keys.size(); i++) {
      json.put(keys.get(i).name(), keys.get(i).print(component(record, i)));
    }
    return json;
  }

  /** The README rows of the keys, their paths under {@code prefix} ("" or {@code "fetch."}). */
  List<Row> rows(String prefix) {
    return keys.stream().flatMap(key -> key.rows(prefix).stream()).toList();
  }

  private R construct(Object[] values) {
    try {
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException refused) {
        throw refused;
      }
      throw new IllegalStateException("building a " + type.getName(), e.getCause());
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      throw new IllegalStateException("a key of " + type.getName() + " read a value of another type than its component", e);
    }
  }

  private Object component(R record, int i) {
    try {
      return accessors.get(i).invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("reading " + type.getName() + "." + accessors.get(i).getName(), e);
    }
  }

  private static String snakeCase(String camelCase) {
    return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static Class<?> boxed(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return switch (type.getName()) {
      case "int" -> Integer.class;
      case "long" -> Long.class;
      case "double" -> Double.class;
      case "boolean" -> Boolean.class;
      default -> throw new IllegalStateException("no config key reads a " + type.getName());
    };
  }
}
