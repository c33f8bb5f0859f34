package io.trawl.bus;

import io.vertx.core.json.JsonObject;

/**
 * Opens ({@code id == 0}) or closes a row of {@code crawls}.
 *
 * @param id the crawl's id; 0 to open a new one
 * @param config the crawl's config as JSON (when opening)
 * @param outcome how it ended: {@code finished}, {@code interrupted}, {@code failed} (when closing)
 * @param stats the final counts (when closing)
 */
public record CrawlRecord(long id, JsonObject config, String outcome, JsonObject stats) {
  public static CrawlRecord open(JsonObject config) {
    return new CrawlRecord(0, config, null, null);
  }

  public static CrawlRecord close(long id, String outcome, JsonObject stats) {
    return new CrawlRecord(id, null, outcome, stats);
  }
}
