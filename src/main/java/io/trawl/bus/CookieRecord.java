package io.trawl.bus;

/**
 * One cookie of a crawl's cookie jar, as the {@code cookies} table holds it (RFC 6265's storage
 * model). Its {@link #toString} hides the value, which is often a session's credential.
 *
 * @param domain the host (host-only) or domain it is sent to, lowercase, no leading dot
 * @param path the path it is sent under
 * @param hostOnly sent to {@code domain} exactly, not to its subdomains
 * @param secure sent over https only
 * @param httpOnly kept from scripts (recorded; a crawler runs none)
 * @param expiresAtMs epoch ms after which it is dropped; 0 for a session cookie, kept for the
 *     whole crawl, resumes included
 * @param createdAtMs when it was first set (kept when a server sets it again), which orders
 *     cookies of equal path length in a {@code Cookie} header
 * @param lastAccessMs when it was last set or sent: the least recently used goes first when the
 *     jar is full
 */
public record CookieRecord(
    String domain, String path, String name, String value, boolean hostOnly, boolean secure, boolean httpOnly,
    long expiresAtMs, long createdAtMs, long lastAccessMs) {

  /** Whether this cookie has expired at {@code nowMs}. */
  public boolean expired(long nowMs) {
    return expiresAtMs != 0 && expiresAtMs <= nowMs;
  }

  /** This cookie, last used at {@code nowMs}. */
  public CookieRecord accessed(long nowMs) {
    return new CookieRecord(domain, path, name, value, hostOnly, secure, httpOnly, expiresAtMs, createdAtMs, nowMs);
  }

  @Override
  public String toString() {
    return name + "=*** domain=" + domain + " path=" + path + (hostOnly ? " host-only" : "") + (secure ? " secure" : "");
  }
}
