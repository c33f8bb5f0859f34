package io.trawl.testing;

import io.trawl.CrawlJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.util.OSInfo;

/**
 * A real {@code trawl} child JVM (or another main of the test classpath), for kill, signal, resume
 * and heap tests. Every child runs with this JVM's lowered blocked-thread limit and its
 * {@link BlockedThreadWatch}, and every way of reading its end ({@link #exitCode}, {@link #output},
 * {@link #kill}) fails the test when the child's watch judged a block real (past its
 * {@link #WARM_UP}).
 */
public final class TrawlProcess implements AutoCloseable {
  /** What Vert.x's blocked-thread checker writes ("Thread ... has been blocked for 312 ms, time limit is 200 ms"). */
  static final String BLOCKED_WARNING = "has been blocked for";
  /**
   * A fresh JVM's event loops load and link most of Vert.x and Netty on its first requests: the
   * first request of a child crawl held its loop 0.1-0.4 s on this shared 2-core VM at a load of
   * 5-8, 0.6 s at 20, class loading all the way down. A block that began within this long of the
   * child's start is its warm-up, tolerated up to {@link #WARM_UP_LIMIT_MS}; any later one fails
   * at the limit every JVM of the test run has (200 ms). With two test JVMs at once (forkCount) a
   * child at load 14 reached its first request 16 s after its start.
   */
  static final Duration WARM_UP = Duration.ofSeconds(30);
  static final long WARM_UP_LIMIT_MS = 1_000;
  private static final Pattern WARNING_LINE =
      Pattern.compile("^(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) .*" + BLOCKED_WARNING + " (\\d+) ms");
  /** The CPU {@link BlockedThreadWatch} measured for a block, in its verdict line ("cpu=206ms"). */
  private static final Pattern VERDICT_CPU = Pattern.compile(" cpu=(\\d+)ms ");
  private static final Pattern LIMIT = Pattern.compile("time limit is (\\d+) ms");
  private static final Logger log = LoggerFactory.getLogger(TrawlProcess.class);
  private static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
  /** The heap flags of the launcher: {@code ${TRAWL_JAVA_OPTS:--Xms128m -Xmx512m}}. */
  private static final Pattern LAUNCHER_HEAP = Pattern.compile("\\$\\{TRAWL_JAVA_OPTS:-([^}]*)}");

  /** Every child started, killed when this JVM exits if a test that failed early left one running. */
  private static final List<Process> STARTED = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
  }

  private final Process process;
  private final Path logFile;
  private final Instant startedAt;
  private final Set<String> toleratedSeen = ConcurrentHashMap.newKeySet();

  private TrawlProcess(Process process, Path logFile, Instant startedAt) {
    this.process = process;
    this.logFile = logFile;
    this.startedAt = startedAt;
  }

  /** Starts {@code trawl args...} with {@code -Xmx<heap>}, output (stdout and stderr) to {@code logFile}. */
  public static TrawlProcess start(String heap, Path logFile, String... args) throws IOException {
    return startWith(List.of("-Xmx" + heap), null, logFile, "io.trawl.cli.Main", args);
  }

  /** Starts the main class {@code mainClass} of the test classpath with {@code -Xmx<heap>}, output to {@code logFile}. */
  public static TrawlProcess startMain(String heap, Path logFile, String mainClass, String... args)
      throws IOException {
    // trawl's Main turns Netty's JFR events off itself; another main gets them off as this JVM has (pom.xml).
    return startWith(List.of("-Xmx" + heap, "-Dio.netty.jfr.enabled=false"), null, logFile, mainClass, args);
  }

  /**
   * Starts {@code trawl args...} with {@code -Xmx256m} in the working directory {@code dir}, where
   * the default {@code config.yaml}, {@code seeds.txt} and {@code trawl.db} are looked for, as a
   * user runs it.
   */
  public static TrawlProcess startIn(Path dir, Path logFile, String... args) throws IOException {
    return startWith(List.of("-Xmx256m"), dir, logFile, "io.trawl.cli.Main", args);
  }

  /**
   * Starts {@code trawl args...} with {@code -Xmx256m} under a file size limit of {@code kilobytes}
   * ({@code ulimit -f}): a write that would grow any file past it fails with "File too large". Unlike
   * a file's permissions, the limit binds root too, so a test can make the database unwritable
   * mid-crawl whoever runs it.
   */
  public static TrawlProcess startLimitingFileSize(long kilobytes, Path logFile, String... args) throws IOException {
    List<String> shell = List.of("bash", "-c", "ulimit -f " + kilobytes + " && exec \"$@\"", "bash");
    // sqlite-jdbc would write its 1 MB native library to a temp file first: hand it one ready made.
    String name = System.mapLibraryName("sqlitejdbc");
    Path libDir = Files.createDirectories(logFile.resolveSibling("sqlite-native"));
    String resource = "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name;
    try (InputStream lib = TrawlProcess.class.getResourceAsStream(resource)) {
      if (lib == null) {
        throw new IOException("sqlite-jdbc bundles no " + resource);
      }
      Files.copy(lib, libDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    return startWith(shell, List.of("-Xmx256m", "-Dorg.sqlite.lib.path=" + libDir, "-Dorg.sqlite.lib.name=" + name),
        null, logFile, "io.trawl.cli.Main", args);
  }

  /**
   * Starts {@code mainClass args...} as the {@code ./trawl} launcher starts a crawl: with the JVM flags
   * of {@code src/main/jvm.options} and the launcher's default heap flags, read from those files, so
   * a test of "the default heap" follows them. Output to {@code logFile}.
   */
  public static TrawlProcess startLikeLauncher(Path logFile, String mainClass, String... args) throws IOException {
    return startLikeLauncher(logFile, List.of(), mainClass, args);
  }

  /** As {@link #startLikeLauncher(Path, String, String...)}, with more JVM flags (a GC log...) after the launcher's. */
  public static TrawlProcess startLikeLauncher(Path logFile, List<String> jvmFlags, String mainClass, String... args)
      throws IOException {
    List<String> flags = new ArrayList<>();
    flags.add("@" + BASEDIR.resolve("src/main/jvm.options"));
    if (!"root".equals(System.getProperty("user.name"))) {
      flags.add("-XX:-PrintWarnings"); // as the launcher does, see there
    }
    flags.addAll(launcherHeapFlags());
    flags.addAll(jvmFlags);
    return startWith(flags, null, logFile, mainClass, args);
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

  private static TrawlProcess startWith(List<String> jvmFlags, Path workDir, Path logFile, String mainClass,
      String... args) throws IOException {
    return startWith(List.of(), jvmFlags, workDir, logFile, mainClass, args);
  }

  /** @param launcher what runs the {@code java} command ({@code bash -c ...}), or nothing */
  private static TrawlProcess startWith(List<String> launcher, List<String> jvmFlags, Path workDir, Path logFile,
      String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    String limit = System.getProperty(CrawlJob.EVENT_LOOP_LIMIT_PROPERTY);
    if (limit != null) {
      command.add("-D" + CrawlJob.EVENT_LOOP_LIMIT_PROPERTY + "=" + limit);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    Instant startedAt = Instant.now();
    Process process = new ProcessBuilder(command)
        .directory(workDir == null ? null : workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile())
        .start();
    STARTED.add(process);
    return new TrawlProcess(process, logFile, startedAt);
  }

  /** The child's standard input. */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for the process to end and returns its exit code; fails if it is still running after
   * {@code timeout} (and kills it) or if its output holds a blocked-thread warning.
   */
  public int exitCode(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the process did not end within " + timeout + ":\n" + rawOutput());
    }
    output();
    return process.exitValue();
  }

  /**
   * What the process has written so far; fails if it holds a blocked-thread warning that
   * {@link BlockedThreadWatch} judged blocking, past the child's warm-up.
   */
  public String output() {
    String output = rawOutput();
    List<String> failing = new ArrayList<>();
    for (String line : output.lines().filter(l -> l.contains(BlockedThreadWatch.VERDICT + "BLOCKING")).toList()) {
      if (!isWarmUp(line, startedAt)) {
        failing.add(line);
      } else if (toleratedSeen.add(line)) {
        log.warn("child JVM warm-up, tolerated: {}", line);
      }
    }
    if (!failing.isEmpty()) {
      throw new AssertionError("a Vert.x thread was blocked in the child process: " + failing.get(0) + "\n" + output);
    }
    return output;
  }

  /**
   * Whether the blocked-thread warning {@code line}, logged by a child started at {@code startedAt},
   * reports a block of its {@link #WARM_UP} under {@link #WARM_UP_LIMIT_MS}. A line whose time or
   * duration cannot be read is not.
   */
  static boolean isWarmUp(String line, Instant startedAt) {
    Matcher m = WARNING_LINE.matcher(line);
    if (!m.find()) {
      return false;
    }
    long blockedMs = Long.parseLong(m.group(2));
    ZonedDateTime start = startedAt.atZone(ZoneId.systemDefault());
    ZonedDateTime logged = start.with(LocalTime.parse(m.group(1)));
    if (logged.isBefore(start.minusMinutes(1))) {
      logged = logged.plusDays(1); // logged after midnight
    }
    Instant blockedFrom = logged.toInstant().minusMillis(blockedMs);
    return (blockedMs < WARM_UP_LIMIT_MS || busyButShort(line)) && blockedFrom.isBefore(startedAt.plus(WARM_UP));
  }

  /**
   * Whether the verdict {@code line} reports a block judged by the CPU the thread used, and that
   * CPU is under {@link #WARM_UP_LIMIT_MS}: on a loaded machine a warm-up's class loading of 0.2 s
   * of CPU took 2-4.5 s of wall time (load 30-37). A block judged as waiting in a blocking call
   * (its CPU under the run's limit) is not one: its wall time is what counts.
   */
  private static boolean busyButShort(String line) {
    Matcher cpu = VERDICT_CPU.matcher(line);
    Matcher limit = LIMIT.matcher(line);
    if (!cpu.find() || !limit.find()) {
      return false;
    }
    long cpuMs = Long.parseLong(cpu.group(1));
    return cpuMs >= Long.parseLong(limit.group(1)) && cpuMs < WARM_UP_LIMIT_MS;
  }

  /**
   * Sends SIGINT, as Ctrl-C does. Fails at once, saying why, where the process ignores SIGINT: it
   * inherits that from whatever started the tests (a background job of a shell without job
   * control, {@code mvn test &} in a script, starts with SIGINT ignored), and a test of Ctrl-C
   * would otherwise wait out its timeout and fail as if trawl had not stopped.
   */
  public void interrupt() throws IOException, InterruptedException {
    if (ignoresSigint(process.pid())) {
      throw new AssertionError("process " + process.pid() + " ignores SIGINT, inherited from whatever started the "
          + "tests (a background job of a shell without job control starts so): Ctrl-C cannot be tested from "
          + "here; run the tests in the foreground or from a shell with job control (set -m)");
    }
    signal("INT");
  }

  /** Whether process {@code pid} ignores SIGINT (its {@code SigIgn} mask in /proc); false where /proc cannot tell. */
  static boolean ignoresSigint(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.isReadable(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        // Signal n is bit n - 1 of the mask; SIGINT is 2.
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & (1L << 1)) != 0;
      }
    }
    return false;
  }

  /** Sends SIGTERM. */
  public void terminate() throws IOException, InterruptedException {
    signal("TERM");
  }

  /** SIGSTOP: the process is frozen, as a machine cut off or a long GC pause, until {@link #unfreeze}. */
  public void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: a frozen process runs on. */
  public void unfreeze() throws IOException, InterruptedException {
    signal("CONT");
  }

  /** SIGKILL, then waits for the end; fails if the output so far holds a blocked-thread warning. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the process survived SIGKILL for 30 s");
    }
    output();
  }

  /** Kills the process if it is still running, so a failed test leaves none behind. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  private String rawOutput() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
