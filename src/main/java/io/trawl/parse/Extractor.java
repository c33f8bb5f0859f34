package io.trawl.parse;

import io.trawl.config.TrawlConfig;
import io.trawl.core.UrlNormalizer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;

/**
 * Applies the config's extraction rules to a parsed page: the items of every rule whose URL
 * pattern matches, the links their {@code follow} selectors pick, and the URLs found in the
 * {@code download.from_fields} fields; counts what each rule made in its {@link RuleStats}. Built
 * once per crawl; thread-safe, runs on the parse pool.
 */
public final class Extractor {
  /**
   * @param items each {@code {"rule": name, "data": {...}}}, with {@code "key": "[...]"} when the
   *     rule has a key, in rule then document order
   * @param follow the links to follow, absolute and normalized; empty when no matching rule
   *     restricts them (then every link is followed)
   * @param downloads URLs taken from {@code download.from_fields}, absolute and normalized
   */
  public record Extracted(JsonArray items, Optional<Set<String>> follow, List<String> downloads) {}

  private final List<ExtractionRule> rules;
  private final Map<String, Set<String>> downloadFields = new HashMap<>();
  private final RuleStats stats;

  public Extractor(List<TrawlConfig.Rule> rules, List<String> fromFields) {
    this(rules, fromFields, new RuleStats());
  }

  /** @param stats where the items made, dropped and their empty fields are counted */
  public Extractor(List<TrawlConfig.Rule> rules, List<String> fromFields, RuleStats stats) {
    this.stats = stats;
    this.rules = rules.stream().map(ExtractionRule::new).toList();
    for (String ruleAndField : fromFields) {
      int dot = ruleAndField.indexOf('.');
      downloadFields.computeIfAbsent(ruleAndField.substring(0, dot), r -> new HashSet<>())
          .add(ruleAndField.substring(dot + 1));
    }
  }

  /**
   * @param url the URL as queued
   * @param finalUrl the URL after redirects; rules match either
   * @param baseUrl what relative links on the page resolve against
   */
  public Extracted extract(String url, String finalUrl, Document document, String baseUrl) {
    ExtractionPage page = new ExtractionPage(document, baseUrl);
    List<ExtractionRule> applying = rules.stream().filter(rule -> rule.appliesTo(url, finalUrl)).toList();
    Extracted extracted = extract(applying, page, url, finalUrl, stats::record);
    stats.invalidJsonLd(page.invalidJsonLd());
    return extracted;
  }

  /** The compiled rules, in config order; for {@link RuleTrial}. */
  List<ExtractionRule> rules() {
    return rules;
  }

  /**
   * Runs {@code applying} on the page; {@code outcomes} sees what each rule that makes items made,
   * dropped items included.
   */
  Extracted extract(List<ExtractionRule> applying, ExtractionPage page, String url, String finalUrl,
      BiConsumer<String, List<ExtractionRule.Outcome>> outcomes) {
    JsonArray items = new JsonArray();
    Set<String> follow = null;
    Set<String> downloads = new LinkedHashSet<>();
    for (ExtractionRule rule : applying) {
      Set<String> toDownload = downloadFields.getOrDefault(rule.name(), Set.of());
      List<ExtractionRule.Outcome> made = rule.outcomes(page);
      if (rule.makesItems()) {
        outcomes.accept(rule.name(), made);
      }
      for (ExtractionRule.Outcome outcome : made) {
        if (!outcome.kept()) {
          continue;
        }
        JsonObject data = outcome.data();
        JsonObject item = new JsonObject().put("rule", rule.name()).put("data", data);
        if (outcome.key() != null) {
          item.put("key", outcome.key());
        }
        items.add(item);
        for (String field : data.fieldNames()) {
          if (toDownload.contains(field)) {
            addUrls(data.getValue(field), page.baseUrl(), downloads);
          }
        }
      }
      if (rule.follow().isPresent()) {
        follow = follow == null ? new LinkedHashSet<>() : follow;
        for (Evaluator region : rule.follow().get()) {
          for (Element match : page.document().select(region)) {
            HtmlParser.addLinksIn(match, page.baseUrl(), follow);
          }
        }
      }
    }
    if (follow != null) {
      UrlNormalizer.normalize(finalUrl).ifPresent(follow::remove);
      UrlNormalizer.normalize(url).ifPresent(follow::remove);
    }
    return new Extracted(items, Optional.ofNullable(follow), new ArrayList<>(downloads));
  }

  private static void addUrls(Object value, String baseUrl, Set<String> into) {
    if (value instanceof String s) {
      UrlNormalizer.resolve(baseUrl, s).ifPresent(into::add);
    } else if (value instanceof JsonArray array) {
      for (Object element : array) {
        addUrls(element, baseUrl, into);
      }
    }
  }
}
