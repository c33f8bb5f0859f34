package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

class JsonLdTest {
  @Test
  void flattensTheGraphOfAProductPageAndSkipsTheBrokenBlock() {
    JsonLd ld = JsonLd.of(Fixtures.document("https://shop.example.com/products/tr2",
        "product-with-json-ld-microdata-and-open-graph.html"));

    assertThat(ld.objects()).extracting(o -> ((JsonObject) o).getString("@type"))
        .containsExactly("Organization", "WebSite", "BreadcrumbList", "Product");
    assertThat(ld.invalid()).isEqualTo(1);
    JsonObject product = ld.objects().getJsonObject(3);
    assertThat(product.getString("sku")).isEqualTo("TR2-BLU-42");
    assertThat(JsonLd.hasType(product, "Product")).isTrue();
  }

  @Test
  void readsAListWrappedInAnHtmlComment() {
    JsonLd ld = JsonLd.of(Fixtures.document("https://news.example.org/a", "article-with-json-ld-and-open-graph.html"));

    assertThat(ld.objects()).extracting(o -> ((JsonObject) o).getString("@type"))
        .containsExactly("NewsArticle", "BreadcrumbList");
    assertThat(ld.invalid()).isZero();
  }

  @Test
  void countsEveryKindOfInvalidBlockWithoutThrowing() {
    String html = """
        <script type="application/ld+json">{"@type": "Thing", "name": </script>
        <script type="application/ld+json">"just a string"</script>
        <script type="application/ld+json"></script>
        <script type="application/ld+json">%s</script>
        <script type="application/ld+json">{"@type": "schema:Event", "name": "ok"}</script>
        """.formatted("[".repeat(5000));

    JsonLd ld = JsonLd.of(Jsoup.parse(html));

    assertThat(ld.invalid()).isEqualTo(4);
    assertThat(ld.objects()).hasSize(1);
    assertThat(JsonLd.hasType(ld.objects().getJsonObject(0), "Event")).isTrue();
  }
}
