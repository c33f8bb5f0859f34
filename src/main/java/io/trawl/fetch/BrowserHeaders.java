package io.trawl.fetch;

import io.trawl.config.HostSettings;
import io.trawl.config.TrawlConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The headers a request of a rendered page goes out with, assembled as {@link RequestHeaders}
 * assembles a plain fetch's for the host the request goes to: the host's User-Agent when it is not
 * the browser's ({@code fetch.user_agent}), {@code fetch.headers} and the host's own, its {@code
 * auth}, the jar's cookies for the URL, then the Java API's request hook, whose headers win. The
 * browser keeps its own Accept, which suits each resource type. And the cookies a rendered
 * document sets, kept in the crawl's jar as a plain fetch's are. Thread-safe (the jar and the host
 * settings are); stateless otherwise.
 */
public final class BrowserHeaders {
  private final FetchContext context;
  private final String browserUserAgent;
  private final Function<String, Map<String, String>> hook;

  /**
   * @param config the crawl's config ({@code fetch.user_agent}: what the browser sends already)
   * @param context the crawl's host settings and cookie jar
   * @param hook the headers the Java API's request hook adds for a URL
   */
  public BrowserHeaders(TrawlConfig config, FetchContext context, Function<String, Map<String, String>> hook) {
    this.context = context;
    this.browserUserAgent = config.fetch().userAgent();
    this.hook = hook;
  }

  /** The headers to add to a request for {@code url}; the hook's exception goes to the caller. */
  public Map<String, String> headers(String url) {
    HostSettings settings = context.settings(url);
    Map<String, String> headers = new LinkedHashMap<>();
    if (!settings.userAgent().equals(browserUserAgent)) {
      headers.put("User-Agent", settings.userAgent());
    }
    for (TrawlConfig.Header header : settings.headers()) {
      headers.put(header.name(), header.value());
    }
    String authorization = RequestHeaders.authorization(settings.auth());
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    String cookies = context.jar() == null ? null : context.jar().header(url);
    if (cookies != null) {
      headers.put("Cookie", cookies);
    }
    headers.putAll(hook.apply(url));
    return headers;
  }

  /** Keeps the cookies of the {@code Set-Cookie} headers of a rendered document's response to {@code url}. */
  public void cookiesSet(String url, List<String> setCookies) {
    if (context.jar() != null) {
      context.jar().store(url, setCookies);
    }
  }
}
