package io.trawl.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
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
    WARNINGS.add(event.getFormattedMessage());
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
