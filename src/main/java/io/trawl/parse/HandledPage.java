package io.trawl.parse;

import io.trawl.api.Item;
import io.trawl.api.Page;
import io.trawl.core.UrlNormalizer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.nodes.Document;

/**
 * The {@link Page} a page handler is given: the parsed page, read-only, and what the handlers
 * emit, collected for the store. One per page, confined to its parse thread.
 */
final class HandledPage implements Page {
  private final String url;
  private final String finalUrl;
  private final int depth;
  private final int status;
  private final Document document;
  private final String baseUrl;
  private final List<String> links;
  private final List<Item> ruleItems;
  private final JsonArray emitted = new JsonArray();
  private final Set<String> followed = new LinkedHashSet<>();

  /** @param ruleItems the rules' items, each {@code {"rule", "data", "key"?}} as {@link Extractor} makes them */
  HandledPage(String url, String finalUrl, int depth, int status, Document document, String baseUrl,
      List<String> links, JsonArray ruleItems) {
    this.url = url;
    this.finalUrl = finalUrl;
    this.depth = depth;
    this.status = status;
    this.document = document;
    this.baseUrl = baseUrl;
    this.links = Collections.unmodifiableList(links);
    List<Item> items = new ArrayList<>();
    for (Object item : ruleItems) {
      items.add(item((JsonObject) item, url));
    }
    this.ruleItems = Collections.unmodifiableList(items);
  }

  /** An item as the API shows it, from its bus form {@code {"rule", "data", "key"?}}; the data copied. */
  static Item item(JsonObject item, String pageUrl) {
    return new Item(item.getString("rule"), pageUrl, item.getString("key"), item.getJsonObject("data").copy());
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public String finalUrl() {
    return finalUrl;
  }

  @Override
  public int depth() {
    return depth;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public Document document() {
    return document;
  }

  @Override
  public List<String> links() {
    return links;
  }

  @Override
  public List<Item> items() {
    return ruleItems;
  }

  @Override
  public void emitItem(String rule, Map<String, ?> data) {
    emitItem(rule, data, null);
  }

  @Override
  public void emitItem(String rule, Map<String, ?> data, String key) {
    if (rule == null || rule.isBlank() || data == null) {
      throw new IllegalArgumentException("an item needs a rule name and data");
    }
    JsonObject json;
    try {
      // Encoded and decoded: checks that every value is one JSON holds, and copies it.
      json = new JsonObject(new JsonObject(new LinkedHashMap<String, Object>(data)).encode());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("item data JSON cannot hold: " + e.getMessage(), e);
    }
    JsonObject item = new JsonObject().put("rule", rule).put("data", json);
    if (key != null) {
      item.put("key", key);
    }
    emitted.add(item);
  }

  @Override
  public void follow(String href) {
    if (href != null) {
      UrlNormalizer.resolve(baseUrl, href).ifPresent(followed::add);
    }
  }

  /** The items the handlers emitted, in their bus form. */
  JsonArray emitted() {
    return emitted;
  }

  /** The URLs the handlers asked to follow, absolute and normalized. */
  Set<String> followed() {
    return followed;
  }
}
