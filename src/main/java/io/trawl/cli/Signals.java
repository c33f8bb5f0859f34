package io.trawl.cli;

import java.util.Optional;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a crawl: the first asks for a graceful stop, the second
 * exits at once (the database stays consistent and resumable either way).
 */
final class Signals {
  private static final Signal INT = new Signal("INT");
  private static final Signal TERM = new Signal("TERM");

  private final Runnable onFirst;
  private final SignalHandler previousInt;
  private final SignalHandler previousTerm;
  private volatile Integer exitCode;

  private Signals(Runnable onFirst) {
    this.onFirst = onFirst;
    this.previousInt = Signal.handle(INT, this::handle);
    this.previousTerm = Signal.handle(TERM, this::handle);
  }

  static Signals install(Runnable onFirst) {
    return new Signals(onFirst);
  }

  /** 130 or 143 when a signal stopped the crawl. */
  Optional<Integer> exitCode() {
    return Optional.ofNullable(exitCode);
  }

  void uninstall() {
    Signal.handle(INT, previousInt);
    Signal.handle(TERM, previousTerm);
  }

  private void handle(Signal signal) {
    int code = signal.getName().equals("INT") ? Main.INTERRUPTED : Main.TERMINATED;
    if (exitCode != null) {
      System.err.println("\ntrawl: stopping now; run with --resume to continue");
      Runtime.getRuntime().halt(code);
    }
    exitCode = code;
    System.err.println("\ntrawl: stopping: finishing pages in flight (press Ctrl-C again to quit at once)");
    onFirst.run();
  }
}
