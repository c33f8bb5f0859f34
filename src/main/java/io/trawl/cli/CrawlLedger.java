package io.trawl.cli;

import io.trawl.store.CrawlHistory;
import io.trawl.store.StoreBackend;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** What an existing database already holds, read before a crawl starts, through its store backend. Main thread. */
final class CrawlLedger {
  /**
   * @param hasCrawl a crawl has run on this database
   * @param unfinished its frontier still has queued or in-flight rows
   * @param pending those rows
   * @param lastConfig the config of the last run, or null
   */
  record State(boolean hasCrawl, boolean unfinished, long pending, JsonObject lastConfig) {}

  private CrawlLedger() {}

  static State inspect(StoreBackend store) {
    CrawlHistory history = store.history();
    JsonObject lastConfig = null;
    if (history.lastConfigJson() != null) {
      try {
        lastConfig = new JsonObject(history.lastConfigJson());
      } catch (DecodeException e) {
        throw new BadInputException(store.display() + ": not a trawl database it can read (crawls.config is not JSON)");
      }
    }
    return new State(history.hasCrawl(), history.unfinished(), history.pending(), lastConfig);
  }

  /** Deletes the earlier crawl (a SQLite file and its WAL files; trawl's tables in PostgreSQL), for {@code --fresh}. */
  static void delete(StoreBackend store) {
    store.wipe();
  }
}
