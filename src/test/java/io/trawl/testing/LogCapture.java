package io.trawl.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Records what one logger (and its children) logs while it is open, on whichever thread logs it:
 * a test asserts that a library had nothing to complain about.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger logger;
  private final Level levelBefore;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture(String name) {
    this.logger = (Logger) LoggerFactory.getLogger(name);
    this.levelBefore = logger.getLevel();
  }

  /** Starts recording {@code name}'s events at the level the configuration gives it. */
  public static LogCapture of(String name) {
    LogCapture capture = new LogCapture(name);
    capture.setContext(capture.logger.getLoggerContext());
    capture.start();
    capture.logger.addAppender(capture);
    return capture;
  }

  /** Starts recording {@code name}'s events from {@code level} up, until closed. */
  public static LogCapture of(String name, Level level) {
    LogCapture capture = of(name);
    capture.logger.setLevel(level);
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    lines.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage());
  }

  /** Each event as {@code LEVEL logger - message}, in order. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    logger.setLevel(levelBefore);
    logger.detachAppender(this);
    stop();
  }
}
