package io.trawl.cli;

import io.trawl.report.ReportData;
import io.trawl.report.ReportPage;
import io.trawl.store.StoreBackend;
import io.trawl.store.StoreException;
import io.trawl.store.StoreReader;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code trawl report}: one self-contained HTML file of what the database's crawls did, with its
 * charts, that opens offline. Written to a temporary file beside the target and moved into place,
 * so a failed run leaves no half-written report. Main thread.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write one self-contained HTML report of the crawl: runs, throughput, statuses, errors, hosts, depth, items, downloads.")
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DbOptions dbOptions;

  @Option(names = {"-o", "--output"}, defaultValue = "report.html", description = "HTML file to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    long started = System.nanoTime();
    try {
      StoreBackend store = dbOptions.resolve();
      JsonObject data;
      try (StoreReader reader = store.openReader()) {
        data = new ReportData(reader::query).read();
      }
      data.put("generatedAt", Instant.now().toString());
      byte[] html = ReportPage.html(store.display(), data).getBytes(StandardCharsets.UTF_8);
      write(html);
      err.printf(Locale.ROOT, "trawl: report written to %s (%d pages, %.1f MB, %.1f s)%n", output,
          data.getJsonObject("totals").getLong("pages"), html.length / 1e6, (System.nanoTime() - started) / 1e9);
      return Main.OK;
    } catch (BadInputException e) {
      err.println("trawl: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (StoreException e) {
      err.println("trawl: report: " + e.getMessage());
      // The report's own SQL failing is a failure, not bad input from the user.
      return e.kind().badInput() && e.kind() != StoreException.Kind.BAD_SQL ? Main.BAD_INPUT : Main.FAILED;
    } catch (SQLException e) {
      err.println("trawl: report: " + e.getMessage());
      return Main.FAILED;
    } catch (IOException e) {
      err.println("trawl: report: cannot write " + output + ": " + e.getMessage());
      return Main.FAILED;
    }
  }

  private void write(byte[] html) throws IOException {
    Path target = output.toAbsolutePath();
    Path temp = target.resolveSibling("." + target.getFileName() + ".part");
    try {
      Files.write(temp, html);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
