package io.trawl.parse;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the extraction rules made over a crawl run, per rule: items kept, items dropped as
 * incomplete (a required or key field empty), and how often each field came out empty (over kept
 * and dropped items alike); and the JSON-LD blocks skipped as invalid. Counted by the parse
 * threads as they extract (thread-safe, lock-free) and written into {@code crawls.stats} under
 * {@code "rules"} and {@code "invalidJsonLd"} when the run ends.
 */
public final class RuleStats {
  private final Map<String, Counts> byRule = new ConcurrentHashMap<>();
  private final LongAdder invalidJsonLd = new LongAdder();

  private static final class Counts {
    final LongAdder items = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final Map<String, LongAdder> empty = new ConcurrentHashMap<>();
  }

  void record(String rule, List<ExtractionRule.Outcome> outcomes) {
    Counts counts = byRule.computeIfAbsent(rule, r -> new Counts());
    for (ExtractionRule.Outcome outcome : outcomes) {
      (outcome.kept() ? counts.items : counts.dropped).increment();
      for (String field : outcome.emptyFields()) {
        counts.empty.computeIfAbsent(field, f -> new LongAdder()).increment();
      }
    }
  }

  void invalidJsonLd(int blocks) {
    if (blocks > 0) {
      invalidJsonLd.add(blocks);
    }
  }

  /**
   * {@code {"rules": {"<rule>": {"items": n, "dropped": n, "empty": {"<field>": n}}}, "invalidJsonLd": n}}:
   * the rules that matched a page this run.
   */
  public JsonObject toJson() {
    JsonObject rules = new JsonObject();
    byRule.forEach((rule, counts) -> {
      JsonObject empty = new JsonObject();
      counts.empty.forEach((field, n) -> empty.put(field, n.sum()));
      rules.put(rule, new JsonObject()
          .put("items", counts.items.sum())
          .put("dropped", counts.dropped.sum())
          .put("empty", empty));
    });
    return new JsonObject().put("rules", rules).put("invalidJsonLd", invalidJsonLd.sum());
  }
}
