package io.trawl.render;

import io.trawl.core.FailureKind;

/**
 * The failure kind of a navigation that failed with Chromium's network error ({@code
 * net::ERR_NAME_NOT_RESOLVED}...): the kind a plain fetch gives the same trouble, else {@code
 * browser}. Stateless.
 */
final class NavigationErrors {
  private NavigationErrors() {}

  static FailureKind kind(String errorText) {
    String error = errorText.startsWith("net::") ? errorText.substring(5) : errorText;
    if (error.startsWith("ERR_SSL_") || error.startsWith("ERR_CERT_")) {
      return FailureKind.PROTOCOL;
    }
    return switch (error) {
      case "ERR_NAME_NOT_RESOLVED", "ERR_NAME_RESOLUTION_FAILED" -> FailureKind.DNS;
      case "ERR_CONNECTION_REFUSED", "ERR_CONNECTION_FAILED", "ERR_ADDRESS_UNREACHABLE", "ERR_ADDRESS_INVALID",
          "ERR_INTERNET_DISCONNECTED" -> FailureKind.CONNECT;
      case "ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED", "ERR_CONNECTION_ABORTED", "ERR_EMPTY_RESPONSE" ->
          FailureKind.RESET;
      case "ERR_TIMED_OUT", "ERR_CONNECTION_TIMED_OUT" -> FailureKind.TIMEOUT;
      case "ERR_TOO_MANY_REDIRECTS" -> FailureKind.TOO_MANY_REDIRECTS;
      case "ERR_UNSAFE_REDIRECT", "ERR_INVALID_REDIRECT" -> FailureKind.BAD_REDIRECT;
      case "ERR_CONTENT_LENGTH_MISMATCH", "ERR_INCOMPLETE_CHUNKED_ENCODING" -> FailureKind.TRUNCATED;
      case "ERR_INVALID_RESPONSE", "ERR_INVALID_HTTP_RESPONSE", "ERR_CONTENT_DECODING_FAILED",
          "ERR_RESPONSE_HEADERS_TOO_BIG", "ERR_INVALID_CHUNKED_ENCODING", "ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH",
          "ERR_HTTP2_PROTOCOL_ERROR" -> FailureKind.PROTOCOL;
      case "ERR_INVALID_URL", "ERR_UNSAFE_PORT", "ERR_DISALLOWED_URL_SCHEME" -> FailureKind.BAD_URL;
      default -> FailureKind.BROWSER;
    };
  }
}
