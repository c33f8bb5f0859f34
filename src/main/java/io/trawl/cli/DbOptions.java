package io.trawl.cli;

import io.trawl.config.ConfigException;
import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --db}, {@code --db-schema} and {@code -c}: which database a reading command opens. Of the
 * config it reads {@code crawl.db} and {@code crawl.db_schema} alone (those that no flag gives):
 * a bad one is refused, naming the file and the key; a problem elsewhere in the file is only a
 * warning, and an unset {@code ${NAME}} variable elsewhere is none (the crawl's secrets need not be
 * in the shell that reads its results).
 */
final class DbOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--db", description = "SQLite file or postgresql:// URL (default: crawl.db of the config, else trawl.db).")
  String db;

  @Option(names = "--db-schema", description = "PostgreSQL schema of the tables (default: crawl.db_schema of the config, else public).")
  String dbSchema;

  @Option(names = {"-c", "--config"}, description = "Config whose crawl.db to read (default: config.yaml if present).")
  Path config;

  StoreBackend resolve() {
    Path file = configFile();
    String location = db != null ? db : "trawl.db";
    String schema = dbSchema != null ? dbSchema : "public";
    if (file != null) {
      ConfigException problem = null;
      TrawlConfig.Crawl crawl = null;
      try {
        crawl = ConfigLoader.load(file, Map.of()).crawl();
      } catch (ConfigException e) {
        if (e.keyPath().equals(file.toString())) {
          throw new BadInputException(inFile(file, e)); // no config at all (not YAML, unreadable): even with both flags
        }
        problem = e;
      }
      // A config a crawl would refuse: its two keys read alone, each refused if bad itself.
      location = db != null ? db : crawl != null ? crawl.db() : configured(file, ConfigLoader::database);
      schema = dbSchema != null ? dbSchema : crawl != null ? crawl.dbSchema() : configured(file, ConfigLoader::databaseSchema);
      if (problem != null && !problem.isUnsetVariable()) {
        warn(file, problem);
      }
    }
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
   * The config named with -c, or else ./config.yaml unless --db names the database; null when
   * there is none to read.
   */
  private Path configFile() {
    if (config != null && !Files.isRegularFile(config)) {
      throw new BadInputException(config + ": config file not found");
    }
    if (config == null && db != null) {
      return null;
    }
    Path file = config != null ? config : CrawlCommand.DEFAULT_CONFIG;
    return Files.isRegularFile(file) ? file : null;
  }

  private static String configured(Path file, Function<Path, String> key) {
    try {
      return key.apply(file);
    } catch (ConfigException e) {
      throw new BadInputException(inFile(file, e));
    }
  }

  /**
   * Tells of a key a crawl would refuse, on stderr, without refusing to read: this command does
   * not use it, but the user may be about to crawl with this file.
   */
  private void warn(Path file, ConfigException problem) {
    command.commandLine().getErr().println("trawl: warning: " + inFile(file, problem)
        + " (a crawl would refuse this config; " + command.name() + " reads only crawl.db and crawl.db_schema)");
  }

  /** The refusal's message naming the file, which a file-level refusal already does. */
  private static String inFile(Path file, ConfigException e) {
    return e.keyPath().equals(file.toString()) ? e.getMessage() : file + ": " + e.getMessage();
  }
}
