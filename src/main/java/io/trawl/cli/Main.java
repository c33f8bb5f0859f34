package io.trawl.cli;

import io.trawl.store.sqlite.SqliteNativeLibrary;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code trawl} command line: crawl, try, query, stats, export, diff, report, bench. Exit codes: 0
 * done, 1 failed, 2 bad input, 130/143 stopped by a signal; 3 is the JVM's own when it runs out of memory
 * ({@code -XX:+ExitOnOutOfMemoryError} in {@code src/main/jvm.options}).
 */
@Command(
    name = "trawl",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "An asynchronous web crawler and scraper that stores everything in one SQLite file.",
    subcommands = {
      CrawlCommand.class, TryCommand.class, QueryCommand.class, StatsCommand.class, ExportCommand.class,
      DiffCommand.class, ReportCommand.class, BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  /** Done. */
  public static final int OK = 0;
  /** The crawl failed as a whole (for example, the database could not be written), or a query ran past its --timeout. */
  public static final int FAILED = 1;
  /** Bad usage, config or seeds. */
  public static final int BAD_INPUT = 2;
  /** Stopped by Ctrl-C (SIGINT). */
  public static final int INTERRUPTED = 130;
  /** Stopped by SIGTERM. */
  public static final int TERMINATED = 143;

  public static void main(String[] args) {
    withoutNettyJfrEvents();
    SqliteNativeLibrary.useCopyBesideJar();
    System.exit(run(args));
  }

  /**
   * Netty registers its buffer allocator's JFR event types when it allocates its first buffer,
   * which builds JFR's whole type library on the event loop of the first request: 0.3-0.8 s seen
   * by the blocked-thread check. trawl's profiling (BENCHMARKS.md) uses JFR's execution samples,
   * not these events; {@code -Dio.netty.jfr.enabled=true} brings them back. Must run before Netty
   * is first used.
   */
  static void withoutNettyJfrEvents() {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  /** Runs the command line and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    // Query and export write the crawl's text: UTF-8 whatever the locale (Java 17 follows it).
    cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cli.setExecutionExceptionHandler((ex, line, parsed) -> {
      line.getErr().println("trawl: " + ex.getMessage());
      return FAILED;
    });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"trawl " + (version == null ? "dev" : version)};
    }
  }
}
