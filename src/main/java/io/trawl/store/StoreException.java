package io.trawl.store;

/**
 * A store failure the command line reports as one line: its message names the database (a URL
 * without its password) and what failed. The kind says whose fault it was.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Whose fault a store failure is. */
  public enum Kind {
    /** {@code crawl.db} or {@code --db} cannot be read as a file path or a database URL. */
    BAD_LOCATION(true),
    /** The database does not exist, or holds no trawl tables. */
    NO_DATABASE(true),
    /** Another crawl is running on the database. */
    BUSY(true),
    /** {@code query} was given something it refuses: a write, a second statement, a side effect. */
    REFUSED(true),
    /** {@code query} was given SQL the database cannot run (syntax, unknown column...). */
    BAD_SQL(true),
    /** {@code query} ran longer than its {@code --timeout} and was stopped. */
    TIMEOUT(false),
    /** The server cannot be reached, refused the credentials, or denied the rights the store needs. */
    UNAVAILABLE(false),
    /** A write or read failed for another reason (disk full, a newer schema, a lost connection). */
    FAILED(false);

    private final boolean badInput;

    Kind(boolean badInput) {
      this.badInput = badInput;
    }

    /** Bad input (exit 2) rather than a failure of the database (exit 1). */
    public boolean badInput() {
      return badInput;
    }
  }

  private final Kind kind;

  public StoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
