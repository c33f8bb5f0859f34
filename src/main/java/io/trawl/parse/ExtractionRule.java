package io.trawl.parse;

import io.trawl.config.TrawlConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;
import org.jsoup.select.Selector;

/**
 * One {@code rules} entry compiled once: its URL pattern, item selector, fields and follow
 * selectors as Jsoup {@link Evaluator}s and {@link Pattern}s. Immutable and thread-safe (Jsoup's
 * evaluators keep their per-query state per thread); used on the parse pool.
 */
final class ExtractionRule {
  private final String name;
  private final Pattern url;
  private final Evaluator select;
  private final List<Field> fields;
  private final Optional<List<Evaluator>> follow;

  ExtractionRule(TrawlConfig.Rule rule) {
    this.name = rule.name();
    this.url = rule.url().isEmpty() ? null : Pattern.compile(rule.url());
    this.select = rule.select().isEmpty() ? null : Selector.evaluatorOf(rule.select());
    this.fields = compile(rule.fields());
    this.follow = rule.follow().map(selectors -> selectors.stream().map(Selector::evaluatorOf).toList());
  }

  String name() {
    return name;
  }

  /** Whether the rule applies to a page fetched as {@code url} that ended at {@code finalUrl}. */
  boolean appliesTo(String url, String finalUrl) {
    return this.url == null || this.url.matcher(finalUrl).find() || (!url.equals(finalUrl) && this.url.matcher(url).find());
  }

  /** The rule's items on the page: one per {@code select} match, or one for the page. */
  List<JsonObject> items(Element document) {
    if (fields.isEmpty()) {
      return List.of();
    }
    List<JsonObject> items = new ArrayList<>();
    if (select == null) {
      addIfKept(record(fields, document), items);
    } else {
      for (Element root : document.select(select)) {
        addIfKept(record(fields, root), items);
      }
    }
    return items;
  }

  /** The follow selectors, or empty when the rule does not restrict which links are followed. */
  Optional<List<Evaluator>> follow() {
    return follow;
  }

  private static void addIfKept(JsonObject record, List<JsonObject> into) {
    if (record != null) {
      into.add(record);
    }
  }

  /** The fields of {@code root} as an object, or null when a required field is missing. */
  private static JsonObject record(List<Field> fields, Element root) {
    JsonObject record = new JsonObject();
    for (Field field : fields) {
      Object value = field.value(root);
      if (field.required && isMissing(value)) {
        return null;
      }
      record.put(field.name, value);
    }
    return record;
  }

  private static boolean isMissing(Object value) {
    return value == null
        || (value instanceof String s && s.isEmpty())
        || (value instanceof JsonArray a && a.isEmpty());
  }

  private static List<Field> compile(Map<String, TrawlConfig.Field> fields) {
    List<Field> compiled = new ArrayList<>(fields.size());
    fields.forEach((name, field) -> compiled.add(new Field(name, field)));
    return List.copyOf(compiled);
  }

  /** A compiled field: where to look, what to take, how to clean it. */
  private static final class Field {
    private final String name;
    private final Evaluator css;
    private final String take;
    private final String attr;
    private final boolean all;
    private final Pattern regex;
    private final boolean trim;
    private final String type;
    private final boolean required;
    private final List<Field> nested;

    Field(String name, TrawlConfig.Field field) {
      this.name = name;
      this.css = field.css().isEmpty() ? null : Selector.evaluatorOf(field.css());
      this.take = field.take();
      this.attr = field.attr();
      this.all = field.all();
      this.regex = field.regex().isEmpty() ? null : Pattern.compile(field.regex());
      this.trim = field.trim();
      this.type = field.type();
      this.required = field.required();
      this.nested = compile(field.fields());
    }

    /** The field's value inside {@code root}: a JSON scalar, object, array, or null. */
    Object value(Element root) {
      if (all) {
        JsonArray values = new JsonArray();
        for (Element match : css == null ? List.of(root) : root.select(css)) {
          Object value = valueOf(match);
          if (value != null) {
            values.add(value);
          }
        }
        return values;
      }
      Element match = css == null ? root : root.selectFirst(css);
      return match == null ? null : valueOf(match);
    }

    private Object valueOf(Element match) {
      return nested.isEmpty() ? scalar(match) : record(nested, match);
    }

    private Object scalar(Element e) {
      String text = taken(e);
      if (text == null) {
        return null;
      }
      if (regex != null) {
        Matcher m = regex.matcher(text);
        if (!m.find()) {
          return null;
        }
        text = m.groupCount() > 0 ? m.group(1) : m.group();
        if (text == null) {
          return null;
        }
      }
      if (trim) {
        text = text.strip();
      }
      return typed(text);
    }

    private String taken(Element e) {
      if (!attr.isEmpty()) {
        return e.hasAttr(attr) ? e.attr(attr) : null;
      }
      return switch (take) {
        case "own_text" -> e.ownText();
        case "html" -> e.html();
        case "outer_html" -> e.outerHtml();
        default -> e.text();
      };
    }

    private Object typed(String text) {
      try {
        return switch (type) {
          case "number" -> new BigDecimal(text.strip().replace(",", "")).doubleValue();
          case "integer" -> Long.parseLong(text.strip().replace(",", ""));
          default -> text;
        };
      } catch (NumberFormatException e) {
        return null; // documented: a value that is not a number becomes null
      }
    }
  }
}
