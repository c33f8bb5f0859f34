package io.trawl.config;

/**
 * A seeds file that cannot be used: {@code seeds.txt:7: "htp://x" is not an http(s) URL}, or for
 * the file as a whole (missing, unreadable, no seeds) {@code seeds.txt: has no seeds}, with
 * {@link #lineNo()} 0. The CLI prints it as is and exits 2.
 */
public final class SeedException extends RuntimeException {
  private final String file;
  private final int lineNo;
  private final String text;
  private final String reason;

  /**
   * @param lineNo the 1-based line at fault, 0 when the file as a whole is
   * @param text the offending URL as written, "" for file-level errors
   * @param reason what is wrong, a phrase completing the text: {@code is not an http(s) URL}
   */
  public SeedException(String file, int lineNo, String text, String reason, Throwable cause) {
    super(
        lineNo > 0
            ? file + ":" + lineNo + ": \"" + text + "\" " + reason
            : file + ": " + reason,
        cause);
    this.file = file;
    this.lineNo = lineNo;
    this.text = text;
    this.reason = reason;
  }

  public SeedException(String file, int lineNo, String text, String reason) {
    this(file, lineNo, text, reason, null);
  }

  /** The seeds file, as it was named to the reader. */
  public String file() {
    return file;
  }

  /** The 1-based line at fault; 0 when the file as a whole is. */
  public int lineNo() {
    return lineNo;
  }

  /** The offending URL as written; "" for file-level errors. */
  public String text() {
    return text;
  }

  /** What is wrong, e.g. {@code is not an http(s) URL}. */
  public String reason() {
    return reason;
  }
}
