package io.trawl.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cluster crawl's {@code crawls.stats}, built from its nodes' shares: each node adds what it
 * counted ({@link #merge}) when it leaves, and the last to leave {@link #close closes} it with what
 * the database knows of the whole crawl. A node's share has the keys a crawl on one machine
 * records; what it counted alone is summed ({@code retries}, {@code linksDropped}, {@code
 * invalidJsonLd}, each rule's {@code items}, {@code dropped} and {@code empty} fields), URL
 * patterns a node learned to render ({@code renderLearned}) are joined, and {@code hostPace} is
 * merged per host: a host belongs to one node at a time, but one that moved between nodes (a node
 * joined or left) has a pace on each; it keeps the slower pace (what the host allowed at worst, and
 * where a crawl that hears a 429 settles) with the slowdowns of both summed, and the {@value
 * #HOST_PACES} slowest hosts. The rest of a share (its own pages, elapsed time, stop reason) is
 * left out: the crawl's figures for those are counted at the close. Plain functions; any thread.
 */
public final class ClusterStats {
  /** The hosts whose autothrottle pace {@code crawls.stats} keeps ({@code hostPace}), slowest first; on one machine too. */
  public static final int HOST_PACES = 1000;
  private static final List<String> SUMMED = List.of("retries", "linksDropped", "invalidJsonLd");

  private ClusterStats() {}

  /** {@code crawl}, the shares merged so far (null or empty for none), with {@code share} added; neither is changed. */
  public static JsonObject merge(JsonObject crawl, JsonObject share) {
    JsonObject merged = crawl == null ? new JsonObject() : crawl.copy();
    for (String key : SUMMED) {
      if (share.getValue(key) instanceof Number n) {
        merged.put(key, merged.getLong(key, 0L) + n.longValue());
      }
    }
    if (share.getValue("rules") instanceof JsonObject rules) {
      merged.put("rules", rules(merged.getJsonObject("rules", new JsonObject()), rules));
    }
    if (share.getValue("hostPace") instanceof JsonObject paces) {
      merged.put("hostPace", paces(merged.getJsonObject("hostPace", new JsonObject()), paces));
    }
    if (share.getValue("renderLearned") instanceof JsonArray learned) {
      Set<Object> patterns = new LinkedHashSet<>(merged.getJsonArray("renderLearned", new JsonArray()).getList());
      patterns.addAll(learned.getList());
      merged.put("renderLearned", new JsonArray(new ArrayList<>(patterns)));
    }
    return merged;
  }

  private static JsonObject rules(JsonObject sums, JsonObject share) {
    JsonObject merged = sums.copy();
    for (String rule : share.fieldNames()) {
      JsonObject counts = share.getJsonObject(rule);
      JsonObject into = merged.getJsonObject(rule, new JsonObject());
      JsonObject empty = into.getJsonObject("empty", new JsonObject()).copy();
      counts.getJsonObject("empty", new JsonObject()).forEach(field ->
          empty.put(field.getKey(), empty.getLong(field.getKey(), 0L) + ((Number) field.getValue()).longValue()));
      merged.put(rule, new JsonObject()
          .put("items", into.getLong("items", 0L) + counts.getLong("items", 0L))
          .put("dropped", into.getLong("dropped", 0L) + counts.getLong("dropped", 0L))
          .put("empty", empty));
    }
    return merged;
  }

  private static JsonObject paces(JsonObject known, JsonObject share) {
    JsonObject merged = known.copy();
    for (String host : share.fieldNames()) {
      JsonObject pace = share.getJsonObject(host);
      JsonObject before = merged.getJsonObject(host);
      if (before == null) {
        merged.put(host, pace.copy());
        continue;
      }
      JsonObject slower = perSecond(pace) < perSecond(before) ? pace : before;
      merged.put(host, slower.copy()
          .put("slowdowns", before.getLong("slowdowns", 0L) + pace.getLong("slowdowns", 0L)));
    }
    List<Map.Entry<String, Object>> hosts = new ArrayList<>();
    merged.forEach(hosts::add);
    hosts.sort(Comparator.comparingDouble((Map.Entry<String, Object> e) -> perSecond((JsonObject) e.getValue()))
        .thenComparing(Map.Entry::getKey));
    JsonObject slowest = new JsonObject();
    hosts.stream().limit(HOST_PACES).forEach(e -> slowest.put(e.getKey(), e.getValue()));
    return slowest;
  }

  private static double perSecond(JsonObject pace) {
    return pace.getDouble("perSecond", Double.MAX_VALUE);
  }

  /**
   * The crawl's stats once its last node has left: the shares merged, then the crawl's own figures
   * (each overriding what a share said).
   *
   * @param merged the nodes' shares, merged
   * @param stored pages the cluster stored in this run, failures included
   * @param failed of those, the pages stored with an error
   * @param queued frontier rows still queued
   * @param inFlight frontier rows still in flight (a killed node's, not yet taken over)
   * @param hosts distinct hosts of the pages stored in this run
   * @param elapsedMs from the crawl's start to its close, on the database server's clock
   * @param nodes nodes that took part
   * @param stopReason why the last node's frontier stopped, or null
   */
  public static JsonObject close(JsonObject merged, long stored, long failed, long queued, long inFlight, long hosts,
      long elapsedMs, long nodes, String stopReason) {
    JsonObject stats = (merged == null ? new JsonObject() : merged.copy())
        .put("stored", stored)
        .put("failed", failed)
        .put("inFlight", inFlight)
        .put("queued", queued)
        .put("retries", merged == null ? 0L : merged.getLong("retries", 0L))
        .put("elapsedMs", elapsedMs)
        .put("hosts", hosts)
        .put("pagesPerSecond", elapsedMs <= 0 ? 0.0 : stored * 1000.0 / elapsedMs)
        .put("linksDropped", merged == null ? 0L : merged.getLong("linksDropped", 0L))
        .put("nodes", nodes);
    if (!stats.containsKey("rules")) {
      stats.put("rules", new JsonObject());
    }
    if (!stats.containsKey("invalidJsonLd")) {
      stats.put("invalidJsonLd", 0L);
    }
    if (stopReason != null) {
      stats.put("stopReason", stopReason);
    }
    return stats;
  }
}
