package io.trawl.parse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The microdata of a page as JSON, in the shape of the HTML standard's "microdata to JSON"
 * algorithm: one object per top-level item ({@code itemscope} without {@code itemprop}), {@code
 * {"type": [...], "id": ..., "properties": {"name": [values]}}}, a property whose element is itself
 * an {@code itemscope} nesting an item the same way. Values as the standard reads them: {@code
 * content} of {@code meta}, absolute URLs of {@code href}/{@code src}/{@code data}, {@code value}
 * of {@code data}/{@code meter}, {@code datetime} of {@code time}, else the text. {@code itemref}
 * is followed; an item met again inside itself is left out, items nest at most {@value
 * #MAX_DEPTH} deep, and a page gives at most {@value #MAX_ITEMS} item objects in all (itemref can
 * make a small page name the same items many times over). Parse pool.
 */
final class Microdata {
  static final int MAX_DEPTH = 16;
  static final int MAX_ITEMS = 10_000;

  private Microdata() {}

  static JsonArray items(Document document) {
    JsonArray items = new JsonArray();
    int[] budget = {MAX_ITEMS};
    for (Element element : document.select("[itemscope]")) {
      if (!element.hasAttr("itemprop") && budget[0] > 0) {
        items.add(item(element, document, Collections.newSetFromMap(new IdentityHashMap<>()), 1, budget));
      }
    }
    return items;
  }

  private static JsonObject item(Element scope, Document document, Set<Element> open, int depth, int[] budget) {
    budget[0]--;
    open.add(scope);
    JsonObject item = new JsonObject();
    List<String> types = tokens(scope.attr("itemtype"));
    if (!types.isEmpty()) {
      item.put("type", new JsonArray(new ArrayList<Object>(types)));
    }
    if (scope.hasAttr("itemid")) {
      item.put("id", scope.absUrl("itemid").isEmpty() ? scope.attr("itemid") : scope.absUrl("itemid"));
    }
    JsonObject properties = new JsonObject();
    for (Element property : properties(scope, document)) {
      Object value;
      if (property.hasAttr("itemscope")) {
        if (open.contains(property) || depth >= MAX_DEPTH || budget[0] <= 0) {
          continue;
        }
        value = item(property, document, open, depth + 1, budget);
      } else {
        value = value(property);
      }
      for (String name : tokens(property.attr("itemprop"))) {
        JsonArray values = properties.getJsonArray(name);
        if (values == null) {
          values = new JsonArray();
          properties.put(name, values);
        }
        values.add(value);
      }
    }
    item.put("properties", properties);
    open.remove(scope);
    return item;
  }

  /**
   * The elements with {@code itemprop} that belong to {@code scope}: in its subtree and in the
   * elements its {@code itemref} names, not descending into nested items (whose own properties are
   * theirs), in document order.
   */
  private static List<Element> properties(Element scope, Document document) {
    List<Element> roots = new ArrayList<>();
    roots.addAll(scope.children());
    for (String id : tokens(scope.attr("itemref"))) {
      Element referenced = document.getElementById(id);
      if (referenced != null && referenced != scope) {
        roots.add(referenced);
      }
    }
    List<Element> found = new ArrayList<>();
    Set<Element> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Element> pending = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) {
      pending.push(roots.get(i));
    }
    while (!pending.isEmpty()) {
      Element e = pending.pop();
      if (!seen.add(e)) {
        continue;
      }
      if (e.hasAttr("itemprop")) {
        found.add(e);
      }
      if (!e.hasAttr("itemscope")) {
        List<Element> children = e.children();
        for (int i = children.size() - 1; i >= 0; i--) {
          pending.push(children.get(i));
        }
      }
    }
    return found;
  }

  private static String value(Element e) {
    return switch (e.normalName()) {
      case "meta" -> e.attr("content");
      case "audio", "embed", "iframe", "img", "source", "track", "video" -> url(e, "src");
      case "a", "area", "link" -> url(e, "href");
      case "object" -> url(e, "data");
      case "data", "meter" -> e.attr("value");
      case "time" -> e.hasAttr("datetime") ? e.attr("datetime") : e.text();
      default -> e.text();
    };
  }

  private static String url(Element e, String attribute) {
    String absolute = e.absUrl(attribute);
    return absolute.isEmpty() ? e.attr(attribute) : absolute;
  }

  private static List<String> tokens(String attribute) {
    String s = attribute.strip();
    return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
  }
}
