package io.trawl.cli;

import io.trawl.core.UrlNormalizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.sqlite.Function;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;
import org.sqlite.SQLiteOpenMode;

/**
 * Read-only connections to a trawl SQLite file for the query, stats and export commands. They run
 * on the command's main thread, never on an event loop. Adds the SQL function {@code host(url)}.
 * No database can be attached to them: {@code VACUUM INTO} works by attaching its target, which
 * SQLite creates (read-only connection or not) before {@code query_only} refuses the copy.
 */
final class CliDatabase {
  private static final int STEPS_PER_CHECK = 1_000;

  private CliDatabase() {}

  /** Opens {@code file} read-only; a missing file is bad input, not an empty result. */
  static Connection openReadOnly(Path file) throws SQLException {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": no such database (run a crawl first, or pass --db)");
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    config.setBusyTimeout(10_000);
    Connection conn = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (var stmt = conn.createStatement()) {
      stmt.execute("PRAGMA query_only = 1");
    }
    ((SQLiteConnection) conn).setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
    Function.create(conn, "host", new Function() {
      @Override
      protected void xFunc() throws SQLException {
        String url = value_text(0);
        result(url == null ? null : UrlNormalizer.host(url));
      }
    }, 1, Function.FLAG_DETERMINISTIC);
    return conn;
  }

  /**
   * Interrupts whatever runs on {@code conn} once {@code limit} has passed from now (never when it
   * is zero); the returned check says whether it did. A progress handler looks at the clock every
   * {@value #STEPS_PER_CHECK} virtual machine steps: the driver's {@code setQueryTimeout} only
   * sets the busy timeout and stops nothing that is already running.
   */
  static BooleanSupplier interruptAfter(Connection conn, Duration limit) throws SQLException {
    if (limit.isZero()) {
      return () -> false;
    }
    long deadline = System.nanoTime() + limit.toNanos();
    AtomicBoolean fired = new AtomicBoolean();
    ProgressHandler.setHandler(conn, STEPS_PER_CHECK, new ProgressHandler() {
      @Override
      protected int progress() {
        if (System.nanoTime() - deadline < 0) {
          return 0;
        }
        fired.set(true);
        return 1;
      }
    });
    return fired::get;
  }
}
