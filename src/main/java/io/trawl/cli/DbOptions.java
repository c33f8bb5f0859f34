package io.trawl.cli;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --db}, {@code --db-schema} and {@code -c}: which database a reading command opens. */
final class DbOptions {
  @Option(names = "--db", description = "SQLite file or postgresql:// URL (default: crawl.db of the config, else trawl.db).")
  String db;

  @Option(names = "--db-schema", description = "PostgreSQL schema of the tables (default: crawl.db_schema of the config, else public).")
  String dbSchema;

  @Option(names = {"-c", "--config"}, description = "Config whose crawl.db to read (default: config.yaml if present).")
  Path config;

  StoreBackend resolve() {
    TrawlConfig.Crawl crawl = configured();
    String location = db != null ? db : crawl != null ? crawl.db() : "trawl.db";
    String schema = dbSchema != null ? dbSchema : crawl != null ? crawl.dbSchema() : "public";
    try {
      return StoreBackends.of(location, schema);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.BAD_LOCATION) {
        throw new BadInputException((db != null ? "--db: " : "crawl.db: ") + e.getMessage());
      }
      throw e;
    }
  }

  /**
   * The crawl section of the config named with -c, or else of ./config.yaml unless --db names the
   * database; null when there is none to read.
   */
  private TrawlConfig.Crawl configured() {
    if (config != null && !Files.isRegularFile(config)) {
      throw new BadInputException(config + ": config file not found");
    }
    if (config == null && db != null) {
      return null;
    }
    Path file = config != null ? config : CrawlCommand.DEFAULT_CONFIG;
    return Files.isRegularFile(file) ? ConfigLoader.load(file, Map.of()).crawl() : null;
  }
}
