package io.trawl.core;

/** A fetch or parse failure of one URL: data to store in {@code pages.error}, not a crash. */
public final class CrawlException extends RuntimeException {
  private final FailureKind kind;
  private final String url;

  public CrawlException(FailureKind kind, String url, String detail, Throwable cause) {
    super(kind.code() + " " + url + (detail == null ? "" : ": " + detail), cause, false, false);
    this.kind = kind;
    this.url = url;
  }

  public CrawlException(FailureKind kind, String url, String detail) {
    this(kind, url, detail, null);
  }

  public FailureKind kind() {
    return kind;
  }

  public String url() {
    return url;
  }
}
