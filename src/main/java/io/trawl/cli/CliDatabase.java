package io.trawl.cli;

import io.trawl.core.UrlNormalizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.Function;
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
}
