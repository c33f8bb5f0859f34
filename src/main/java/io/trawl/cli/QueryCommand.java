package io.trawl.cli;

import io.trawl.config.Durations;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code trawl query SQL}: runs one read-only statement on the database. Writes are refused and
 * change nothing. The text goes to SQLite as a prepared statement, so only SQLite parses it: a
 * plain JDBC statement would let the driver run its own {@code backup to}/{@code restore from}
 * commands, which write files, before SQLite ever saw the text. Main thread.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Run a read-only SQL query on the crawl database (extra function: host(url)).")
final class QueryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DbOptions dbOptions;

  @Parameters(index = "0", paramLabel = "SQL", description = "The query, e.g. \"select status, count(*) from pages group by status\".")
  String sql;

  @Option(names = "--json", description = "One JSON object per row.")
  boolean json;

  @Option(names = "--csv", description = "CSV with a header row.")
  boolean csv;

  @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION",
      description = "Stop the query after this long, e.g. 30s or 1h; 0 = no limit (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (json && csv) {
      err.println("trawl: --json and --csv exclude each other");
      return Main.BAD_INPUT;
    }
    if (SqlText.isBlank(sql)) {
      err.println("trawl: query: no SQL statement given (nothing was run)");
      return Main.BAD_INPUT;
    }
    if (SqlText.hasSeveralStatements(sql)) {
      err.println("trawl: query: one statement at a time (the text holds more than one; nothing was run)");
      return Main.BAD_INPUT;
    }
    Duration limit = Durations.parse(timeout).orElse(null);
    if (limit == null) {
      err.println("trawl: --timeout: expected a duration like 30s, 5m or 0 (no limit), got \"" + timeout + "\"");
      return Main.BAD_INPUT;
    }
    RowWriter.Format format = json ? RowWriter.Format.JSONL : csv ? RowWriter.Format.CSV : RowWriter.Format.TABLE;
    long started = System.nanoTime();
    BooleanSupplier timedOut = () -> false;
    try (Connection conn = CliDatabase.openReadOnly(dbOptions.resolve()); PreparedStatement stmt = conn.prepareStatement(sql)) {
      timedOut = CliDatabase.interruptAfter(conn, limit);
      boolean hasRows = stmt.execute();
      long rows = 0;
      if (hasRows) {
        try (ResultSet rs = stmt.getResultSet()) {
          rows = RowWriter.write(rs, format, out);
        }
      }
      out.flush();
      if (format == RowWriter.Format.TABLE) {
        err.printf(Locale.ROOT, "%d row%s in %.1f ms%n", rows, rows == 1 ? "" : "s", (System.nanoTime() - started) / 1e6);
      }
      return Main.OK;
    } catch (BadInputException e) {
      err.println("trawl: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (SQLException e) {
      out.flush();
      if (timedOut.getAsBoolean()) {
        err.println("trawl: query: stopped after " + Durations.format(limit) + " (--timeout; 0 = no limit)");
        return Main.FAILED;
      }
      err.println("trawl: query: " + explain(e));
      return Main.BAD_INPUT;
    }
  }

  private static String explain(SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof SQLiteException sqlite && sqlite.getResultCode().code % 256 == SQLiteErrorCode.SQLITE_READONLY.code) {
      return "the database is opened read-only; write statements are refused (nothing was changed)";
    }
    if (message.contains("too many attached databases")) {
      // SQLite's words for ATTACH and VACUUM (INTO), which attach a database, on a connection allowed none.
      return "ATTACH and VACUUM are not available: the database is opened read-only and alone (nothing was changed)";
    }
    return message;
  }
}
