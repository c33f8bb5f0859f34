package io.trawl.core;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why a URL failed: the short, stable word stored in {@code pages.error}. Fixed kinds are
 * constants; HTTP failures are {@code http_<status>} built by {@link #http(int)}. Immutable,
 * safe on any thread.
 */
public final class FailureKind {
  private static final Map<String, FailureKind> KNOWN = new ConcurrentHashMap<>();

  /** No response, or the whole request (headers and body) took longer than allowed. */
  public static final FailureKind TIMEOUT = define("timeout", true);
  /** The host name did not resolve. */
  public static final FailureKind DNS = define("dns", false);
  /** The TCP connection was refused or could not be opened. */
  public static final FailureKind CONNECT = define("connect", true);
  /** The peer reset or closed the connection before the response ended. */
  public static final FailureKind RESET = define("reset", true);
  /** The body ended before the length the server announced. */
  public static final FailureKind TRUNCATED = define("truncated", true);
  /** The body, raw or inflated, went past {@code fetch.max_body_size} ({@code download.max_size} for a download). */
  public static final FailureKind TOO_LARGE = define("too_large", false);
  /** A redirect pointed back at a URL already visited in the same chain. */
  public static final FailureKind REDIRECT_LOOP = define("redirect_loop", false);
  /** More than {@code fetch.max_redirects} redirects in one chain. */
  public static final FailureKind TOO_MANY_REDIRECTS = define("too_many_redirects", false);
  /** A redirect led out of the crawl's scope or to a scheme other than http(s). */
  public static final FailureKind REDIRECT_OUT_OF_SCOPE = define("redirect_out_of_scope", false);
  /** A redirect without a usable Location header. */
  public static final FailureKind BAD_REDIRECT = define("bad_redirect", false);
  /**
   * A redirect to a URL with user info ({@code user:password@host}), which trawl never requests:
   * the classic way to hide the host a request goes to behind one that looks allowed.
   */
  public static final FailureKind USER_INFO = define("user_info", false);
  /**
   * {@code fetch.block_private_addresses}: the host resolved to a loopback, link-local, private,
   * unspecified or multicast address, which was not connected to.
   */
  public static final FailureKind BLOCKED_ADDRESS = define("blocked_address", false);
  /**
   * Every proxy the request could go through failed or sits benched (could not be connected to,
   * answered 407, or was answered with too many bans); the error names the last proxy tried,
   * without its password.
   */
  public static final FailureKind PROXY = define("proxy", true);
  /** robots.txt disallows the URL for our user agent. */
  public static final FailureKind ROBOTS = define("robots", false);
  /** The host's circuit breaker is open. */
  public static final FailureKind CIRCUIT_OPEN = define("circuit_open", true);
  /** The response could not be decoded (bad compression, broken TLS, protocol error). */
  public static final FailureKind PROTOCOL = define("protocol", false);
  /** The URL itself could not be fetched as written. */
  public static final FailureKind BAD_URL = define("bad_url", false);
  /** The page was fetched but could not be parsed. */
  public static final FailureKind PARSE = define("parse", false);
  /**
   * Parsing the page took more heap than its share of the parse budget (tens of bytes per byte of
   * HTML: thousands of nested or unclosed tags).
   */
  public static final FailureKind TOO_COMPLEX = define("too_complex", false);
  /**
   * The crawl stopped abnormally (a crash, a kill, the JVM out of memory) while the URL was in
   * flight, too many times to try it again on {@code --resume}.
   */
  public static final FailureKind CRASHED = define("crashed", false);
  /** A download could not be written to {@code download.dir} (disk full, no permission). */
  public static final FailureKind FILE = define("file", false);
  /**
   * The browser rendering the page crashed (again, after a restart), could not be started, or
   * failed the navigation for a reason no other kind names.
   */
  public static final FailureKind BROWSER = define("browser", true);
  /** The SQLite file could not be written: the crawl as a whole fails. */
  public static final FailureKind STORE = define("store", false);
  /** A bug or an unexpected condition inside trawl; never retried. */
  public static final FailureKind INTERNAL = define("internal", false);

  private final String code;
  private final boolean retryable;

  private FailureKind(String code, boolean retryable) {
    this.code = code;
    this.retryable = retryable;
  }

  private static FailureKind define(String code, boolean retryable) {
    FailureKind kind = new FailureKind(code, retryable);
    KNOWN.put(code, kind);
    return kind;
  }

  /**
   * The kind for an HTTP status that the crawl treats as a failure. Whether it is retried is
   * decided by the retry policy ({@code retry.statuses}), so this kind says "not retryable" and
   * the policy overrides it per status.
   */
  public static FailureKind http(int status) {
    return KNOWN.computeIfAbsent("http_" + status, code -> new FailureKind(code, false));
  }

  /** The kind stored under {@code code}; unknown words come back as {@link #INTERNAL}. */
  public static FailureKind fromCode(String code) {
    if (code == null) {
      return INTERNAL;
    }
    if (code.startsWith("http_")) {
      try {
        return http(Integer.parseInt(code.substring(5)));
      } catch (NumberFormatException e) {
        return INTERNAL;
      }
    }
    return KNOWN.getOrDefault(code, INTERNAL);
  }

  /** The kind that {@code error} carries, or {@link #INTERNAL} for anything unforeseen. */
  public static FailureKind of(Throwable error) {
    Throwable t = error;
    while (t != null) {
      if (t instanceof CrawlException crawl) {
        return crawl.kind();
      }
      t = t.getCause();
    }
    return INTERNAL;
  }

  /** The word stored in {@code pages.error}. */
  public String code() {
    return code;
  }

  /** Whether another attempt may succeed where this one failed (network trouble, not a verdict). */
  public boolean retryable() {
    return retryable;
  }

  /** The HTTP status of an {@code http_<status>} kind, or 0 for the other kinds. */
  public int httpStatus() {
    return code.startsWith("http_") ? Integer.parseInt(code.substring(5)) : 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FailureKind other && other.code.equals(code);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code);
  }

  @Override
  public String toString() {
    return code;
  }
}
