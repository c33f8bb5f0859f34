package io.trawl.cli;

import io.trawl.store.ExportTable;
import io.trawl.store.StoreException;
import io.trawl.store.StoreReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code trawl export}: streams a table to a file or stdout as JSON lines, a JSON array or CSV, row by row. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a table (pages, links, items, frontier, crawls, downloads) as jsonl, json or csv.")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DbOptions dbOptions;

  @Option(names = {"-t", "--table"}, defaultValue = "pages", description = "pages, links, items, frontier, crawls, downloads, page_versions or item_history "
      + "(default: ${DEFAULT-VALUE}).")
  String table;

  @Option(names = {"-f", "--format"}, defaultValue = "jsonl", description = "jsonl, json or csv (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-o", "--output"}, description = "Output file (default: stdout).")
  Path output;

  @Option(names = "--rule", description = "Only the items of this extraction rule (with --table items).")
  String rule;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ExportTable exported = ExportTable.named(table).orElse(null);
    if (exported == null) {
      err.println("trawl: export --table " + table + ": expected one of "
          + String.join(", ", Arrays.stream(ExportTable.values()).map(ExportTable::tableName).toList()));
      return Main.BAD_INPUT;
    }
    if (rule != null && !table.equalsIgnoreCase("items")) {
      err.println("trawl: export --rule " + rule + ": only items have a rule (add --table items)");
      return Main.BAD_INPUT;
    }
    RowWriter.Format rows;
    switch (format.toLowerCase(Locale.ROOT)) {
      case "jsonl" -> rows = RowWriter.Format.JSONL;
      case "json" -> rows = RowWriter.Format.JSON;
      case "csv" -> rows = RowWriter.Format.CSV;
      default -> {
        err.println("trawl: export --format " + format + ": expected jsonl, json or csv");
        return Main.BAD_INPUT;
      }
    }
    try (StoreReader reader = dbOptions.resolve().openReader(); PrintWriter out = open()) {
      long count;
      if (exported == ExportTable.ITEMS && rows == RowWriter.Format.CSV) {
        count = ItemsCsv.write(reader, rule, out);
      } else {
        try (ResultSet rs = reader.export(exported, rule)) {
          count = RowWriter.write(rs, rows, out);
        }
      }
      if (output != null) {
        err.printf("exported %d rows of %s to %s%n", count, table, output);
      }
      if (count == 0 && rule != null) {
        err.println("trawl: warning: no items of rule " + rule + "; rules with items: " + String.join(", ", reader.itemRules()));
      }
      return Main.OK;
    } catch (BadInputException e) {
      err.println("trawl: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (StoreException e) {
      err.println("trawl: export: " + e.getMessage());
      return e.kind().badInput() ? Main.BAD_INPUT : Main.FAILED;
    } catch (SQLException | IOException e) {
      err.println("trawl: export: " + e.getMessage());
      return Main.FAILED;
    }
  }

  private PrintWriter open() throws IOException {
    if (output == null) {
      // The command line's own out (Main sets it to UTF-8), buffered: it flushes on every println.
      return new PrintWriter(new BufferedWriter(spec.commandLine().getOut()), false) {
        @Override
        public void close() {
          flush();
        }
      };
    }
    return new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8));
  }
}
