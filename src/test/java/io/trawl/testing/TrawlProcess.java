package io.trawl.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real {@code trawl} child JVM (or another main), started from the test classpath, for kill, resume and heap tests. */
public final class TrawlProcess {
  private TrawlProcess() {}

  /** Starts {@code trawl args...} with {@code -Xmx<heap>}, output to {@code log}. */
  public static Process start(String heap, Path log, String... args) throws IOException {
    return startMain(heap, log, "io.trawl.cli.Main", args);
  }

  /** Starts the main class {@code mainClass} of the test classpath with {@code -Xmx<heap>}, output to {@code log}. */
  public static Process startMain(String heap, Path log, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Sends SIGINT (Ctrl-C) to {@code process}. */
  public static void interrupt(Process process) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -INT " + process.pid() + " failed");
    }
  }

  public static String classpathSeparator() {
    return File.pathSeparator;
  }
}
