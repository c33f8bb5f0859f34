package io.trawl.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * A read-only view of a crawl's database for {@code query}, {@code export}, {@code stats} and the
 * bench. Whatever SQL it is given, it cannot change the database: SQLite opens the file read-only,
 * PostgreSQL runs everything in a read-only transaction that is rolled back. Results are JDBC
 * result sets, read row by row (PostgreSQL streams them through a server-side cursor); each stays
 * open until the next call or {@link #close()}. Runs on the command line's main thread.
 */
public interface StoreReader extends AutoCloseable {
  /**
   * Runs one statement of the user's SQL; the SQL function {@code host(url)} is available.
   *
   * @param timeout how long it may run, reading its rows included; zero for no limit
   * @return its rows, or null when the statement returns none
   * @throws StoreException {@link StoreException.Kind#REFUSED} for a write, a second statement or
   *     a side effect (or no statement at all); {@link StoreException.Kind#BAD_SQL} for SQL the
   *     database cannot run; {@link StoreException.Kind#TIMEOUT} when stopped by the timeout
   */
  ResultSet query(String sql, Duration timeout);

  /** Runs {@code sql} with no time limit, as {@link #query(String, Duration)}. */
  default ResultSet query(String sql) {
    return query(sql, Duration.ZERO);
  }

  /** What a failure while reading the rows of {@link #query} was, in the words {@link #query} uses. */
  StoreException failure(SQLException e);

  /**
   * Every row of {@code table} in the order it was written, streamed. {@code items.data},
   * {@code crawls.config} and {@code crawls.stats} come as JSON text.
   *
   * @param rule for {@link ExportTable#ITEMS}, only this rule's items; null for all
   */
  ResultSet export(ExportTable table, String rule);

  /**
   * The keys of the items' {@code data} objects (of {@code rule}'s items, or all when null): the
   * union, in the order they first appear. Memory per distinct key, not per row.
   */
  List<String> itemKeys(String rule);

  /** The distinct rules of {@code items}, sorted. */
  List<String> itemRules();

  /** The titles of the {@code stats} sections, in order (downloads only when the table exists). */
  List<String> statsSections();

  /** The rows of one {@code stats} section; {@code topHosts} bounds the hosts section. */
  ResultSet stats(String section, int topHosts);

  @Override
  void close();
}
