package io.trawl.config;

import java.nio.file.Path;

/** A seeds file trawl refuses: {@code seeds.txt:7: "htp://x" is not an http(s) URL}. Exit code 2. */
public final class SeedException extends RuntimeException {
  private final Path file;
  private final int lineNo;
  private final String text;
  private final String reason;

  /**
   * @param lineNo the 1-based line, or 0 for the file as a whole
   */
  public SeedException(Path file, int lineNo, String text, String reason) {
    super(file + (lineNo > 0 ? ":" + lineNo : "") + ": " + (text == null ? "" : "\"" + text + "\" ") + reason);
    this.file = file;
    this.lineNo = lineNo;
    this.text = text;
    this.reason = reason;
  }

  public Path file() {
    return file;
  }

  public int lineNo() {
    return lineNo;
  }

  public String text() {
    return text;
  }

  public String reason() {
    return reason;
  }
}
