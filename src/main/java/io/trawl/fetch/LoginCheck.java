package io.trawl.fetch;

import io.trawl.config.HostSettings;
import io.trawl.core.UrlNormalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.jsoup.Jsoup;

/**
 * How a page tells that its host's login session is lost: a redirect to the login's URL (the
 * exchange stops there: a 3xx result whose final URL is the login's), a {@code 401}, or an HTML
 * page without the login's {@code success} selector. The login URL itself, fetched as a page of the
 * crawl, tells nothing. Stateless; {@link #holds} parses, so it runs on a worker.
 */
final class LoginCheck {
  private static final int UNAUTHORIZED = 401;

  private LoginCheck() {}

  /** {@code url} normalized, without its query and fragment: the form a redirect is compared in. */
  static String withoutQuery(String url) {
    String normalized = UrlNormalizer.normalize(url).orElse(url);
    int cut = normalized.length();
    for (char c : new char[] {'?', '#'}) {
      int at = normalized.indexOf(c);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return normalized.substring(0, cut);
  }

  /** Whether {@code url} is the login URL of {@code settings} (a page of the crawl that is checked for nothing). */
  static boolean isLoginPage(HostSettings settings, String url) {
    return !settings.login().isNone() && withoutQuery(url).equals(withoutQuery(settings.login().url()));
  }

  /** Whether {@code result} shows the session lost without looking into its body: sent to the login, or a 401. */
  static boolean ledToLogin(HostSettings settings, FetchResult result) {
    if (settings.login().isNone()) {
      return false;
    }
    boolean redirected = result.status() >= 300 && result.status() < 400 && isLoginPage(settings, result.finalUrl());
    return redirected || result.status() == UNAUTHORIZED;
  }

  /** Whether the HTML {@code body}, from {@code url}, holds an element {@code selector} matches. Blocking. */
  static boolean holds(byte[] body, String url, String selector) throws IOException {
    return Jsoup.parse(new ByteArrayInputStream(body), null, url).selectFirst(selector) != null;
  }
}
