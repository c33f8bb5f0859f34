package io.trawl.store;

import io.trawl.store.postgres.PostgresBackend;
import io.trawl.store.sqlite.SqliteBackend;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Picks the backend {@code crawl.db} names: a {@code postgresql://} or {@code postgres://} URL is
 * a PostgreSQL database, anything else a SQLite file path. Any thread; opens nothing.
 */
public final class StoreBackends {
  private static final Pattern OTHER_URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");

  private StoreBackends() {}

  /**
   * @param location {@code crawl.db}: a file path or a PostgreSQL URL
   * @param schema {@code crawl.db_schema}: the PostgreSQL schema of the tables (ignored for SQLite)
   * @throws StoreException {@link StoreException.Kind#BAD_LOCATION} when it is neither
   */
  public static StoreBackend of(String location, String schema) {
    if (isPostgres(location)) {
      return PostgresBackend.of(location, schema);
    }
    if (OTHER_URL.matcher(location).matches() || location.toLowerCase(Locale.ROOT).startsWith("jdbc:")) {
      int colon = location.indexOf(':');
      throw new StoreException(StoreException.Kind.BAD_LOCATION, "expected a file path or a postgresql:// URL, got a "
          + location.substring(0, colon) + ": URL");
    }
    if (location.isBlank()) {
      throw new StoreException(StoreException.Kind.BAD_LOCATION, "expected a file path or a postgresql:// URL, got nothing");
    }
    try {
      return new SqliteBackend(Path.of(location));
    } catch (InvalidPathException e) {
      throw new StoreException(StoreException.Kind.BAD_LOCATION, "expected a file path or a postgresql:// URL: " + e.getMessage(), e);
    }
  }

  /** Whether {@code location} names a PostgreSQL database rather than a file. */
  public static boolean isPostgres(String location) {
    String lower = location.toLowerCase(Locale.ROOT);
    return lower.startsWith("postgresql://") || lower.startsWith("postgres://");
  }
}
