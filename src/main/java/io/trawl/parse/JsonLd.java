package io.trawl.parse;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-LD of a page: every {@code <script type="application/ld+json">} block, parsed with the
 * JSON codec Vert.x already carries (Jackson). A block holding an array gives each of its objects,
 * and a block's {@code @graph} gives the graph's objects, so {@link #objects()} is a flat list in
 * page order. A block that is not valid JSON is skipped and counted, never thrown. Parse pool.
 *
 * @param objects the page's JSON-LD objects, in page order
 * @param invalid blocks skipped because they were not a valid JSON object or array
 */
record JsonLd(JsonArray objects, int invalid) {
  private static final Logger log = LoggerFactory.getLogger(JsonLd.class);
  static final JsonLd NONE = new JsonLd(new JsonArray(), 0);

  static JsonLd of(Document document) {
    JsonArray objects = new JsonArray();
    int invalid = 0;
    for (Element script : document.select("script[type]")) {
      String type = script.attr("type").strip().toLowerCase(Locale.ROOT);
      if (!type.equals("application/ld+json") && !type.startsWith("application/ld+json;")) {
        continue;
      }
      if (!add(unwrapped(script.data()), objects)) {
        invalid++;
        log.debug("json-ld skipped url={} reason=invalid", document.location());
      }
    }
    return new JsonLd(objects, invalid);
  }

  /** Adds the objects of one block; false when it is not JSON holding objects. */
  private static boolean add(String block, JsonArray into) {
    Object value;
    try {
      value = Json.decodeValue(block);
    } catch (DecodeException e) {
      return false;
    }
    flatten(value, into);
    return value instanceof JsonObject || value instanceof JsonArray;
  }

  private static void flatten(Object value, JsonArray into) {
    if (value instanceof JsonArray array) {
      for (Object element : array) {
        if (element instanceof JsonObject object) {
          addObject(object, into);
        }
      }
    } else if (value instanceof JsonObject object) {
      addObject(object, into);
    }
  }

  private static void addObject(JsonObject object, JsonArray into) {
    if (object.getValue("@graph") instanceof JsonArray graph) {
      for (Object member : graph) {
        if (member instanceof JsonObject node) {
          into.add(node);
        }
      }
    } else {
      into.add(object);
    }
  }

  /** The script's JSON without the HTML comment or CDATA markers some pages wrap it in. */
  private static String unwrapped(String data) {
    String s = data.strip();
    if (s.startsWith("<!--")) {
      s = s.substring(4);
      s = s.endsWith("-->") ? s.substring(0, s.length() - 3) : s;
    }
    s = s.strip();
    if (s.startsWith("//<![CDATA[")) {
      s = s.substring("//<![CDATA[".length());
      s = s.endsWith("//]]>") ? s.substring(0, s.length() - "//]]>".length()) : s;
    } else if (s.startsWith("<![CDATA[")) {
      s = s.substring("<![CDATA[".length());
      s = s.endsWith("]]>") ? s.substring(0, s.length() - "]]>".length()) : s;
    }
    return s.strip();
  }

  /** Whether {@code object}'s {@code @type} (a string or a list) is {@code type}, as {@code Product}, {@code schema:Product} or a schema.org URL. */
  static boolean hasType(JsonObject object, String type) {
    Object types = object.getValue("@type");
    if (types instanceof JsonArray list) {
      return list.stream().anyMatch(t -> t instanceof String s && typeMatches(s, type));
    }
    return types instanceof String s && typeMatches(s, type);
  }

  private static boolean typeMatches(String declared, String wanted) {
    if (declared.equals(wanted)) {
      return true;
    }
    int cut = Math.max(declared.lastIndexOf('/'), Math.max(declared.lastIndexOf(':'), declared.lastIndexOf('#')));
    return cut >= 0 && declared.substring(cut + 1).equals(wanted);
  }

  /** The {@code @type} values of the objects, for explaining a path that found nothing. */
  String types() {
    StringBuilder types = new StringBuilder();
    for (Object object : objects) {
      Object type = ((JsonObject) object).getValue("@type");
      if (types.length() > 0) {
        types.append(", ");
      }
      types.append(type instanceof JsonArray list ? list.encode() : String.valueOf(type));
    }
    return types.toString();
  }
}
