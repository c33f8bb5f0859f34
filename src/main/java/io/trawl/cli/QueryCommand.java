package io.trawl.cli;

import io.trawl.config.Durations;
import io.trawl.store.StoreException;
import io.trawl.store.StoreReader;
import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code trawl query SQL}: runs one read-only statement on the database through its store
 * backend's reader, which refuses writes (a read-only SQLite connection; a read-only, rolled-back
 * PostgreSQL transaction and a guard against what such a transaction would let through) and
 * stops the query after {@code --timeout}. Main thread.
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
    Duration limit = Durations.parse(timeout).orElse(null);
    if (limit == null) {
      err.println("trawl: --timeout: expected a duration like 30s, 5m or 0 (no limit), got \"" + timeout + "\"");
      return Main.BAD_INPUT;
    }
    RowWriter.Format format = json ? RowWriter.Format.JSONL : csv ? RowWriter.Format.CSV : RowWriter.Format.TABLE;
    long started = System.nanoTime();
    try (StoreReader reader = dbOptions.resolve().openReader()) {
      try {
        ResultSet rs = reader.query(sql, limit);
        long rows = 0;
        if (rs != null) {
          rows = RowWriter.write(rs, format, out);
        }
        out.flush();
        if (format == RowWriter.Format.TABLE) {
          err.printf(Locale.ROOT, "%d row%s in %.1f ms%n", rows, rows == 1 ? "" : "s", (System.nanoTime() - started) / 1e6);
        }
        return Main.OK;
      } catch (SQLException e) {
        out.flush();
        throw reader.failure(e);
      }
    } catch (BadInputException e) {
      err.println("trawl: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (StoreException e) {
      out.flush();
      err.println("trawl: " + (aboutTheQuery(e) ? "query: " : "") + e.getMessage());
      return e.kind().badInput() ? Main.BAD_INPUT : Main.FAILED;
    }
  }

  private static boolean aboutTheQuery(StoreException e) {
    return switch (e.kind()) {
      case REFUSED, BAD_SQL, TIMEOUT -> true;
      default -> false;
    };
  }
}
