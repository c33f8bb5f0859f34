package io.trawl.cli;

import io.trawl.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --db} and {@code -c}: which SQLite file a reading command opens. */
final class DbOptions {
  @Option(names = "--db", description = "SQLite file (default: crawl.db of the config, else trawl.db).")
  Path db;

  @Option(names = {"-c", "--config"}, description = "Config whose crawl.db to read (default: config.yaml if present).")
  Path config;

  Path resolve() {
    if (db != null) {
      return db;
    }
    Path file = config != null ? config : CrawlCommand.DEFAULT_CONFIG;
    if (config != null && !Files.isRegularFile(config)) {
      throw new BadInputException(config + ": config file not found");
    }
    return Files.isRegularFile(file) ? ConfigLoader.load(file, Map.of()).crawl().db() : Path.of("trawl.db");
  }
}
