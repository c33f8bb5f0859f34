package io.trawl.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A config as JSON in the shape of {@code config.yaml} (snake_case keys; durations, sizes and
 * rates spelled as in the file): what {@code crawls.config} stores, and what a resumed crawl
 * compares against.
 */
public final class ConfigJson {
  private ConfigJson() {}

  public static JsonObject toJson(TrawlConfig c) {
    TrawlConfig.Crawl crawl = c.crawl();
    TrawlConfig.Fetch fetch = c.fetch();
    TrawlConfig.Retry retry = c.retry();
    return new JsonObject()
        .put("crawl", new JsonObject()
            .put("seeds", crawl.seeds().toString())
            .put("db", crawl.db().toString())
            .put("max_depth", crawl.maxDepth())
            .put("max_pages", crawl.maxPages())
            .put("max_duration", Durations.format(crawl.maxDuration()))
            .put("allowed_domains", new JsonArray(crawl.allowedDomains()))
            .put("include", new JsonArray(crawl.include()))
            .put("exclude", new JsonArray(crawl.exclude()))
            .put("progress_interval", Durations.format(crawl.progressInterval())))
        .put("fetch", new JsonObject()
            .put("concurrency", fetch.concurrency())
            .put("per_host_concurrency", fetch.perHostConcurrency())
            .put("per_host_rate", fetch.perHostRate().toString())
            .put("user_agent", fetch.userAgent())
            .put("connect_timeout", Durations.format(fetch.connectTimeout()))
            .put("request_timeout", Durations.format(fetch.requestTimeout()))
            .put("max_redirects", fetch.maxRedirects())
            .put("max_body_size", fetch.maxBodySize().toString())
            .put("respect_robots", fetch.respectRobots()))
        .put("retry", new JsonObject()
            .put("max_attempts", retry.maxAttempts())
            .put("initial_delay", Durations.format(retry.initialDelay()))
            .put("multiplier", retry.multiplier())
            .put("max_delay", Durations.format(retry.maxDelay()))
            .put("statuses", new JsonArray(retry.statuses())))
        .put("circuit", new JsonObject()
            .put("failure_rate", c.circuit().failureRate())
            .put("minimum_calls", c.circuit().minimumCalls())
            .put("open_for", Durations.format(c.circuit().openFor())))
        .put("parse", new JsonObject().put("threads", c.parse().threads()))
        .put("store", new JsonObject()
            .put("batch_size", c.store().batchSize())
            .put("batch_delay", Durations.format(c.store().batchDelay())));
  }

  /** One line per key whose value differs: {@code fetch.per_host_rate: 1/s -> 2/s}. */
  public static List<String> diff(JsonObject before, JsonObject after) {
    List<String> lines = new ArrayList<>();
    TreeSet<String> sections = new TreeSet<>(before.fieldNames());
    sections.addAll(after.fieldNames());
    for (String section : sections) {
      JsonObject a = before.getJsonObject(section, new JsonObject());
      JsonObject b = after.getJsonObject(section, new JsonObject());
      TreeSet<String> keys = new TreeSet<>(a.fieldNames());
      keys.addAll(b.fieldNames());
      for (String key : keys) {
        Object x = a.getValue(key);
        Object y = b.getValue(key);
        if (!Objects.equals(String.valueOf(x), String.valueOf(y))) {
          lines.add(section + "." + key + ": " + x + " -> " + y);
        }
      }
    }
    return lines;
  }
}
