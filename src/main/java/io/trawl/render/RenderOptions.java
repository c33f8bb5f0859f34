package io.trawl.render;

import io.trawl.config.Durations;
import io.trawl.config.TrawlConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * How every page of a crawl is rendered, from {@code render.*} and the {@code fetch.*} bounds that
 * hold for rendered pages too. Immutable.
 *
 * @param waitFor what a page waits for after its load event
 * @param timeoutMs {@code render.timeout}: the whole page
 * @param blocked {@code render.block}, in lower case ({@code image}...): compared with the CDP
 *     resource type lowered
 * @param maxBodyBytes {@code fetch.max_body_size}: every response the page loads, and its DOM
 * @param maxRedirects {@code fetch.max_redirects}: redirects of the page's own document
 * @param userAgent {@code fetch.user_agent}: the browser's User-Agent header
 * @param screenshotDir where PNGs of the pages go ({@code download.dir}), or null for none
 * @param inScope the crawl's scope: any request outside it is refused, redirect or sub-resource
 */
public record RenderOptions(
    Wait waitFor,
    long timeoutMs,
    Set<String> blocked,
    long maxBodyBytes,
    int maxRedirects,
    String userAgent,
    Path screenshotDir,
    Predicate<String> inScope) {

  /** How long the network must be quiet for {@code network_idle}. */
  public static final long IDLE_MS = 500;

  /** The options of a crawl configured as {@code config}, within {@code inScope}. */
  public static RenderOptions of(TrawlConfig config, Predicate<String> inScope) {
    TrawlConfig.Render render = config.render();
    return new RenderOptions(
        Wait.of(render.waitFor()),
        render.timeout().toMillis(),
        render.block().stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()),
        config.fetch().maxBodySize().bytes(),
        config.fetch().maxRedirects(),
        config.fetch().userAgent(),
        render.screenshot() ? config.download().dir() : null,
        inScope);
  }

  /**
   * What a rendered page waits for after its load event, as {@code render.wait_for} says.
   *
   * @param kind {@link Kind}
   * @param delayMs for {@link Kind#DELAY}
   * @param selector for {@link Kind#SELECTOR}
   */
  public record Wait(Kind kind, long delayMs, String selector) {
    public enum Kind { LOAD, NETWORK_IDLE, DELAY, SELECTOR }

    /** {@code load}, {@code network_idle}, a duration such as {@code 2s}, or a CSS selector (as the config checked it). */
    public static Wait of(String waitFor) {
      if (waitFor.equals("load")) {
        return new Wait(Kind.LOAD, 0, null);
      }
      if (waitFor.equals("network_idle")) {
        return new Wait(Kind.NETWORK_IDLE, 0, null);
      }
      if (Character.isDigit(waitFor.charAt(0))) {
        return Durations.parse(waitFor)
            .map(d -> new Wait(Kind.DELAY, d.toMillis(), null))
            .orElseThrow(() -> new IllegalArgumentException("not a duration: " + waitFor));
      }
      return new Wait(Kind.SELECTOR, 0, waitFor);
    }
  }
}
