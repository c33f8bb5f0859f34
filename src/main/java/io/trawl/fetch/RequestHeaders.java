package io.trawl.fetch;

import io.trawl.config.HostSettings;
import io.trawl.config.TrawlConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The headers of one request, assembled in one place from the settings of the host it goes to
 * (each redirect hop is assembled anew for its own host, so a host's credentials never follow a
 * redirect to another): User-Agent and Accept, {@code fetch.headers} and the host's own, its
 * {@code auth}, and the jar's cookies for the URL. Stateless; any thread.
 */
final class RequestHeaders {
  static final String ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  private RequestHeaders() {}

  /** Puts the headers of a request to {@code url}, a host with {@code settings}, on {@code options}. */
  static RequestOptions apply(RequestOptions options, String url, HostSettings settings, CookieJar jar) {
    options.putHeader(HttpHeaders.USER_AGENT, settings.userAgent())
        .putHeader(HttpHeaders.ACCEPT, ACCEPT);
    for (TrawlConfig.Header header : settings.headers()) {
      options.putHeader(header.name(), header.value());
    }
    String authorization = authorization(settings.auth());
    if (authorization != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    String cookies = jar == null ? null : jar.header(url);
    if (cookies != null) {
      options.putHeader(HttpHeaders.COOKIE, cookies);
    }
    return options;
  }

  private static String authorization(TrawlConfig.Auth auth) {
    if (!auth.bearer().isEmpty()) {
      return "Bearer " + auth.bearer();
    }
    if (!auth.basic().user().isEmpty()) {
      String pair = auth.basic().user() + ":" + auth.basic().password();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }
}
