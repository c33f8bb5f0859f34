package io.trawl.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@link TrawlConfig} as JSON in the shape of {@code config.yaml}: nested sections, snake_case
 * keys, durations, sizes and rates as their config strings ({@code "30s"}, {@code "10MB"},
 * {@code "2/s"}), paths as written. What {@code crawls.config} stores, and what a resumed crawl
 * compares its config with. A password in {@code crawl.db} is written as {@code ***}: it never
 * reaches {@code crawls.config} nor a printed diff.
 */
public final class ConfigJson {
  private ConfigJson() {}

  /**
   * {@code config} as JSON, each key printed as {@link ConfigKeys} declares it; a secret as
   * {@value ConfigKey#SECRET_SHOWN_AS}. Loading it back as YAML gives an equal config (unless it
   * holds a secret).
   */
  public static JsonObject toJson(TrawlConfig config) {
    return ConfigKeys.ROOT.toJson(config);
  }

  /** The {@code rules} list: each rule with only the keys it sets. */
  static JsonArray rules(List<TrawlConfig.Rule> rules) {
    JsonArray list = new JsonArray();
    for (TrawlConfig.Rule rule : rules) {
      JsonObject json = new JsonObject().put("name", rule.name());
      putIfSet(json, "url", rule.url());
      putIfSet(json, "select", rule.select());
      rule.follow().ifPresent(follow -> json.put("follow", new JsonArray(new ArrayList<Object>(follow))));
      if (!rule.fields().isEmpty()) {
        json.put("fields", fields(rule.fields()));
      }
      if (!rule.structured().isEmpty()) {
        json.put("structured", new JsonArray(new ArrayList<Object>(rule.structured())));
      }
      if (!rule.key().isEmpty()) {
        json.put("key", new JsonArray(new ArrayList<Object>(rule.key())));
      }
      list.add(json);
    }
    return list;
  }

  /** Fields with only the keys that differ from their defaults; a plain selector field as its selector. */
  private static JsonObject fields(Map<String, TrawlConfig.Field> fields) {
    JsonObject json = new JsonObject();
    fields.forEach((name, field) -> {
      JsonObject f = new JsonObject();
      putIfSet(f, "css", field.css());
      putIfSet(f, "xpath", field.xpath());
      putIfSet(f, "jsonld", field.jsonld());
      putIfSet(f, "jsonld_type", field.jsonldType());
      if (!field.take().equals("text")) {
        f.put("take", field.take());
      }
      putIfSet(f, "attr", field.attr());
      if (field.all()) {
        f.put("all", true);
      }
      putIfSet(f, "regex", field.regex());
      if (!field.trim()) {
        f.put("trim", false);
      }
      if (!field.type().equals("string")) {
        f.put("type", field.type());
      }
      if (field.required()) {
        f.put("required", true);
      }
      if (!field.fields().isEmpty()) {
        f.put("fields", fields(field.fields()));
      }
      json.put(name, f.size() == 1 && f.containsKey("css") ? field.css() : f);
    });
    return json;
  }

  private static void putIfSet(JsonObject json, String key, String value) {
    if (!value.isEmpty()) {
      json.put(key, value);
    }
  }

  /**
   * One line per key whose value differs, in config order: {@code fetch.per_host_rate: 1/s ->
   * 2/s}. Empty when the two configs are equal.
   */
  public static List<String> diff(TrawlConfig before, TrawlConfig after) {
    return diff(toJson(before), toJson(after));
  }

  /**
   * The same for two configs in their JSON form, e.g. one read back from {@code crawls.config}
   * (where numbers may come back as another Java type, so values compare by their JSON text).
   */
  public static List<String> diff(JsonObject before, JsonObject after) {
    Map<String, Object> old = flatten(before);
    Map<String, Object> now = flatten(after);
    List<String> lines = new ArrayList<>();
    old.forEach(
        (keyPath, value) -> {
          if (!Objects.equals(shown(value), shown(now.get(keyPath)))) {
            lines.add(keyPath + ": " + shown(value) + " -> " + shown(now.get(keyPath)));
          }
        });
    now.forEach(
        (keyPath, value) -> {
          if (!old.containsKey(keyPath)) {
            lines.add(keyPath + ": (unset) -> " + shown(value));
          }
        });
    return lines;
  }

  private static Map<String, Object> flatten(JsonObject config) {
    Map<String, Object> keys = new LinkedHashMap<>();
    for (String section : config.fieldNames()) {
      Object values = config.getValue(section);
      if (values instanceof JsonObject keysOfSection) {
        keysOfSection.forEach(entry -> keys.put(section + "." + entry.getKey(), entry.getValue()));
      } else if (values instanceof JsonArray rules) {
        // rules: one entry per rule, by name, so that a changed rule is named in the diff
        for (Object rule : rules) {
          JsonObject r = (JsonObject) rule;
          keys.put(section + "." + r.getString("name"), r.encode());
        }
      }
    }
    return keys;
  }

  private static String shown(Object value) {
    return value instanceof JsonArray list ? list.encode() : String.valueOf(value);
  }

  private static final Pattern URL_PASSWORD = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/@?#:]*:)[^@/?#]*@");
  private static final Pattern PARAM_PASSWORD = Pattern.compile("([?&]password=)[^&]*");

  /** {@code location} with the password of a {@code scheme://user:password@...} URL (or its {@code password=} parameter) as {@code ***}. */
  public static String maskPassword(String location) {
    String masked = URL_PASSWORD.matcher(location).replaceFirst("$1***@");
    return PARAM_PASSWORD.matcher(masked).replaceAll("$1***");
  }
}
