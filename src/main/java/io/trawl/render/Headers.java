package io.trawl.render;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Response headers as the DevTools protocol gives them, and what a page render reads from them. Stateless. */
final class Headers {
  private Headers() {}

  /** Whether a Content-Type names HTML or XHTML. */
  static boolean isHtml(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT).trim();
    return type.startsWith("text/html") || type.startsWith("application/xhtml+xml");
  }

  /** The media type of a Content-Type, lower-cased, without its parameters. */
  static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** A Content-Length's value, or -1 when there is none or it is not a number. */
  static long length(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Header names lower-cased: from {@code Fetch}'s list of {name, value}. */
  static Map<String, String> of(JsonArray list) {
    Map<String, String> headers = new HashMap<>();
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        JsonObject header = list.getJsonObject(i);
        headers.merge(header.getString("name").toLowerCase(Locale.ROOT), header.getString("value"), (a, b) -> a + ", " + b);
      }
    }
    return headers;
  }

  /** Header names lower-cased: from {@code Network}'s map. */
  static Map<String, String> of(JsonObject map) {
    Map<String, String> headers = new HashMap<>();
    map.forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), String.valueOf(e.getValue())));
    return headers;
  }
}
