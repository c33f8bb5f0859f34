package io.trawl.render;

/**
 * A DevTools command that failed: the browser answered with an error (its code and message), or
 * the command could not be answered because its session or connection ended ({@link #code()}
 * {@value #NO_ANSWER}). Immutable.
 */
public final class CdpException extends RuntimeException {
  /** The code of a command that got no answer: its session or the connection ended first. */
  public static final int NO_ANSWER = -1;

  private final String method;
  private final int code;

  public CdpException(String method, int code, String message) {
    super(method + ": " + message, null, false, false);
    this.method = method;
    this.code = code;
  }

  static CdpException closed(String method) {
    return new CdpException(method, NO_ANSWER, "the DevTools connection is closed");
  }

  /** The command, e.g. {@code Page.navigate}. */
  public String method() {
    return method;
  }

  /** The browser's error code, or {@value #NO_ANSWER} when no answer came. */
  public int code() {
    return code;
  }

  /** Whether the command got no answer because its session or the connection ended. */
  public boolean unanswered() {
    return code == NO_ANSWER;
  }
}
