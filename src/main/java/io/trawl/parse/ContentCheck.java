package io.trawl.parse;

import io.trawl.config.TrawlConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.select.Evaluator;
import org.jsoup.select.Selector;

/**
 * Whether a page shows what the crawl looks for, the question {@code render.mode: auto} asks of a
 * page fetched over plain HTTP: the rules that match its URL found something (an item with a
 * value in a field, or a link in a {@code follow} region), and {@code render.when_missing}, when
 * set, matches. A page no rule matches, with no {@code when_missing}, shows what it should.
 * Immutable and thread-safe; runs on the parse pool.
 */
public final class ContentCheck {
  /** Why a page lacks its content: the rules found nothing, or {@code render.when_missing} is absent. */
  public enum Lack { NONE, RULES_FOUND_NOTHING, WHEN_MISSING_ABSENT }

  private final List<ExtractionRule> rules;
  private final Evaluator whenMissing;

  public ContentCheck(List<TrawlConfig.Rule> rules, String whenMissing) {
    this.rules = rules.stream().map(ExtractionRule::new).toList();
    this.whenMissing = whenMissing.isEmpty() ? null : Selector.evaluatorOf(whenMissing);
  }

  /** What the page lacks, given what the extractor took from it. */
  public Lack lack(String url, String finalUrl, Document document, Extractor.Extracted extracted) {
    if (whenMissing != null && document.selectFirst(whenMissing) == null) {
      return Lack.WHEN_MISSING_ABSENT;
    }
    boolean ruled = rules.stream().anyMatch(rule -> rule.appliesTo(url, finalUrl));
    return ruled && !found(extracted) ? Lack.RULES_FOUND_NOTHING : Lack.NONE;
  }

  /** Whether the rules found something: a field with a value, or a link to follow in their regions. */
  static boolean found(Extractor.Extracted extracted) {
    for (int i = 0; i < extracted.items().size(); i++) {
      if (hasValue(extracted.items().getJsonObject(i).getJsonObject("data"))) {
        return true;
      }
    }
    return extracted.follow().map(links -> !links.isEmpty()).orElse(false);
  }

  private static boolean hasValue(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof String s) {
      return !s.isBlank();
    }
    if (value instanceof JsonArray array) {
      return array.stream().anyMatch(ContentCheck::hasValue);
    }
    if (value instanceof JsonObject object) {
      return object.stream().anyMatch(e -> hasValue(e.getValue()));
    }
    return true;
  }
}
