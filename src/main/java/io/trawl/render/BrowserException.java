package io.trawl.render;

/** A browser that could not be started, or that went away: its message says which and why. */
public final class BrowserException extends RuntimeException {
  public BrowserException(String message, Throwable cause) {
    super(message, cause);
  }

  public BrowserException(String message) {
    super(message);
  }
}
