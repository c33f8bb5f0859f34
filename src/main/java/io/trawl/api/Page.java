package io.trawl.api;

import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;

/**
 * One parsed HTML page as a {@link PageHandler} sees it: what was fetched, the Jsoup document, the
 * links and items the crawl found on it, and the methods that add items and links. Valid only
 * during {@link PageHandler#handle}, on the parse thread that called it; not thread-safe.
 */
public interface Page {
  /** The URL as queued (normalized). */
  String url();

  /** The URL after redirects; relative links of the document resolve against it (or its {@code <base href>}). */
  String finalUrl();

  /** Links followed from a seed to this page; 0 for a seed. */
  int depth();

  /** The HTTP status (2xx: only those pages are parsed). */
  int status();

  /** The parsed document. Reading it is free; changing it changes nothing the crawl stores. */
  Document document();

  /** Every outgoing http(s) link of the page, absolute and normalized, in document order. */
  List<String> links();

  /** The items the config's extraction rules made on this page. */
  List<Item> items();

  /**
   * Adds an item, stored in {@code items} with the page's URL and given to the {@link ItemSink}.
   *
   * @param rule the name it is stored under ({@code items.rule})
   * @param data its fields: values a JSON object can hold (String, Number, Boolean, null, Map,
   *     List, Vert.x JsonObject/JsonArray)
   * @throws IllegalArgumentException for a blank rule name or a value JSON cannot hold
   */
  void emitItem(String rule, Map<String, ?> data);

  /**
   * Adds an item with a key: an item of the same rule and key stored before (in this crawl, an
   * earlier run, or on another page) is updated instead of added again.
   *
   * @param key identifies the item within its rule, e.g. a SKU; null for none
   */
  void emitItem(String rule, Map<String, ?> data, String key);

  /**
   * Asks the crawl to follow {@code href} (resolved against the page): it is queued like a link of
   * the page, if it is in scope and the page is above {@code crawl.max_depth}, whatever the rules'
   * {@code follow} selectors say. A URL that cannot be resolved to http(s) is ignored.
   */
  void follow(String href);
}
