package io.trawl.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real {@code trawl} child JVM (or another main), started from the test classpath, for kill, resume and heap tests. */
public final class TrawlProcess {
  private TrawlProcess() {}

  private static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
  /** The heap flags of the launcher: {@code ${TRAWL_JAVA_OPTS:--Xms128m -Xmx512m}}. */
  private static final Pattern LAUNCHER_HEAP = Pattern.compile("\\$\\{TRAWL_JAVA_OPTS:-([^}]*)}");

  /**
   * Starts {@code mainClass args...} as the {@code ./trawl} launcher starts a crawl: with the JVM flags
   * of {@code src/main/jvm.options} and the launcher's default heap flags, read from those files, so
   * a test of "the default heap" follows them. Output to {@code log}.
   */
  public static Process startLikeLauncher(Path log, String mainClass, String... args) throws IOException {
    return startLikeLauncher(log, List.of(), mainClass, args);
  }

  /** As {@link #startLikeLauncher(Path, String, String...)}, with more JVM flags (a GC log...) after the launcher's. */
  public static Process startLikeLauncher(Path log, List<String> jvmFlags, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + BASEDIR.resolve("src/main/jvm.options"));
    if (!"root".equals(System.getProperty("user.name"))) {
      command.add("-XX:-PrintWarnings"); // as the launcher does, see there
    }
    command.addAll(launcherHeapFlags());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** The heap flags the launcher passes when TRAWL_JAVA_OPTS is not set. */
  public static List<String> launcherHeapFlags() {
    try {
      Matcher m = LAUNCHER_HEAP.matcher(Files.readString(BASEDIR.resolve("trawl")));
      if (!m.find()) {
        throw new IllegalStateException("no ${TRAWL_JAVA_OPTS:-...} in the launcher " + BASEDIR.resolve("trawl"));
      }
      return Arrays.asList(m.group(1).trim().split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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
