package io.trawl.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a Vert.x blocked-thread warning fail the test during which it was logged. The appender is
 * wired to {@code io.vertx.core.impl.BlockedThreadChecker} in logback-test.xml; the extension is
 * registered for every test through JUnit's extension auto-detection.
 */
public final class BlockedThreadWatch extends AppenderBase<ILoggingEvent> {
  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder warning = new StringBuilder(event.getFormattedMessage());
    // Where the thread was (the checker attaches its stack once a block passes the warning time).
    IThrowableProxy stack = event.getThrowableProxy();
    if (stack != null) {
      StackTraceElementProxy[] frames = stack.getStackTraceElementProxyArray();
      for (int i = 0; i < Math.min(frames.length, 25); i++) {
        warning.append("\n\t").append(frames[i].getSTEAsString());
      }
    }
    WARNINGS.add(warning.toString());
  }

  /** The warnings logged since the current test started, removed: for a test that blocks a thread on purpose. */
  public static List<String> take() {
    List<String> taken = List.copyOf(WARNINGS);
    WARNINGS.removeAll(taken);
    return taken;
  }

  /** Clears the warnings before each test and fails the test if any were logged during it. */
  public static final class FailOnBlocked implements BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
      WARNINGS.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
      if (!WARNINGS.isEmpty()) {
        String first = WARNINGS.get(0);
        WARNINGS.clear();
        throw new AssertionError("a Vert.x thread was blocked during this test: " + first);
      }
    }
  }
}
