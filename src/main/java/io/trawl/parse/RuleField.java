package io.trawl.parse;

import io.trawl.config.TrawlConfig;
import io.trawl.core.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;
import org.jsoup.select.Selector;

/**
 * One field of a rule, compiled once: where its value comes from (a CSS selector, an XPath, a
 * JSON-LD path, or the item's element itself), what is taken of a match, and how the text is
 * cleaned and typed. Immutable and thread-safe; parse pool.
 */
final class RuleField {
  private static final int SHOWN_CHARS = 60;

  /**
   * Why a field came out empty, for {@code trawl try}.
   *
   * @param source where the value was looked for: {@code css "span.text"}, {@code xpath "..."},
   *     {@code jsonld "$.offers.price"}, or {@code the item's element}
   * @param matched elements (or JSON-LD values) the source matched
   * @param reason what happened to the matches, e.g. {@code no element matched}
   */
  record Explanation(String source, int matched, String reason) {}

  private final String name;
  private final String cssText;
  private final Evaluator css;
  private final String xpath;
  private final JsonPath jsonld;
  private final String jsonldType;
  private final String take;
  private final String attr;
  private final boolean all;
  private final Pattern regex;
  private final boolean trim;
  private final FieldType type;
  private final boolean required;
  private final List<RuleField> nested;

  RuleField(String name, TrawlConfig.Field field) {
    this.name = name;
    this.cssText = field.css();
    this.css = field.css().isEmpty() ? null : Selector.evaluatorOf(field.css());
    this.xpath = field.xpath().isEmpty() ? null : field.xpath();
    this.jsonld = field.jsonld().isEmpty() ? null : JsonPath.compile(field.jsonld());
    this.jsonldType = field.jsonldType();
    this.take = field.take();
    this.attr = field.attr();
    this.all = field.all();
    this.regex = field.regex().isEmpty() ? null : Pattern.compile(field.regex());
    this.trim = field.trim();
    this.type = FieldType.of(field.type());
    this.required = field.required();
    this.nested = compile(field.fields());
  }

  static List<RuleField> compile(Map<String, TrawlConfig.Field> fields) {
    List<RuleField> compiled = new ArrayList<>(fields.size());
    fields.forEach((name, field) -> compiled.add(new RuleField(name, field)));
    return List.copyOf(compiled);
  }

  String name() {
    return name;
  }

  boolean required() {
    return required;
  }

  boolean readsJsonLd() {
    return jsonld != null || nested.stream().anyMatch(RuleField::readsJsonLd);
  }

  /** The fields of {@code root} as an object; each value a JSON scalar, object, array, or null. */
  static JsonObject record(List<RuleField> fields, Element root, ExtractionPage page) {
    JsonObject record = new JsonObject();
    for (RuleField field : fields) {
      record.put(field.name, field.value(root, page));
    }
    return record;
  }

  /** Whether a value counts as empty: null, "" or []. */
  static boolean isMissing(Object value) {
    return value == null
        || (value instanceof String s && s.isEmpty())
        || (value instanceof JsonArray a && a.isEmpty());
  }

  /** The field's value inside {@code root}. */
  Object value(Element root, ExtractionPage page) {
    if (jsonld != null) {
      return jsonValue(page);
    }
    if (all) {
      JsonArray values = new JsonArray();
      for (Element match : matches(root, page)) {
        addIfPresent(valueOf(match, page), values);
      }
      return values;
    }
    Element match = firstMatch(root, page);
    return match == null ? null : valueOf(match, page);
  }

  private List<Element> matches(Element root, ExtractionPage page) {
    if (xpath != null) {
      return page.selectXpath(root, xpath);
    }
    return css == null ? List.of(root) : root.select(css);
  }

  private Element firstMatch(Element root, ExtractionPage page) {
    if (xpath != null) {
      List<Element> matches = page.selectXpath(root, xpath);
      return matches.isEmpty() ? null : matches.get(0);
    }
    return css == null ? root : root.selectFirst(css);
  }

  private Object valueOf(Element match, ExtractionPage page) {
    return nested.isEmpty() ? scalar(taken(match), page) : record(nested, match, page);
  }

  private String taken(Element e) {
    if (!attr.isEmpty()) {
      return e.hasAttr(attr) ? e.attr(attr) : null;
    }
    return switch (take) {
      case "own_text" -> e.ownText();
      case "html" -> trim ? e.html() : asInSource(e).html();
      case "outer_html" -> trim ? e.outerHtml() : asInSource(e).outerHtml();
      default -> e.text();
    };
  }

  /**
   * A copy of {@code e} whose HTML is written with its whitespace as parsed: Jsoup's pretty-print
   * (on for the page, and what the trimmed default gives) re-indents and collapses spaces. The
   * copy has its own shallow document, so the page's output settings stay as they are.
   */
  private static Element asInSource(Element e) {
    Element copy = e.clone();
    Document owner = copy.ownerDocument();
    if (owner == null) {
      owner = new Document("");
      owner.appendChild(copy);
    }
    owner.outputSettings().prettyPrint(false);
    return copy;
  }

  /** The text through the regex, the trim and the type; null when any step finds nothing. */
  private Object scalar(String taken, ExtractionPage page) {
    String text = matched(taken);
    if (text == null) {
      return null;
    }
    if (trim) {
      text = text.strip();
    }
    return type.convert(text, page.baseUrl());
  }

  private String matched(String text) {
    if (text == null || regex == null) {
      return text;
    }
    Matcher m = regex.matcher(text);
    if (!m.find()) {
      return null;
    }
    return m.groupCount() > 0 ? m.group(1) : m.group();
  }

  /** A JSON-LD field: the first value the path finds in the page's objects (of {@code jsonld_type}), or all with {@code all}. */
  private Object jsonValue(ExtractionPage page) {
    List<Object> found = jsonMatches(page, all);
    if (!all) {
      return found.isEmpty() ? null : jsonScalar(found.get(0), page);
    }
    JsonArray values = new JsonArray();
    for (Object value : found) {
      addIfPresent(jsonScalar(value, page), values);
    }
    return values;
  }

  private List<Object> jsonMatches(ExtractionPage page, boolean everyObject) {
    List<Object> found = new ArrayList<>();
    for (Object object : page.jsonLd().objects()) {
      if (!jsonldType.isEmpty() && !JsonLd.hasType((JsonObject) object, jsonldType)) {
        continue;
      }
      found.addAll(jsonld.values(object));
      if (!everyObject && !found.isEmpty()) {
        break;
      }
    }
    return found;
  }

  /** A JSON value as the field gives it: text through regex, trim and type; an object or list as it is. */
  private Object jsonScalar(Object value, ExtractionPage page) {
    if (value instanceof JsonObject || value instanceof JsonArray) {
      return regex == null && type == FieldType.STRING ? value : null;
    }
    return scalar(String.valueOf(value), page);
  }

  private static void addIfPresent(Object value, JsonArray into) {
    if (value != null) {
      into.add(value);
    }
  }

  /** Why this field is empty in {@code root}: where it looked, how much matched, what went wrong. */
  Explanation explain(Element root, ExtractionPage page) {
    if (jsonld != null) {
      return explainJson(page);
    }
    String source = xpath != null ? "xpath \"" + xpath + "\"" : css != null ? "css \"" + cssText + "\"" : "the item's element";
    List<Element> matches = matches(root, page);
    if (matches.isEmpty()) {
      return new Explanation(source, 0, "no element matched");
    }
    Element first = matches.get(0);
    if (!nested.isEmpty()) {
      return new Explanation(source, matches.size(), "the nested fields are empty");
    }
    String taken = taken(first);
    if (taken == null) {
      return new Explanation(source, matches.size(), "the first match has no attribute " + attr);
    }
    return new Explanation(source, matches.size(), whyEmpty(taken));
  }

  private Explanation explainJson(ExtractionPage page) {
    String source = "jsonld \"" + jsonld + "\"" + (jsonldType.isEmpty() ? "" : " of @type " + jsonldType);
    JsonLd ld = page.jsonLd();
    if (ld.objects().isEmpty()) {
      return new Explanation(source, 0, ld.invalid() > 0 ? "the page's only JSON-LD is invalid (" + ld.invalid()
          + " block(s) skipped)" : "the page has no JSON-LD");
    }
    List<Object> found = jsonMatches(page, true);
    if (found.isEmpty()) {
      return new Explanation(source, 0, "found nothing in the page's " + ld.objects().size()
          + " JSON-LD object(s) (@type " + ld.types() + ")");
    }
    Object first = found.get(0);
    if (first instanceof JsonObject || first instanceof JsonArray) {
      return new Explanation(source, found.size(), "the value is " + (first instanceof JsonObject ? "an object" : "a list")
          + ", which regex and type do not apply to");
    }
    return new Explanation(source, found.size(), whyEmpty(String.valueOf(first)));
  }

  /** Why the text of a match gave no value: the regex, an empty text, or the type. */
  private String whyEmpty(String taken) {
    String text = matched(taken);
    if (text == null) {
      return "regex \"" + regex.pattern() + "\" found nothing in " + shown(taken);
    }
    if ((trim ? text.strip() : text).isEmpty()) {
      return "the first match's text is empty";
    }
    if (type != FieldType.STRING) {
      return shown(text.strip()) + " is not a " + type.name().toLowerCase(Locale.ROOT);
    }
    return "every match's value is empty";
  }

  private static String shown(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return "\"" + (oneLine.length() > SHOWN_CHARS ? oneLine.substring(0, SHOWN_CHARS) + "…" : oneLine) + "\"";
  }
}
