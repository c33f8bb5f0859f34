package io.trawl.testing;

import io.trawl.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code trawl} command line in this JVM with its stdout and stderr captured. */
public final class Cli {
  /** How a command ended: its exit code and what it printed. */
  public record Result(int code, String out, String err) {}

  private Cli() {}

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
