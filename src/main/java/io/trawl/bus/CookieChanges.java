package io.trawl.bus;

import java.util.List;

/**
 * What changed in the cookie jar since it was last saved: cookies set (inserted or replaced, by
 * domain, path and name) and cookies gone (expired, deleted by their server, or evicted).
 */
public record CookieChanges(List<CookieRecord> saved, List<CookieRecord> removed) {
  public static final CookieChanges NONE = new CookieChanges(List.of(), List.of());

  public boolean isEmpty() {
    return saved.isEmpty() && removed.isEmpty();
  }
}
