package io.trawl.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real {@code trawl} child JVM, started from the test classpath, for kill and resume tests. */
public final class TrawlProcess {
  private TrawlProcess() {}

  /** Starts {@code trawl args...} with {@code -Xmx<heap>}, output to {@code log}. */
  public static Process start(String heap, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.trawl.cli.Main");
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
