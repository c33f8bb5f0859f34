package io.trawl.config;

/**
 * A seeds file that cannot be used: {@code seeds.txt:7: "htp://x" is not an http(s) URL}, a line
 * as a whole ({@code seeds.txt:7: is longer than 8192 characters, ...}), or the file as a whole
 * (missing, unreadable, too large, no seeds) {@code seeds.txt: has no seeds}, with {@link
 * #lineNo()} 0. Control characters of the text are shown as Unicode escapes, so the message cannot
 * recolour or retitle a terminal. The CLI prints it as is and exits 2.
 */
public final class SeedException extends RuntimeException {
  private final String file;
  private final int lineNo;
  private final String text;
  private final String reason;

  /**
   * @param lineNo the 1-based line at fault, 0 when the file as a whole is
   * @param text the offending URL as written, "" for errors of a whole line or file
   * @param reason what is wrong, a phrase completing the text (or the line, or the file): {@code
   *     is not an http(s) URL}
   */
  public SeedException(String file, int lineNo, String text, String reason, Throwable cause) {
    super(message(file, lineNo, text, reason), cause);
    this.file = file;
    this.lineNo = lineNo;
    this.text = text;
    this.reason = reason;
  }

  public SeedException(String file, int lineNo, String text, String reason) {
    this(file, lineNo, text, reason, null);
  }

  private static String message(String file, int lineNo, String text, String reason) {
    String where = lineNo > 0 ? file + ":" + lineNo + ": " : file + ": ";
    return text.isEmpty() ? where + reason : where + '"' + escaped(text) + "\" " + reason;
  }

  private static String escaped(String text) {
    StringBuilder shown = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (Character.isISOControl(c)) {
        shown.append(String.format("\\u%04x", (int) c));
      } else {
        shown.append(c);
      }
    }
    return shown.toString();
  }

  /** The seeds file, as it was named to the reader. */
  public String file() {
    return file;
  }

  /** The 1-based line at fault; 0 when the file as a whole is. */
  public int lineNo() {
    return lineNo;
  }

  /** The offending URL as written; "" for errors of a whole line or file. */
  public String text() {
    return text;
  }

  /** What is wrong, e.g. {@code is not an http(s) URL}. */
  public String reason() {
    return reason;
  }
}
