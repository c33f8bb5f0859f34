package io.trawl.fetch;

import io.trawl.bus.Revisit;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * A recrawl's conditional request (RFC 9110 §13): the validators of the content the crawl holds
 * for a URL go out as {@code If-None-Match} (its ETag) and {@code If-Modified-Since} (its
 * Last-Modified, as the server wrote it), and a {@code 304 Not Modified} answer means that content
 * is still current. Stateless.
 */
final class Revalidation {
  static final int NOT_MODIFIED = 304;

  private Revalidation() {}

  /** The conditional headers for a URL the crawl knows {@code revisit} of; none when it holds no content. */
  static MultiMap headers(Revisit revisit) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (revisit == null || !revisit.hasContent()) {
      return headers;
    }
    if (revisit.etag() != null) {
      headers.add(HttpHeaders.IF_NONE_MATCH, revisit.etag());
    }
    if (revisit.lastModified() != null) {
      headers.add(HttpHeaders.IF_MODIFIED_SINCE, revisit.lastModified());
    }
    return headers;
  }

  /** Whether a response of {@code status} confirms the content the crawl holds ({@code revisit}). */
  static boolean notModified(Revisit revisit, int status) {
    return status == NOT_MODIFIED && revisit != null && revisit.hasContent();
  }
}
