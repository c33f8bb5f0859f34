package example.pricewatch;

import io.trawl.api.CrawlSummary;
import io.trawl.api.Page;
import io.trawl.api.PageHandler;
import io.trawl.api.Trawl;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsoup.nodes.Element;

/**
 * Watches a shop's prices with trawl as a library: a page handler that reads product pages with
 * Jsoup and decides which links to walk, and an item sink that writes each price as a JSON line.
 * The items also land in the crawl's SQLite file, keyed by SKU, so a second run updates them.
 *
 * <p>Run: {@code PriceWatch https://shop.example.com/ prices.jsonl [prices.db]}.
 */
public final class PriceWatch implements PageHandler {
  /**
   * The config: what a config.yaml would hold. {@code follow: []} turns off following every link,
   * so that only the links {@link #handle} picks are walked.
   */
  static final String CONFIG = """
      crawl:
        max_depth: 3
      fetch:
        per_host_rate: 2/s
      rules:
        - name: links
          follow: []
      """;

  /** Listing pages: their product links and the next page are followed. Product pages: a price item. */
  @Override
  public void handle(Page page) {
    Element product = page.document().selectFirst("[itemtype$=schema.org/Product]");
    if (product == null) {
      page.document().select("a.product, a[rel=next]").forEach(a -> page.follow(a.attr("href")));
      return;
    }
    String sku = text(product, "[itemprop=sku]");
    String price = text(product, "[itemprop=price]");
    if (sku == null || price == null) {
      return; // not a product we can price
    }
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("sku", sku);
    item.put("name", text(product, "[itemprop=name]"));
    item.put("price_cents", new BigDecimal(price).movePointRight(2).longValueExact());
    item.put("url", page.finalUrl());
    page.emitItem("prices", item, sku);
  }

  /** An element's {@code content} attribute or text, or null when it is missing or empty. */
  private static String text(Element root, String css) {
    Element e = root.selectFirst(css);
    if (e == null) {
      return null;
    }
    String value = e.hasAttr("content") ? e.attr("content") : e.text();
    return value.isBlank() ? null : value.strip();
  }

  /** Crawls from {@code start} into {@code db}, writing every price to {@code out}. */
  static CrawlSummary watch(String start, Path out, Path db) throws Exception {
    try (JsonLinesSink sink = new JsonLinesSink(out)) {
      return Trawl.builder()
          .configYaml(CONFIG)
          .set("crawl.db", db.toString())
          .seeds(start)
          .pageHandler(new PriceWatch())
          .itemSink(sink)
          .requestHook(url -> Map.of("Accept-Language", "en"))
          .build()
          .run();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: PriceWatch START_URL OUT.jsonl [DB]");
      System.exit(2);
    }
    CrawlSummary summary = watch(args[0], Path.of(args[1]), Path.of(args.length > 2 ? args[2] : "prices.db"));
    System.out.println(summary);
    System.exit(summary.outcome().equals("finished") ? 0 : 1);
  }
}
