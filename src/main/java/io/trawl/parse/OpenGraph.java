package io.trawl.parse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The Open Graph properties of a page: its {@code <meta property="og:..." content="...">} tags,
 * keyed without the {@code og:} prefix ({@code og:title} → {@code title}, {@code og:image:width} →
 * {@code image:width}), and the object-type properties some pages add ({@code article:*}, {@code
 * product:*}, {@code book:*}, {@code profile:*}), keyed with theirs. A property given several times
 * ({@code og:image}) is a list in page order. Parse pool.
 */
final class OpenGraph {
  private static final List<String> TYPE_PREFIXES = List.of("article:", "product:", "book:", "profile:");

  private OpenGraph() {}

  static JsonObject properties(Document document) {
    JsonObject properties = new JsonObject();
    for (Element meta : document.select("meta[property][content]")) {
      String property = meta.attr("property").strip().toLowerCase(Locale.ROOT);
      String key;
      if (property.startsWith("og:") && property.length() > 3) {
        key = property.substring(3);
      } else if (TYPE_PREFIXES.stream().anyMatch(property::startsWith)) {
        key = property;
      } else {
        continue;
      }
      String content = meta.attr("content").strip();
      Object existing = properties.getValue(key);
      if (existing == null) {
        properties.put(key, content);
      } else if (existing instanceof JsonArray list) {
        list.add(content);
      } else {
        properties.put(key, new JsonArray().add(existing).add(content));
      }
    }
    return properties;
  }
}
