package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class OpenGraphTest {
  @Test
  void readsOgPropertiesWithoutThePrefixAndRepeatedOnesAsLists() {
    JsonObject og = OpenGraph.properties(Fixtures.document("https://shop.example.com/products/tr2",
        "product-with-json-ld-microdata-and-open-graph.html"));

    assertThat(og.getString("type")).isEqualTo("product");
    assertThat(og.getString("title")).isEqualTo("Trail Runner 2 – Blue");
    assertThat(og.getJsonArray("image")).containsExactly(
        "https://cdn.example.com/tr2-blue-side.jpg", "https://cdn.example.com/tr2-blue-sole.jpg");
    assertThat(og.getString("image:width")).isEqualTo("1200");
    assertThat(og.getString("product:price:amount")).isEqualTo("129.95");
    assertThat(og.fieldNames()).doesNotContain("twitter:card", "card");
  }

  @Test
  void keepsTheArticlePropertiesOfAnArticle() {
    JsonObject og = OpenGraph.properties(Fixtures.document("https://news.example.org/a",
        "article-with-json-ld-and-open-graph.html"));

    assertThat(og.getString("type")).isEqualTo("article");
    assertThat(og.getString("article:published_time")).isEqualTo("2024-03-14T06:30:00+01:00");
    assertThat(og.getJsonArray("article:tag")).containsExactly("libraries", "night life");
  }
}
