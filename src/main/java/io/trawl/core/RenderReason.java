package io.trawl.core;

/**
 * Why a page was rendered in the browser: the words of {@code pages.rendered} (NULL there: fetched
 * plainly). Constants only.
 */
public final class RenderReason {
  /** {@code render.urls} matches the URL. */
  public static final String URLS = "urls";
  /** {@code render.mode} is {@code all}. */
  public static final String ALL = "all";
  /** {@code render.mode: auto}: the rules that match the page found nothing on it fetched plainly. */
  public static final String AUTO = "auto";
  /** {@code render.mode: auto}: the page fetched plainly lacked {@code render.when_missing}. */
  public static final String WHEN_MISSING = "when_missing";
  /** {@code render.mode: auto}: its URL pattern was learned to need the browser, so it went there straight. */
  public static final String LEARNED = "learned";

  private RenderReason() {}

  /** Whether a page rendered for {@code reason} was first fetched plainly and found lacking: what auto mode learns from. */
  public static boolean afterPlain(String reason) {
    return AUTO.equals(reason) || WHEN_MISSING.equals(reason);
  }
}
