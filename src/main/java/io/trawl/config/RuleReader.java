package io.trawl.config;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import io.trawl.core.JsonPath;
import org.jsoup.nodes.Document;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;

/**
 * Reads and checks the {@code rules} list of {@code config.yaml}: every CSS selector and XPath must
 * parse with Jsoup, every regex with {@link Pattern} and every JSON-LD path with {@link JsonPath},
 * and keys must name the rule's fields, so a bad rule is refused at load time with its key path
 * ({@code rules[1].fields.price.css}) rather than failing page by page.
 */
final class RuleReader {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  private static final List<String> TAKES = List.of("text", "own_text", "html", "outer_html");
  private static final List<String> TYPES = List.of("string", "number", "integer", "date", "url");
  /** The {@code structured} kinds and the item key each is put under. */
  static final Map<String, String> STRUCTURED = Map.of("json-ld", "jsonld", "microdata", "microdata",
      "opengraph", "opengraph");
  private static final List<String> STRUCTURED_KINDS = List.of("json-ld", "microdata", "opengraph");
  /** An XPath whose last step is an attribute or text node: Jsoup's selectXpath gives elements only. */
  private static final Pattern NOT_ELEMENTS = Pattern.compile(".*(/@[\\w:*-]+|text\\(\\)|/@\\*)\\s*$");
  private static final int MAX_NESTING = 8;

  private RuleReader() {}

  static List<TrawlConfig.Rule> rules(ConfigValue v) {
    List<TrawlConfig.Rule> rules = v.asList(RuleReader::rule);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      if (!names.add(rules.get(i).name())) {
        throw new ConfigException(v.path() + "[" + i + "].name", "a name no other rule has", rules.get(i).name());
      }
    }
    return rules;
  }

  private static TrawlConfig.Rule rule(ConfigValue v) {
    ConfigSection s = v.asSection();
    String name = s.get("name", null, RuleReader::name);
    if (name == null) {
      throw new ConfigException(s.keyPath("name"), "a name for the rule, like quotes", null);
    }
    String url = s.get("url", "", ConfigValue::asRegex);
    String select = s.get("select", "", RuleReader::selector);
    Optional<List<String>> follow = s.get("follow", Optional.empty(), f -> Optional.of(f.asList(RuleReader::selector)));
    Map<String, TrawlConfig.Field> fields = s.get("fields", Map.of(), f -> fields(f, 1));
    List<String> structured = s.get("structured", List.of(), RuleReader::structured);
    List<String> key = s.get("key", List.of(), k -> key(k, fields));
    s.refuseUnknownKeys();
    if (fields.isEmpty() && follow.isEmpty() && structured.isEmpty()) {
      throw new ConfigException(s.keyPath("fields"), "at least one field (or a follow or structured list)", null);
    }
    for (String kind : structured) {
      String itemKey = STRUCTURED.get(kind);
      if (fields.containsKey(itemKey)) {
        throw new ConfigException(s.keyPath("fields") + "." + itemKey,
            "a field name other than " + itemKey + ", which structured: [" + kind + "] fills", itemKey);
      }
    }
    return new TrawlConfig.Rule(name, url, select, fields, follow, structured, key);
  }

  private static List<String> structured(ConfigValue v) {
    List<String> kinds = v.asList(k -> oneOf(k, STRUCTURED_KINDS));
    return List.copyOf(new LinkedHashSet<>(kinds));
  }

  /** {@code key: sku} or {@code key: [shop, sku]}: top-level fields of the rule. */
  private static List<String> key(ConfigValue v, Map<String, TrawlConfig.Field> fields) {
    List<String> key = v.isString() ? List.of(keyField(v, fields)) : v.asList(k -> keyField(k, fields));
    if (key.isEmpty()) {
      throw v.refuse("one field name or a list of them");
    }
    return List.copyOf(new LinkedHashSet<>(key));
  }

  private static String keyField(ConfigValue v, Map<String, TrawlConfig.Field> fields) {
    String name = v.asText().trim();
    if (!fields.containsKey(name)) {
      throw v.refuse("a field of the rule (" + String.join(", ", fields.keySet()) + ")");
    }
    return name;
  }

  private static Map<String, TrawlConfig.Field> fields(ConfigValue v, int depth) {
    if (depth > MAX_NESTING) {
      throw v.refuse("fields nested at most " + MAX_NESTING + " deep");
    }
    ConfigSection s = v.asSection();
    Map<String, TrawlConfig.Field> fields = new LinkedHashMap<>();
    for (String key : s.keys()) {
      if (!NAME.matcher(key).matches()) {
        throw new ConfigException(s.keyPath(key), "a field name of letters, digits, _ and -", key);
      }
      fields.put(key, s.get(key, null, f -> field(f, depth)));
    }
    if (fields.isEmpty()) {
      throw v.refuse("a map of fields, like {title: h1}");
    }
    return Collections.unmodifiableMap(fields);
  }

  /** A field: a selector alone, or a map of its keys. */
  private static TrawlConfig.Field field(ConfigValue v, int depth) {
    if (v.isString()) {
      return new TrawlConfig.Field(selector(v), "", "", "", "text", "", false, "", true, "string", false, Map.of());
    }
    ConfigSection s = v.asSection();
    String css = s.get("css", "", RuleReader::selector);
    String xpath = s.get("xpath", "", RuleReader::xpath);
    String jsonld = s.get("jsonld", "", RuleReader::jsonPath);
    String jsonldType = s.get("jsonld_type", "", ConfigValue::asText).trim();
    String take = s.get("take", null, t -> oneOf(t, TAKES));
    String attr = s.get("attr", "", RuleReader::attribute);
    boolean all = s.get("all", false, ConfigValue::asBoolean);
    String regex = s.get("regex", "", ConfigValue::asRegex);
    boolean trim = s.get("trim", true, ConfigValue::asBoolean);
    String type = s.get("type", null, t -> oneOf(t, TYPES));
    boolean required = s.get("required", false, ConfigValue::asBoolean);
    Map<String, TrawlConfig.Field> nested = s.get("fields", Map.of(), f -> fields(f, depth + 1));
    s.refuseUnknownKeys();
    if (take != null && !attr.isEmpty()) {
      throw new ConfigException(s.keyPath("attr"), "either take or attr, not both", attr);
    }
    List<String> sources = List.of("css", "xpath", "jsonld").stream().filter(s::has).toList();
    if (sources.size() > 1) {
      throw new ConfigException(s.keyPath(sources.get(1)), "one of css, xpath and jsonld, not " + String.join(" and ",
          sources), sources.get(1));
    }
    if (!jsonldType.isEmpty() && jsonld.isEmpty()) {
      throw new ConfigException(s.keyPath("jsonld_type"), "jsonld_type only beside a jsonld path", jsonldType);
    }
    if (!jsonld.isEmpty()) {
      for (String elementKey : List.of("take", "attr", "fields")) {
        if (s.has(elementKey)) {
          throw new ConfigException(s.keyPath(elementKey), "no " + elementKey + " on a jsonld field (it reads JSON, not"
              + " elements)", elementKey);
        }
      }
    }
    if (!nested.isEmpty()) {
      for (String valueKey : List.of("take", "attr", "regex", "type")) {
        if (s.has(valueKey)) {
          throw new ConfigException(s.keyPath(valueKey), "no " + valueKey + " on a field with nested fields", valueKey);
        }
      }
    }
    return new TrawlConfig.Field(css, xpath, jsonld, jsonldType, take == null ? "text" : take, attr, all, regex, trim,
        type == null ? "string" : type, required, nested);
  }

  private static String name(ConfigValue v) {
    String name = v.asText().trim();
    if (!NAME.matcher(name).matches()) {
      throw v.refuse("a rule name of letters, digits, _ and -, like quotes");
    }
    return name;
  }

  private static String oneOf(ConfigValue v, List<String> choices) {
    String s = v.asText().trim();
    if (!choices.contains(s)) {
      throw v.refuse("one of " + String.join(", ", choices));
    }
    return s;
  }

  private static String attribute(ConfigValue v) {
    String attr = v.asText().trim();
    String name = attr.startsWith("abs:") ? attr.substring(4) : attr;
    if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c) || "\"'>/=".indexOf(c) >= 0)) {
      throw v.refuse("an attribute name like href, or abs:href for an absolute URL");
    }
    return attr;
  }

  /**
   * An XPath that Jsoup can evaluate to elements: compiled by Jsoup's own {@code selectXpath} on an
   * empty document, the engine the parse stage runs it with.
   */
  private static String xpath(ConfigValue v) {
    String xpath = v.asText().trim();
    if (NOT_ELEMENTS.matcher(xpath).matches()) {
      throw v.refuse("an XPath selecting elements (Jsoup's selectXpath gives elements: select the element and use"
          + " attr: or take: instead of /@name or text())");
    }
    try {
      Document.createShell("").selectXpath(xpath);
    } catch (Selector.SelectorParseException | IllegalArgumentException e) {
      throw v.refuse("an XPath expression Jsoup can evaluate (" + e.getMessage() + ")");
    }
    return xpath;
  }

  private static String jsonPath(ConfigValue v) {
    String path = v.asText().trim();
    try {
      JsonPath.compile(path);
    } catch (IllegalArgumentException e) {
      throw v.refuse("a JSON-LD path like $.offers.price (" + e.getMessage() + ")");
    }
    return path;
  }

  static String selector(ConfigValue v) {
    String css = v.asText().trim();
    try {
      QueryParser.parse(css);
    } catch (Selector.SelectorParseException | IllegalArgumentException e) {
      throw v.refuse("a CSS selector Jsoup can parse (" + e.getMessage() + ")");
    }
    return css;
  }
}
