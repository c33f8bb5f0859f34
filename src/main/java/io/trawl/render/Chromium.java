package io.trawl.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the system's Chromium is found and started: the executable (a path, or a name looked up on
 * PATH), the command line of a headless browser with a fresh profile that opens no connection of
 * its own (no sync, updates, metrics or prefetching: on a closed network those are refused by the
 * dozen) and listens for DevTools on a port of 127.0.0.1 it chooses, and a watchdog shell around
 * it that kills it if the JVM dies without closing it, {@code kill -9} included. Static helpers;
 * they touch the file system, so call them off the event loop.
 */
public final class Chromium {
  /**
   * {@code render.browser}'s default: the first of {@link #AUTO_CANDIDATES} found on PATH.
   */
  public static final String AUTO = "auto";

  /**
   * What {@link #AUTO} looks for, in order. Debian's {@code chromium-headless-shell} is Chromium's
   * headless mode as a program of its own, without the browser's UI layers that {@code chromium
   * --headless} still runs: measured with {@code trawl bench --render}, it costs half the browser
   * CPU and half the memory a rendered page costs in {@code chromium} (BENCHMARKS.md, Rendering).
   * {@code chromium} is the fallback where only it is installed.
   */
  public static final List<String> AUTO_CANDIDATES = List.of("chromium-headless-shell", "chromium");

  /**
   * A shell that starts the browser in the background and waits for it, while a second job reads
   * the shell's stdin, a pipe from the JVM: when the JVM closes it, or dies and the OS closes it,
   * the read returns and the browser is killed. The browser's own stdin is /dev/null.
   *
   * <p>The browser runs in a process group of its own ({@code setsid}, where there is one), and the
   * whole group is killed: Debian's {@code chromium-headless-shell} launcher is a shell script that
   * runs the browser as its child instead of exec'ing it, so killing the launcher alone would leave
   * the browser and its helpers running. A group of its own also keeps a terminal's Ctrl-C (sent to
   * trawl's group) from reaching the browser, which trawl closes itself when it stops.
   */
  static final String WATCHDOG = """
      exec 3<&0
      if command -v setsid >/dev/null 2>&1; then
        setsid "$@" 0</dev/null 3<&- &
      else
        "$@" 0</dev/null 3<&- &
      fi
      c=$!
      { read -r _ <&3; kill -KILL -"$c" 2>/dev/null || kill -KILL "$c" 2>/dev/null; } &
      w=$!
      exec 3<&-
      wait "$c"
      s=$?
      kill "$w" 2>/dev/null
      exit "$s"
      """;

  private static final List<String> FLAGS = List.of(
      "--headless",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
      "--disable-extensions",
      "--disable-breakpad",
      "--disable-domain-reliability",
      "--disable-client-side-phishing-detection",
      // A navigation keeps its tab's renderer process: no page kept alive for going back (a crawler
      // never goes back), no new browsing instance per navigation. Each was a process per page.
      "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,"
          + "CertificateTransparencyComponentUpdater,BackForwardCache,ProactivelySwapBrowsingInstance,"
          + "SpareRendererForSitePerProcess",
      "--metrics-recording-only",
      "--no-pings",
      "--password-store=basic",
      "--use-mock-keychain",
      "--mute-audio",
      "--hide-scrollbars",
      // Every tab renders at full speed: a crawler's tabs are all "in the background".
      "--disable-background-timer-throttling",
      "--disable-backgrounding-occluded-windows",
      "--disable-renderer-backgrounding",
      "--disable-hang-monitor",
      "--window-size=1280,800",
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0");

  private Chromium() {}

  /**
   * The executable {@code name} names: for {@link #AUTO}, the first of {@link #AUTO_CANDIDATES}
   * found; itself when it holds a {@code /} (a path); else the first executable file of that name
   * on PATH. Empty when there is none.
   */
  public static Optional<Path> find(String name) {
    if (AUTO.equals(name)) {
      return AUTO_CANDIDATES.stream().map(Chromium::find).flatMap(Optional::stream).findFirst();
    }
    if (name.contains("/")) {
      Path path = Path.of(name);
      return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String pathVariable = System.getenv("PATH");
    if (pathVariable == null) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@link #find} found nothing for {@code name}, and what to do about it: for an error that
   * names the setting it came from.
   */
  public static String notFound(String name) {
    if (AUTO.equals(name)) {
      return "no " + String.join(" or ", AUTO_CANDIDATES) + " on PATH (auto); install one (Debian: apt-get install "
          + AUTO_CANDIDATES.get(0) + ") or name the browser's path";
    }
    return "no Chromium executable \"" + name + "\"" + (name.contains("/") ? "" : " on PATH")
        + "; install it (Debian: apt-get install " + AUTO_CANDIDATES.get(0) + ") or name the browser's path";
  }

  /** The browser's command line: the executable, the flags, the profile directory. */
  static List<String> command(Path executable, Path profile, boolean sandbox) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(FLAGS);
    if (isHeadlessShell(executable)) {
      // What HeadlessExperimental.beginFrame needs to run on a tab: its frames come from us (FrameClock).
      command.add("--run-all-compositor-stages-before-draw");
    }
    if (!sandbox) {
      command.add("--no-sandbox");
    }
    command.add("--user-data-dir=" + profile);
    command.add("about:blank");
    return command;
  }

  /**
   * Whether {@code executable} is Chromium's headless shell ({@code chromium-headless-shell},
   * Google's {@code chrome-headless-shell}), the build whose tabs can take their frames from
   * DevTools ({@link FrameClock}).
   */
  static boolean isHeadlessShell(Path executable) {
    String name = executable.getFileName().toString();
    return name.contains("headless-shell") || name.contains("headless_shell");
  }

  /** The command line wrapped in {@link #WATCHDOG} where there is a POSIX shell, else as it is. */
  static List<String> watched(List<String> command) {
    Path shell = Path.of("/bin/sh");
    if (!Files.isExecutable(shell)) {
      return command;
    }
    List<String> watched = new ArrayList<>(List.of(shell.toString(), "-c", WATCHDOG, "sh"));
    watched.addAll(command);
    return watched;
  }

  /**
   * Whether the browser may use its sandbox: not as root, which Chromium refuses to sandbox (it
   * exits at once asking for {@code --no-sandbox}).
   */
  static boolean sandboxAllowed() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return !(uid instanceof Integer id && id == 0);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return !"root".equals(System.getProperty("user.name"));
    }
  }
}
