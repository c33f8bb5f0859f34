package io.trawl.bus;

/**
 * The parser's answer to a {@link FetchedPage}: the page was stored, or (only for a page that
 * {@link FetchedPage#mayRender may be rendered}) it lacks what the rules look for and goes to the
 * browser instead, stored nowhere yet.
 *
 * @param newUrls frontier rows the stored page added
 * @param error the {@code pages.error} word of the row written, or null
 * @param found whether the rules that match the page found something (an item with a value, a
 *     link in a {@code follow} region), or no rule matches it: what {@code render.mode: auto}
 *     learns from
 * @param renderWanted non-null when nothing was stored and the page must be rendered: why (a
 *     {@code pages.rendered} word)
 */
public record ParseResult(int newUrls, String error, boolean found, String renderWanted) {
  /** The page was stored. */
  public static ParseResult stored(PageStored stored, boolean found) {
    return new ParseResult(stored.newUrls(), stored.error(), found, null);
  }

  /** Nothing stored: the page lacks its content, and the browser should render it ({@code why}). */
  public static ParseResult toRender(String why) {
    return new ParseResult(0, null, false, why);
  }
}
