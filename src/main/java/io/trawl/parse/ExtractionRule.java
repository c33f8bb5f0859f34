package io.trawl.parse;

import io.trawl.config.TrawlConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;
import org.jsoup.select.Selector;

/**
 * One {@code rules} entry compiled once: its URL pattern, item selector, fields, structured data,
 * key and follow selectors as Jsoup {@link Evaluator}s and {@link Pattern}s. Immutable and
 * thread-safe (Jsoup's evaluators keep their per-query state per thread); used on the parse pool.
 */
final class ExtractionRule {
  /**
   * What the rule made of one {@code select} match (or of the page): an item, or one dropped as
   * incomplete.
   *
   * @param data the item's fields (and structured data), kept or not
   * @param key the item's key (a JSON array of its key fields' values), or null when the rule has none
   * @param emptyFields the top-level fields that came out empty (null, "" or [])
   * @param missing the required or key field whose emptiness dropped the item, or null when it is kept
   * @param root the element the fields were looked up in
   */
  record Outcome(JsonObject data, String key, List<String> emptyFields, String missing, Element root) {
    boolean kept() {
      return missing == null;
    }
  }

  private final String name;
  private final String urlPattern;
  private final Pattern url;
  private final String selectText;
  private final Evaluator select;
  private final List<RuleField> fields;
  private final List<String> structured;
  private final List<String> key;
  private final Optional<List<Evaluator>> follow;
  private final Optional<List<String>> followText;
  private final boolean readsJsonLd;

  ExtractionRule(TrawlConfig.Rule rule) {
    this.name = rule.name();
    this.urlPattern = rule.url();
    this.url = rule.url().isEmpty() ? null : Pattern.compile(rule.url());
    this.selectText = rule.select();
    this.select = rule.select().isEmpty() ? null : Selector.evaluatorOf(rule.select());
    this.fields = RuleField.compile(rule.fields());
    this.structured = rule.structured();
    this.key = rule.key();
    this.follow = rule.follow().map(selectors -> selectors.stream().map(Selector::evaluatorOf).toList());
    this.followText = rule.follow();
    this.readsJsonLd = structured.contains("json-ld") || fields.stream().anyMatch(RuleField::readsJsonLd);
  }

  String name() {
    return name;
  }

  String urlPattern() {
    return urlPattern;
  }

  String selectText() {
    return selectText;
  }

  /** Whether the rule applies to a page fetched as {@code url} that ended at {@code finalUrl}. */
  boolean appliesTo(String url, String finalUrl) {
    return this.url == null || this.url.matcher(finalUrl).find() || (!url.equals(finalUrl) && this.url.matcher(url).find());
  }

  /** Whether the rule makes items at all (a rule may only restrict what is followed). */
  boolean makesItems() {
    return !fields.isEmpty() || !structured.isEmpty();
  }

  boolean readsJsonLd() {
    return readsJsonLd;
  }

  /** What the rule made on the page: one outcome per {@code select} match, or one for the page. */
  List<Outcome> outcomes(ExtractionPage page) {
    if (!makesItems()) {
      return List.of();
    }
    List<Outcome> outcomes = new ArrayList<>();
    if (select == null) {
      outcomes.add(outcome(page.document(), page));
    } else {
      for (Element root : page.document().select(select)) {
        outcomes.add(outcome(root, page));
      }
    }
    return outcomes;
  }

  /** How many elements the rule's {@code select} matches on the page (1 without a select). */
  int selectMatches(ExtractionPage page) {
    return select == null ? 1 : page.document().select(select).size();
  }

  /** The field named {@code name}, for explaining an empty value. */
  RuleField field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  private Outcome outcome(Element root, ExtractionPage page) {
    JsonObject data = RuleField.record(fields, root, page);
    List<String> empty = new ArrayList<>();
    String missing = null;
    for (RuleField field : fields) {
      if (RuleField.isMissing(data.getValue(field.name()))) {
        empty.add(field.name());
        if (missing == null && (field.required() || key.contains(field.name()))) {
          missing = field.name();
        }
      }
    }
    for (String kind : structured) {
      switch (kind) {
        case "json-ld" -> data.put("jsonld", page.jsonLd().objects().copy());
        case "microdata" -> data.put("microdata", page.microdata().copy());
        default -> data.put("opengraph", page.openGraph().copy());
      }
    }
    return new Outcome(data, missing == null ? key(data) : null, List.copyOf(empty), missing, root);
  }

  private String key(JsonObject data) {
    if (key.isEmpty()) {
      return null;
    }
    JsonArray values = new JsonArray();
    key.forEach(field -> values.add(data.getValue(field)));
    return values.encode();
  }

  /** The follow selectors, or empty when the rule does not restrict which links are followed. */
  Optional<List<Evaluator>> follow() {
    return follow;
  }

  /** The follow selectors as written, for explaining which links are followed. */
  Optional<List<String>> followText() {
    return followText;
  }
}
