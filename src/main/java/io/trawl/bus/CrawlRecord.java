package io.trawl.bus;

import io.vertx.core.json.JsonObject;

/**
 * Opens ({@code id == 0}) or closes a row of {@code crawls}.
 *
 * @param id the crawl's id; 0 to open a new one
 * @param config the crawl's config as JSON (when opening)
 * @param outcome how it ended: {@code finished}, {@code interrupted}, {@code failed} (when closing)
 * @param stats the final counts (when closing)
 * @param kind what the run is ({@code crawls.kind}: {@code crawl}, {@code resume}, {@code recrawl}; when opening)
 * @param dueBeforeMs for a recrawl, the finished frontier rows due by this epoch millis are queued
 *     again as the run opens ({@code Long.MAX_VALUE}: all of them)
 */
public record CrawlRecord(long id, JsonObject config, String outcome, JsonObject stats, String kind, long dueBeforeMs) {
  public static CrawlRecord open(JsonObject config, String kind, long dueBeforeMs) {
    return new CrawlRecord(0, config, null, null, kind, dueBeforeMs);
  }

  public static CrawlRecord close(long id, String outcome, JsonObject stats) {
    return new CrawlRecord(id, null, outcome, stats, null, 0);
  }
}
