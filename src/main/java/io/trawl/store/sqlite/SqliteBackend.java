package io.trawl.store.sqlite;

import io.trawl.store.CrawlHistory;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreClaim;
import io.trawl.store.StoreException;
import io.trawl.store.StoreReader;
import io.trawl.store.StoreWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A crawl's database in one SQLite file, the embedded default: one writer connection in WAL mode
 * (group-committed batches), read-only connections for the commands that read it. Blocking: the
 * writer thread or the command line's main thread.
 */
public final class SqliteBackend implements StoreBackend {
  private final Path file;

  public SqliteBackend(Path file) {
    this.file = file;
  }

  @Override
  public String display() {
    return file.toString();
  }

  @Override
  public StoreClaim claim() {
    return SqliteLock.onSqliteFile(file);
  }

  @Override
  public StoreWriter openWriter(boolean requeueInFlight) {
    return SqliteWriter.open(file, requeueInFlight);
  }

  @Override
  public CrawlHistory history() {
    if (!Files.isRegularFile(file)) {
      return CrawlHistory.NONE;
    }
    try (Connection conn = SqliteReader.connect(file); Statement stmt = conn.createStatement()) {
      if (!SqliteReader.tableExists(stmt, "crawls")) {
        return CrawlHistory.NONE;
      }
      String lastConfig = null;
      try (ResultSet rs = stmt.executeQuery("SELECT config FROM crawls ORDER BY id DESC LIMIT 1")) {
        if (rs.next()) {
          lastConfig = rs.getString(1);
        }
      }
      long pending;
      try (ResultSet rs = stmt.executeQuery("SELECT count(*) FROM frontier WHERE state IN ('queued', 'in_flight')")) {
        pending = rs.next() ? rs.getLong(1) : 0;
      }
      return new CrawlHistory(lastConfig != null, pending, lastConfig);
    } catch (SQLException e) {
      throw new StoreException(StoreException.Kind.NO_DATABASE,
          file + ": not a trawl database it can read (" + e.getMessage() + ")", e);
    }
  }

  /** Removes the file and its WAL files. */
  @Override
  public void wipe() {
    try {
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        Files.deleteIfExists(Path.of(file + suffix));
      }
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.FAILED, file + ": cannot delete the database: " + e.getMessage(), e);
    }
  }

  @Override
  public StoreReader openReader() {
    return SqliteReader.open(file);
  }

  @Override
  public String toString() {
    return display();
  }
}
