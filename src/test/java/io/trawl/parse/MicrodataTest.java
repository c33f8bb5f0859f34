package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

class MicrodataTest {
  @Test
  void readsAProductWithNestedItemsAndAnItemrefInTheStandardsJsonShape() {
    JsonArray items = Microdata.items(Fixtures.document("https://shop.example.com/products/tr2",
        "product-with-json-ld-microdata-and-open-graph.html"));

    assertThat(items).hasSize(1);
    JsonObject product = items.getJsonObject(0);
    assertThat(product.getJsonArray("type")).containsExactly("https://schema.org/Product");
    JsonObject p = product.getJsonObject("properties");
    assertThat(p.getJsonArray("name")).containsExactly("Trail Runner 2 – Blue");
    assertThat(p.getJsonArray("sku")).containsExactly("TR2-BLU-42");
    assertThat(p.getJsonArray("image")).containsExactly("https://shop.example.com/media/tr2-blue-side.jpg");
    assertThat(p.getJsonArray("description")).containsExactly("Free shipping on orders over €50.");
    assertThat(p.getJsonArray("brand").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("type", new JsonArray().add("https://schema.org/Brand"))
        .put("properties", new JsonObject().put("name", new JsonArray().add("Peak"))));
    JsonObject offer = p.getJsonArray("offers").getJsonObject(0).getJsonObject("properties");
    assertThat(offer.getJsonArray("price")).containsExactly("129.95");
    assertThat(offer.getJsonArray("priceCurrency")).containsExactly("EUR");
    assertThat(offer.getJsonArray("availability")).containsExactly("https://schema.org/InStock");
    assertThat(offer.getJsonArray("priceValidUntil")).containsExactly("2025-12-31");
    // The offer's and the rating's own properties are theirs, not the product's.
    assertThat(p.fieldNames()).doesNotContain("price", "ratingValue");
    assertThat(p.getJsonArray("aggregateRating").getJsonObject(0).getJsonObject("properties").getJsonArray("reviewCount"))
        .containsExactly("128");
  }

  @Test
  void takesAnItemrefToAnElementInsideTheItemOnce() {
    JsonArray items = Microdata.items(Fixtures.document("https://news.example.org/a",
        "article-with-json-ld-and-open-graph.html"));

    JsonObject article = items.getJsonObject(0).getJsonObject("properties");
    assertThat(article.getJsonArray("author")).hasSize(1);
    assertThat(article.getJsonArray("author").getJsonObject(0).getJsonObject("properties").getJsonArray("name"))
        .containsExactly("Ana Lima");
    assertThat(article.getJsonArray("datePublished")).containsExactly("2024-03-14T06:30:00+01:00");
  }

  @Test
  void anItemReferringToItselfEndsInsteadOfLooping() {
    String html = """
        <div id="a" itemscope itemtype="https://schema.org/Thing" itemref="b">
          <span itemprop="name">A</span></div>
        <div id="b" itemprop="related" itemscope itemref="a"><span itemprop="name">B</span></div>
        """;

    JsonArray items = Microdata.items(Jsoup.parse(html, "https://example.com/"));

    assertThat(items).hasSize(1);
    JsonObject related = items.getJsonObject(0).getJsonObject("properties").getJsonArray("related").getJsonObject(0);
    assertThat(related.getJsonObject("properties").getJsonArray("name")).containsExactly("B");
  }
}
