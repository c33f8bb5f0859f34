package io.trawl.testing;

import io.trawl.store.StoreBackends;
import java.nio.file.Path;

/**
 * The two store backends a store, resume, query, export or stats test runs on: each gives a fresh
 * empty database (a file in the test's directory, or a new database on {@link EmbeddedPg}) and
 * the few bits of SQL the tests' own checks need that the two dialects spell differently.
 */
public enum TestBackend {
  SQLITE {
    @Override
    public String freshDatabase(Path dir) {
      return dir.resolve("trawl.db").toString();
    }

    @Override
    public String writeOrder() {
      return "rowid";
    }
  },
  POSTGRES {
    @Override
    public String freshDatabase(Path dir) {
      return EmbeddedPg.freshDatabase();
    }

    @Override
    public String writeOrder() {
      return "ctid";
    }
  };

  /** {@code crawl.db} of an empty database (for SQLite, {@code dir/trawl.db}). */
  public abstract String freshDatabase(Path dir);

  /** The column that orders a table's rows as they were written, as {@code export} does. */
  public abstract String writeOrder();

  /** Whether {@code location} is a PostgreSQL URL. */
  public static boolean isPostgres(String location) {
    return StoreBackends.isPostgres(location);
  }
}
