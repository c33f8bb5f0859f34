package io.trawl.cli;

import io.trawl.store.StoreException;
import io.trawl.store.StoreReader;
import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code trawl stats}: what the crawls in the database did: history, counts by status and error,
 * top hosts, speed, and what each extraction rule made ({@link RuleStatsTable}).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Show what the crawls did: history, pages by status and error, top hosts, pages/s, items per rule.")
final class StatsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DbOptions dbOptions;

  @Option(names = "--top", defaultValue = "10", description = "Hosts to list (default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (StoreReader reader = dbOptions.resolve().openReader()) {
      for (String section : reader.statsSections()) {
        out.println("== " + section);
        try (ResultSet rs = reader.stats(section, top)) {
          RowWriter.write(rs, RowWriter.Format.TABLE, out);
        }
        out.println();
      }
      out.println("== rules");
      RuleStatsTable.print(reader, out);
      out.println();
      out.flush();
      return Main.OK;
    } catch (BadInputException e) {
      err.println("trawl: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (StoreException e) {
      err.println("trawl: stats: " + e.getMessage());
      return e.kind().badInput() ? Main.BAD_INPUT : Main.FAILED;
    } catch (SQLException e) {
      err.println("trawl: stats: " + e.getMessage());
      return Main.FAILED;
    }
  }
}
