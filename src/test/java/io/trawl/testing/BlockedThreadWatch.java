package io.trawl.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a Vert.x blocked-thread warning fail the test during which it was logged, when the thread
 * was really blocked: it used the CPU for the limit or more since the block began, or it waited in
 * a blocking call ({@link EventLoopCpu}). A thread the machine only kept waiting (a 2-core VM
 * shared with other builds) is reported, not failed. The appender is wired to
 * {@code io.vertx.core.impl.BlockedThreadChecker} in logback-test.xml, so it runs in every JVM of
 * the test classpath, child processes included: there it prints each verdict on stderr as a
 * {@link #VERDICT} line, which {@link TrawlProcess} reads. The extension is registered for every
 * test through JUnit's extension auto-detection.
 */
public final class BlockedThreadWatch extends AppenderBase<ILoggingEvent> {
  /** Starts each verdict line: {@code 12:00:01.234 blocked-thread-watch verdict=BLOCKING cpu=312ms Thread ...}. */
  public static final String VERDICT = "blocked-thread-watch verdict=";
  private static final Pattern MESSAGE =
      Pattern.compile("Thread (\\S+) has been blocked for (\\d+) ms, time limit is (\\d+) ms");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
  private static final List<String> BLOCKED = new CopyOnWriteArrayList<>();

  @Override
  public void start() {
    EventLoopCpu.get();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    Matcher m = MESSAGE.matcher(message);
    if (!m.find()) {
      return;
    }
    List<String> frames = new ArrayList<>();
    IThrowableProxy stack = event.getThrowableProxy();
    if (stack != null) {
      for (StackTraceElementProxy frame : stack.getStackTraceElementProxyArray()) {
        StackTraceElement e = frame.getStackTraceElement();
        frames.add(e.getClassName() + "." + e.getMethodName());
      }
    }
    EventLoopCpu cpu = EventLoopCpu.get();
    long blockedMs = Long.parseLong(m.group(2));
    long cpuMs = cpu.cpuMsDuring(m.group(1), blockedMs);
    EventLoopCpu.Verdict verdict = cpu.judge(m.group(1), blockedMs, Long.parseLong(m.group(3)), frames);
    String time = TIME.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(ZoneId.systemDefault()));
    System.err.println(time + " " + VERDICT + verdict + " cpu=" + cpuMs + "ms " + message);
    if (verdict == EventLoopCpu.Verdict.BLOCKING) {
      StringBuilder warning = new StringBuilder(message).append(" (CPU ").append(cpuMs).append(" ms)");
      frames.stream().limit(25).forEach(frame -> warning.append("\n\t").append(frame));
      BLOCKED.add(warning.toString());
    }
  }

  /** The blocking warnings logged since the current test started, removed: for a test that blocks a thread on purpose. */
  public static List<String> take() {
    List<String> taken = List.copyOf(BLOCKED);
    BLOCKED.removeAll(taken);
    return taken;
  }

  /** Clears the warnings before each test and fails the test if a blocking one was logged during it. */
  public static final class FailOnBlocked implements BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
      BLOCKED.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
      if (!BLOCKED.isEmpty()) {
        String first = BLOCKED.get(0);
        BLOCKED.clear();
        throw new AssertionError("a Vert.x thread was blocked during this test: " + first);
      }
    }
  }
}
