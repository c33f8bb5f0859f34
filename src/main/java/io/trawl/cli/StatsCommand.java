package io.trawl.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code trawl stats}: what the crawls in the database did: history, counts by status and error, top hosts, speed. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Show what the crawls did: history, pages by status and error, top hosts, pages/s.")
final class StatsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DbOptions dbOptions;

  @Option(names = "--top", defaultValue = "10", description = "Hosts to list (default: ${DEFAULT-VALUE}).")
  int top;

  private static final String[][] SECTIONS = {
    {"crawls", """
        SELECT id, started_at, coalesce(finished_at, '-') AS finished_at, coalesce(outcome, 'running or killed') AS outcome,
               json_extract(stats, '$.stored') AS pages, round(json_extract(stats, '$.pagesPerSecond'), 1) AS pages_per_s
        FROM crawls ORDER BY id"""},
    {"frontier", "SELECT state, count(*) AS urls FROM frontier GROUP BY state ORDER BY urls DESC"},
    {"pages by status", "SELECT coalesce(status, 'none') AS status, count(*) AS pages FROM pages GROUP BY status ORDER BY pages DESC"},
    {"pages by error", "SELECT error, count(*) AS pages FROM pages WHERE error IS NOT NULL GROUP BY error ORDER BY pages DESC"},
    {"top hosts", """
        SELECT host(url) AS host, count(*) AS pages, sum(error IS NOT NULL) AS errors,
               round(avg(elapsed_ms)) AS avg_ms, sum(bytes) AS bytes
        FROM pages GROUP BY 1 ORDER BY pages DESC LIMIT %d"""},
    {"totals", """
        SELECT (SELECT count(*) FROM pages) AS pages, (SELECT count(*) FROM links) AS links,
               (SELECT count(*) FROM items) AS items, (SELECT coalesce(sum(bytes), 0) FROM pages) AS bytes"""},
    {"downloads", """
        SELECT count(*) AS downloads, count(DISTINCT path) AS files,
               (SELECT coalesce(sum(bytes), 0) FROM (SELECT DISTINCT path, bytes FROM downloads)) AS file_bytes
        FROM downloads"""},
  };

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Connection conn = CliDatabase.openReadOnly(dbOptions.resolve()); Statement stmt = conn.createStatement()) {
      for (String[] section : SECTIONS) {
        if (section[0].equals("downloads") && !CrawlLedger.tableExists(stmt, "downloads")) {
          continue; // a file written before schema version 2, opened read-only: nothing to count
        }
        out.println("== " + section[0]);
        try (ResultSet rs = stmt.executeQuery(section[1].formatted(top))) {
          RowWriter.write(rs, RowWriter.Format.TABLE, out);
        }
        out.println();
      }
      out.flush();
      return Main.OK;
    } catch (BadInputException e) {
      err.println("trawl: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (SQLException e) {
      err.println("trawl: stats: " + e.getMessage());
      return Main.FAILED;
    }
  }
}
