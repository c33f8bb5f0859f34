package io.trawl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of a crawl a test runs, in its temporary folder: {@code seeds.txt} and a
 * {@code config.yaml} naming it and the database. Test thread.
 */
public final class CrawlFiles {
  private static final String CRAWL_SECTION = "crawl:\n";

  private CrawlFiles() {}

  /**
   * Writes {@code seeds}, one a line, to {@code dir/seeds.txt}, and {@code yaml} to
   * {@code dir/config.yaml} with the crawl section's {@code seeds} and {@code db} keys added: at the
   * head of {@code yaml}'s crawl section when it starts with one, else as a crawl section of their own.
   *
   * @param db the database: a SQLite file or a PostgreSQL URL
   * @return config.yaml
   */
  public static Path config(Path dir, Object db, String yaml, String... seeds) throws IOException {
    Path seedFile = Files.writeString(dir.resolve("seeds.txt"), String.join("\n", seeds) + "\n");
    String crawl = CRAWL_SECTION + "  seeds: '" + seedFile + "'\n  db: '" + db + "'\n";
    String rest;
    if (yaml.startsWith(CRAWL_SECTION)) {
      rest = yaml.substring(CRAWL_SECTION.length());
    } else if (yaml.contains("\n" + CRAWL_SECTION)) {
      throw new IllegalArgumentException("the crawl section goes first, to take seeds and db: " + yaml);
    } else {
      rest = yaml;
    }
    return Files.writeString(dir.resolve("config.yaml"), crawl + rest);
  }
}
