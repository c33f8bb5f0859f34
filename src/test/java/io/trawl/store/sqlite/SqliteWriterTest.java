package io.trawl.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.trawl.bus.FrontierUpdate;
import io.trawl.store.StoreException;
import io.trawl.testing.Db;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The writer on a database that is full. A filesystem cannot be filled without root, so SQLite's
 * own {@code max_page_count} makes the file full: SQLite then fails the write with SQLITE_FULL
 * and rolls the transaction back itself, as on a full disk.
 */
class SqliteWriterTest {
  @TempDir Path dir;

  @Test
  void reportsAFullDatabaseAsFullWithTheFailedRollbackKeptAsSuppressed() throws Exception {
    Path file = fullDatabase();
    try (Connection conn = DriverManager.getConnection(SqliteWriter.url(file))) {
      capAtCurrentSize(conn);
      SqliteWriter writer = SqliteWriter.open(conn, false);

      SQLiteException e = (SQLiteException) catchThrowableOfType(StoreException.class, () -> writeSeeds(writer, manySeeds("a")))
          .getCause();

      assertThat(e.getResultCode()).isEqualTo(SQLiteErrorCode.SQLITE_FULL);
      assertThat(e.getSuppressed()).isNotEmpty().allMatch(SQLException.class::isInstance);
    }
  }

  @Test
  void keepsEachLaterBatchOneTransactionAfterSqliteRolledBackItself() throws Exception {
    Path file = fullDatabase();
    try (Connection conn = DriverManager.getConnection(SqliteWriter.url(file))) {
      capAtCurrentSize(conn);
      SqliteWriter writer = SqliteWriter.open(conn, false);
      catchThrowableOfType(StoreException.class, () -> writeSeeds(writer, manySeeds("a")));

      SQLiteException again = (SQLiteException) catchThrowableOfType(StoreException.class,
          () -> writeSeeds(writer, manySeeds("b"))).getCause();
      try (Statement stmt = conn.createStatement()) {
        stmt.execute("PRAGMA max_page_count = 1000000");
      }
      writeSeeds(writer, List.of("http://127.0.0.1/after-the-disk-was-freed"));

      assertThat(again.getResultCode()).isEqualTo(SQLiteErrorCode.SQLITE_FULL);
      assertThat(Db.rows(file, "SELECT url FROM frontier"))
          .extracting(row -> row.get("url")).containsExactly("http://127.0.0.1/after-the-disk-was-freed");
    }
  }

  private Path fullDatabase() throws SQLException {
    Path file = dir.resolve("full.db");
    SqliteWriter.open(file, false).close();
    return file;
  }

  /** max_page_count cannot go below the file's size: asking for 1 caps it where it is. */
  private static void capAtCurrentSize(Connection conn) throws SQLException {
    try (Statement stmt = conn.createStatement()) {
      stmt.execute("PRAGMA max_page_count = 1");
    }
  }

  private static void writeSeeds(SqliteWriter writer, List<String> seeds) {
    writer.write(List.of(FrontierUpdate.ofSeeds(seeds)), List.of(), List.of(), List.of(), 0);
  }

  /** More than the pages a new file has free: each URL is 500 characters. */
  private static List<String> manySeeds(String prefix) {
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      seeds.add("http://127.0.0.1/" + prefix + "/" + i + "/" + "x".repeat(480));
    }
    return seeds;
  }
}
