package io.trawl.parse;

import io.trawl.config.TrawlConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jsoup.nodes.Document;

/**
 * The extraction rules run on one page with everything {@code trawl try} shows: each rule's items,
 * the items it dropped as incomplete, and for every field that came out empty where it looked and
 * how many elements (or JSON-LD values) that matched; plus what the crawl would do with the page
 * (the links the rules' {@code follow} regions allow, the download fields' URLs). Runs the same
 * compiled rules as the crawl ({@link Extractor}). Stateless; call it off the event loop (it runs
 * Jsoup), on the CLI's main thread or a worker.
 */
public final class RuleTrial {
  /**
   * A field that came out empty in one item.
   *
   * @param match the item's position among the rule's {@code select} matches, from 1 (1 without a select)
   * @param field the field's name
   * @param source where it looked: {@code css "..."}, {@code xpath "..."}, {@code jsonld "..."}
   * @param matched how many elements (or JSON-LD values) that matched
   * @param reason why the matches gave nothing, or that none matched
   * @param dropped whether the field is required (or a key field), so the item was dropped
   */
  public record EmptyField(int match, String field, String source, int matched, String reason, boolean dropped) {}

  /**
   * One rule on the page.
   *
   * @param name the rule's name
   * @param urlMatches whether its {@code url} pattern finds the page's URL (always true without one)
   * @param ran whether it was run: it matches, or {@code --rule} named it
   * @param urlPattern its {@code url} pattern, "" when it has none
   * @param select its {@code select} selector, "" when it makes one item per page
   * @param selectMatches how many elements {@code select} matched (1 without a select)
   * @param items the items kept, as their data objects
   * @param keys each kept item's key (null for a rule without {@code key})
   * @param dropped the data of the items dropped as incomplete, with the match each came from
   * @param emptyFields every empty field of every item, kept or dropped
   * @param follow the rule's {@code follow} selectors, empty when it does not restrict links
   */
  public record RuleReport(String name, boolean urlMatches, boolean ran, String urlPattern, String select,
      int selectMatches, JsonArray items, List<String> keys, Map<Integer, JsonObject> dropped,
      List<EmptyField> emptyFields, Optional<List<String>> follow) {}

  /**
   * @param rules every rule of the config (or the one asked for), in config order
   * @param extracted what the crawl would take from the page: items, links to follow, downloads
   * @param invalidJsonLd JSON-LD blocks skipped as invalid (counted when a rule reads JSON-LD)
   */
  public record Report(List<RuleReport> rules, Extractor.Extracted extracted, int invalidJsonLd) {}

  private final Extractor extractor;

  public RuleTrial(List<TrawlConfig.Rule> rules, List<String> fromFields) {
    this.extractor = new Extractor(rules, fromFields);
  }

  /**
   * Runs the rules that match the page, or only {@code onlyRule} (even where its {@code url}
   * pattern does not match) when it is not null.
   *
   * @throws IllegalArgumentException when {@code onlyRule} names no rule
   */
  public Report run(String url, String finalUrl, Document document, String baseUrl, String onlyRule) {
    List<ExtractionRule> considered = extractor.rules().stream()
        .filter(rule -> onlyRule == null || rule.name().equals(onlyRule))
        .toList();
    if (considered.isEmpty() && onlyRule != null) {
      throw new IllegalArgumentException("no rule named " + onlyRule + " (rules: "
          + String.join(", ", extractor.rules().stream().map(ExtractionRule::name).toList()) + ")");
    }
    ExtractionPage page = new ExtractionPage(document, baseUrl);
    List<ExtractionRule> running = considered.stream()
        .filter(rule -> onlyRule != null || rule.appliesTo(url, finalUrl))
        .toList();
    Map<String, List<ExtractionRule.Outcome>> outcomes = new HashMap<>();
    Extractor.Extracted extracted = extractor.extract(running, page, url, finalUrl, outcomes::put);
    List<RuleReport> reports = new ArrayList<>();
    for (ExtractionRule rule : considered) {
      reports.add(report(rule, running.contains(rule), rule.appliesTo(url, finalUrl),
          outcomes.getOrDefault(rule.name(), List.of()), page));
    }
    return new Report(reports, extracted, page.invalidJsonLd());
  }

  private static RuleReport report(ExtractionRule rule, boolean ran, boolean urlMatches,
      List<ExtractionRule.Outcome> outcomes, ExtractionPage page) {
    JsonArray items = new JsonArray();
    List<String> keys = new ArrayList<>();
    Map<Integer, JsonObject> dropped = new LinkedHashMap<>();
    List<EmptyField> empty = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      ExtractionRule.Outcome outcome = outcomes.get(i);
      if (outcome.kept()) {
        items.add(outcome.data());
        keys.add(outcome.key());
      } else {
        dropped.put(i + 1, outcome.data());
      }
      for (String field : outcome.emptyFields()) {
        RuleField.Explanation why = rule.field(field).explain(outcome.root(), page);
        empty.add(new EmptyField(i + 1, field, why.source(), why.matched(), why.reason(), field.equals(outcome.missing())));
      }
    }
    int selectMatches = ran && rule.makesItems() ? outcomes.size() : rule.selectMatches(page);
    return new RuleReport(rule.name(), urlMatches, ran, rule.urlPattern(), rule.selectText(), selectMatches, items, keys,
        dropped, empty, rule.followText());
  }
}
