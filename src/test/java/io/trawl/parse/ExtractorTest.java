package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractorTest {
  private static final String SHOP = "http://127.0.0.1:8080/shop/blue";

  private static byte[] fixture(String name) {
    try (InputStream in = ExtractorTest.class.getResourceAsStream("/pages/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Extractor.Extracted extract(String rulesYaml, String url, String fixture) {
    TrawlConfig config = ConfigLoader.fromYaml(rulesYaml, Map.of());
    HtmlParser.ParsedPage page = new HtmlParser().parse(url, fixture(fixture), "text/html; charset=utf-8");
    return new Extractor(config.rules(), config.download().fromFields()).extract(url, url, page.document(), page.baseUrl());
  }

  private static JsonObject onlyItem(Extractor.Extracted extracted) {
    assertThat(extracted.items()).hasSize(1);
    return extracted.items().getJsonObject(0).getJsonObject("data");
  }

  private static List<String> rulesOf(JsonArray items) {
    return items.stream().map(item -> ((JsonObject) item).getString("rule")).toList();
  }

  @Test
  void takesTextOwnTextAttributesAndHtml() {
    JsonObject item = onlyItem(extract("""
        rules:
          - name: product
            fields:
              name: h1.name
              name_own: {css: h1.name, take: own_text}
              currency: {css: p.price, attr: data-currency}
              more: {css: a.more, attr: href}
              more_abs: {css: a.more, attr: 'abs:href'}
              description: {css: div.description, take: html}
              description_outer: {css: div.description p, take: outer_html}
              untrimmed: {css: h1.name, take: html, trim: false}
            """, SHOP, "fields-of-every-kind.html"));

    assertThat(item.getString("name")).isEqualTo("Blue Widget");
    assertThat(item.getString("name_own")).isEqualTo("Blue");
    assertThat(item.getString("currency")).isEqualTo("EUR");
    assertThat(item.getString("more")).isEqualTo("details/blue.html#specs");
    assertThat(item.getString("more_abs")).isEqualTo("http://127.0.0.1:8080/shop/details/blue.html#specs");
    assertThat(item.getString("description")).isEqualTo("<p>Made of <b>steel</b>.</p>");
    assertThat(item.getString("description_outer")).isEqualTo("<p>Made of <b>steel</b>.</p>");
    assertThat(item.getString("untrimmed")).isEqualTo("  Blue   <em>Widget</em>  ");
    assertThat(List.copyOf(item.fieldNames())).containsExactly(
        "name", "name_own", "currency", "more", "more_abs", "description", "description_outer", "untrimmed");
  }

  @Test
  void htmlWithTrimFalseKeepsTheSourcesWhitespaceAndTheDefaultKeepsThePrettyPrintedForm() {
    JsonObject item = onlyItem(extract("""
        rules:
          - name: spaces
            fields:
              b_html: {css: b, take: html, trim: false}
              b_outer: {css: b, take: outer_html, trim: false}
              pre_html: {css: pre, take: html, trim: false}
              pre_outer: {css: pre, take: outer_html, trim: false}
              nested_html: {css: section.nested, take: html, trim: false}
              nested_outer: {css: section.nested p, take: outer_html, trim: false}
              b_html_trimmed: {css: b, take: html}
              b_outer_trimmed: {css: b, take: outer_html}
              pre_html_trimmed: {css: pre, take: html}
              nested_html_trimmed: {css: section.nested, take: html}
            """, SHOP, "whitespace.html"));

    assertThat(item.getString("b_html")).isEqualTo(" sp  aced ");
    assertThat(item.getString("b_outer")).isEqualTo("<b> sp  aced </b>");
    assertThat(item.getString("pre_html")).isEqualTo("  two\n    indented\n  lines  ");
    assertThat(item.getString("pre_outer")).isEqualTo("<pre>  two\n    indented\n  lines  </pre>");
    assertThat(item.getString("nested_html")).isEqualTo(
        "\n  <p>one   <i> two </i>\n    three</p>\n  <ul><li> a </li>\n      <li>b  c</li></ul>\n");
    assertThat(item.getString("nested_outer")).isEqualTo("<p>one   <i> two </i>\n    three</p>");
    // the default: Jsoup's pretty-printed HTML, trimmed (what items stored before hold)
    assertThat(item.getString("b_html_trimmed")).isEqualTo("sp aced");
    assertThat(item.getString("b_outer_trimmed")).isEqualTo("<b> sp aced </b>");
    assertThat(item.getString("pre_html_trimmed")).isEqualTo("two\n    indented\n  lines");
    assertThat(item.getString("nested_html_trimmed")).isEqualTo(
        "<p>one <i> two </i> three</p>\n<ul>\n <li>a</li>\n <li>b c</li>\n</ul>");
  }

  @Test
  void trimsUnlessToldNotTo() {
    JsonObject item = onlyItem(extract("""
        rules:
          - name: product
            fields:
              trimmed: {css: p.stock, attr: data-code}
              untrimmed: {css: p.stock, attr: data-code, trim: false}
            """, SHOP, "fields-of-every-kind.html"));

    assertThat(item.getString("trimmed")).isEqualTo("X-1");
    assertThat(item.getString("untrimmed")).isEqualTo("  X-1  ");
  }

  @Test
  void takesAllMatchesAsAnArraySkippingMissingValues() {
    JsonObject item = onlyItem(extract("""
        rules:
          - name: product
            fields:
              photos: {css: img.photo, attr: 'abs:src', all: true}
              tags: {css: ul.tags li, all: true}
              none: {css: table td, all: true}
            """, SHOP, "fields-of-every-kind.html"));

    assertThat(item.getJsonArray("photos")).containsExactly(
        "http://127.0.0.1:8080/shop/img/blue.png", "http://127.0.0.1:8080/shop/img/blue-back.png");
    assertThat(item.getJsonArray("tags")).containsExactly("metal", "blue", "");
    assertThat(item.getJsonArray("none")).isEmpty();
  }

  @Test
  void capturesWithARegexAndConvertsNumbers() {
    JsonObject item = onlyItem(extract("""
        rules:
          - name: product
            fields:
              price: {css: p.price, regex: '([0-9][0-9,]*\\.[0-9]+)', type: number}
              price_text: {css: p.price, regex: '([0-9][0-9,]*\\.[0-9]+)'}
              whole_match: {css: p.stock, regex: '[0-9]+ available'}
              in_stock: {css: p.stock, regex: '\\(([0-9]+) available\\)', type: integer}
              no_match: {css: p.stock, regex: 'sold out'}
              not_a_number: {css: h1.name, type: number}
              missing: h2.subtitle
            """, SHOP, "fields-of-every-kind.html"));

    assertThat(item.getDouble("price")).isEqualTo(1299.5);
    assertThat(item.getString("price_text")).isEqualTo("1,299.50");
    assertThat(item.getString("whole_match")).isEqualTo("22 available");
    assertThat(item.getLong("in_stock")).isEqualTo(22L);
    assertThat(item.containsKey("no_match")).isTrue();
    assertThat(item.getValue("no_match")).isNull();
    assertThat(item.getValue("not_a_number")).isNull();
    assertThat(item.getValue("missing")).isNull();
  }

  @Test
  void buildsNestedRecordsAndOneItemPerSelectMatch() {
    JsonObject page = onlyItem(extract("""
        rules:
          - name: page
            fields:
              title: {css: title}
              reviews:
                css: div.review
                all: true
                fields:
                  who: span.who
                  stars: {css: span.stars, type: integer}
              first_review: {css: div.review, fields: {text: p}}
            """, SHOP, "fields-of-every-kind.html"));

    assertThat(page.getString("title")).isEqualTo("A product page");
    assertThat(page.getJsonArray("reviews")).containsExactly(
        new JsonObject().put("who", "Ann").put("stars", 5L),
        new JsonObject().put("who", "Bob").putNull("stars"),
        new JsonObject().putNull("who").put("stars", 2L));
    assertThat(page.getJsonObject("first_review")).isEqualTo(new JsonObject().put("text", "Great."));

    JsonArray reviews = extract("""
        rules:
          - name: reviews
            select: div.review
            fields:
              who: {css: span.who, required: true}
              text: p
            """, SHOP, "fields-of-every-kind.html").items();
    assertThat(reviews).containsExactly(
        new JsonObject().put("rule", "reviews").put("data", new JsonObject().put("who", "Ann").put("text", "Great.")),
        new JsonObject().put("rule", "reviews").put("data", new JsonObject().put("who", "Bob").put("text", "Fine.")));
  }

  @Test
  void appliesARuleOnlyToPagesItsUrlPatternFinds() {
    String rules = """
        rules:
          - name: shop
            url: '/shop/'
            fields: {name: h1.name}
          - name: blog
            url: '/blog/'
            fields: {name: h1.name}
        """;

    assertThat(rulesOf(extract(rules, SHOP, "fields-of-every-kind.html").items())).containsExactly("shop");
    assertThat(rulesOf(extract(rules, "http://127.0.0.1:8080/blog/post", "fields-of-every-kind.html").items()))
        .containsExactly("blog");
    assertThat(extract(rules, "http://127.0.0.1:8080/about", "fields-of-every-kind.html").items()).isEmpty();
  }

  @Test
  void followsOnlyTheLinksInTheFollowRegionsOfMatchingRules() {
    Extractor.Extracted pagination = extract("""
        rules:
          - name: pages
            follow: [a.next]
          - name: nav
            url: '/nowhere/'
            follow: [nav]
        """, SHOP, "fields-of-every-kind.html");
    assertThat(pagination.follow()).hasValueSatisfying(links ->
        assertThat(links).containsExactly("http://127.0.0.1:8080/shop/page-2.html"));

    Extractor.Extracted region = extract("rules: [{name: nav, follow: [nav]}]", SHOP, "fields-of-every-kind.html");
    assertThat(region.follow()).hasValueSatisfying(links -> assertThat(links).containsExactly(
        "http://127.0.0.1:8080/shop/page-2.html", "http://127.0.0.1:8080/elsewhere.html"));

    assertThat(extract("rules: [{name: none, follow: []}]", SHOP, "fields-of-every-kind.html").follow())
        .hasValueSatisfying(links -> assertThat(links).isEmpty());
    assertThat(extract("rules: [{name: p, fields: {t: title}}]", SHOP, "fields-of-every-kind.html").follow()).isEmpty();
  }

  @Test
  void collectsTheUrlsOfDownloadFieldsNormalized() {
    Extractor.Extracted extracted = extract("""
        download:
          content_types: ["image/*"]
          from_fields: [product.photos, product.more]
        rules:
          - name: product
            fields:
              photos: {css: img.photo, attr: src, all: true}
              more: {css: a.more, attr: href}
              name: h1.name
        """, SHOP, "fields-of-every-kind.html");

    assertThat(extracted.downloads()).containsExactly(
        "http://127.0.0.1:8080/shop/img/blue.png", "http://127.0.0.1:8080/shop/img/blue-back.png",
        "http://127.0.0.1:8080/shop/details/blue.html");
  }

  @Test
  void theReposQuotesAndBooksRulesReadTheSandboxCopies() {
    TrawlConfig config = ConfigLoader.load(Path.of("config.yaml"), Map.of());
    Extractor extractor = new Extractor(config.rules(), List.of());
    HtmlParser parser = new HtmlParser();

    String quotesUrl = "http://127.0.0.1:8080/page/2/";
    HtmlParser.ParsedPage quotes = parser.parse(quotesUrl, fixture("quotes-page-2.html"), null);
    Extractor.Extracted q = extractor.extract(quotesUrl, quotesUrl, quotes.document(), quotes.baseUrl());
    assertThat(rulesOf(q.items())).containsExactly("quotes", "quotes", "quotes");
    assertThat(q.items().getJsonObject(1).getJsonObject("data").getString("text"))
        .isEqualTo("It takes a great deal of bravery to stand up to our enemies, but just as much to stand up to our friends.");
    assertThat(q.follow()).hasValueSatisfying(links -> assertThat(links).containsExactly("http://127.0.0.1:8080/page/3/"));

    String booksUrl = "http://127.0.0.1:8081/catalogue/page-3.html";
    HtmlParser.ParsedPage books = parser.parse(booksUrl, fixture("books-page-3.html"), null);
    Extractor.Extracted b = extractor.extract(booksUrl, booksUrl, books.document(), books.baseUrl());
    assertThat(rulesOf(b.items())).containsExactly("books", "books", "books");
    assertThat(b.follow()).hasValueSatisfying(links -> assertThat(links).isEmpty());
  }

  private static final String PRODUCT = "https://shop.example.com/products/trail-runner-2-blue";
  private static final String PRODUCT_PAGE = "product-with-json-ld-microdata-and-open-graph.html";

  @Test
  void takesFieldsByXpathAsByCss() {
    JsonObject item = onlyItem(extract("""
        rules:
          - name: product
            fields:
              name: {xpath: '//h1[@itemprop="name"]'}
              sku: {xpath: '//meta[@itemprop="sku"]', attr: content}
              sizes: {xpath: '//ul[@class="sizes"]/li', all: true, type: integer}
              review_url: {xpath: '//a[contains(@class, "reviews-link")]', attr: href, type: url}
              none: {xpath: '//table'}
            """, PRODUCT, PRODUCT_PAGE));

    assertThat(item.getString("name")).isEqualTo("Trail Runner 2 – Blue");
    assertThat(item.getString("sku")).isEqualTo("TR2-BLU-42");
    assertThat(item.getJsonArray("sizes")).containsExactly(41L, 42L, 43L);
    assertThat(item.getString("review_url")).isEqualTo("https://shop.example.com/products/reviews");
    assertThat(item.getValue("none")).isNull();
  }

  @Test
  void anXpathFieldInsideASelectLooksFromTheItemsElement() {
    JsonArray items = extract("""
        rules:
          - name: reviews
            select: div.review
            fields:
              who: {xpath: './span[@class="who"]'}
            """, SHOP, "fields-of-every-kind.html").items();

    assertThat(items).extracting(i -> ((JsonObject) i).getJsonObject("data").getValue("who"))
        .containsExactly("Ann", "Bob", null);
  }

  @Test
  void picksJsonLdValuesByPathAndTypeAndIgnoresTheBrokenBlock() {
    JsonObject item = onlyItem(extract("""
        rules:
          - name: product
            fields:
              name: {jsonld: '$.name', jsonld_type: Product}
              first_name_on_page: {jsonld: '$.name'}
              price: {jsonld: '$.offers[0].price', type: number}
              prices: {jsonld: '$.offers.price', all: true, type: number}
              rating: {jsonld: '$.aggregateRating.ratingValue', type: number}
              brand: {jsonld: '$.brand'}
              valid_until: {jsonld: '$..priceValidUntil', type: date}
              crumbs: {jsonld: '$.itemListElement[*].name', all: true}
              faq: {jsonld: '$.mainEntity'}
            """, PRODUCT, PRODUCT_PAGE));

    assertThat(item.getString("name")).isEqualTo("Trail Runner 2 – Blue");
    assertThat(item.getString("first_name_on_page")).isEqualTo("Peak Outfitters");
    assertThat(item.getDouble("price")).isEqualTo(129.95);
    assertThat(item.getJsonArray("prices")).containsExactly(129.95, 99.5);
    assertThat(item.getDouble("rating")).isEqualTo(4.6);
    assertThat(item.getJsonObject("brand")).isEqualTo(new JsonObject().put("@type", "Brand").put("name", "Peak"));
    assertThat(item.getString("valid_until")).isEqualTo("2025-12-31");
    assertThat(item.getJsonArray("crumbs")).containsExactly("Shoes", "Trail Runner 2 – Blue");
    assertThat(item.getValue("faq")).as("the FAQPage block is invalid JSON").isNull();
  }

  @Test
  void putsThePagesStructuredDataInTheItem() {
    JsonObject product = onlyItem(extract("""
        rules:
          - name: product
            structured: [json-ld, microdata, opengraph]
            fields: {title: title}
            """, PRODUCT, PRODUCT_PAGE));

    assertThat(List.copyOf(product.fieldNames())).containsExactly("title", "jsonld", "microdata", "opengraph");
    assertThat(product.getJsonArray("jsonld")).hasSize(4);
    assertThat(product.getJsonArray("microdata").getJsonObject(0).getJsonArray("type"))
        .containsExactly("https://schema.org/Product");
    assertThat(product.getJsonObject("opengraph").getString("type")).isEqualTo("product");

    JsonObject article = onlyItem(extract("rules: [{name: article, structured: [opengraph, json-ld]}]",
        "https://news.example.org/2024/03/14/night-library", "article-with-json-ld-and-open-graph.html"));
    assertThat(List.copyOf(article.fieldNames())).containsExactly("opengraph", "jsonld");
    assertThat(article.getJsonArray("jsonld").getJsonObject(0).getString("headline"))
        .isEqualTo("City opens its first night library");
  }

  @Test
  void readsAnArticlesPeopleWrittenDateAsIso() {
    JsonObject article = onlyItem(extract("""
        rules:
          - name: article
            fields:
              published: {css: p.byline time, type: date}
              published_attr: {css: p.byline time, attr: datetime, type: date}
              author_page: {css: p.byline a, attr: href, type: url}
              not_a_date: {css: h1, type: date}
            """, "https://news.example.org/2024/03/14/night-library", "article-with-json-ld-and-open-graph.html"));

    assertThat(article.getString("published")).isEqualTo("2024-03-14");
    assertThat(article.getString("published_attr")).isEqualTo("2024-03-14T06:30:00+01:00");
    assertThat(article.getString("author_page")).isEqualTo("https://news.example.org/staff/ana-lima");
    assertThat(article.getValue("not_a_date")).isNull();
  }

  @Test
  void keysItemsAndDropsThoseWithoutTheirKeyCountingWhatEachRuleMade() {
    RuleStats stats = new RuleStats();
    TrawlConfig config = ConfigLoader.fromYaml("""
        rules:
          - name: reviews
            select: div.review
            key: who
            fields: {who: span.who, stars: {css: span.stars, type: integer}}
        """, Map.of());
    HtmlParser.ParsedPage page = new HtmlParser().parse(SHOP, fixture("fields-of-every-kind.html"), "text/html");
    Extractor extractor = new Extractor(config.rules(), List.of(), stats);

    JsonArray items = extractor.extract(SHOP, SHOP, page.document(), page.baseUrl()).items();
    extractor.extract(SHOP, SHOP, page.document(), page.baseUrl());

    assertThat(items).extracting(i -> ((JsonObject) i).getString("key")).containsExactly("[\"Ann\"]", "[\"Bob\"]");
    JsonObject reviews = stats.toJson().getJsonObject("rules").getJsonObject("reviews");
    assertThat(reviews.getLong("items")).isEqualTo(4);
    assertThat(reviews.getLong("dropped")).isEqualTo(2);
    assertThat(reviews.getJsonObject("empty")).isEqualTo(new JsonObject().put("who", 2L).put("stars", 2L));
  }

  @Test
  void countsInvalidJsonLdBlocksOnlyWhenARuleReadsJsonLd() {
    RuleStats stats = new RuleStats();
    TrawlConfig config = ConfigLoader.fromYaml("rules: [{name: p, fields: {sku: {jsonld: '$.sku'}}}]", Map.of());
    HtmlParser.ParsedPage page = new HtmlParser().parse(PRODUCT, fixture(PRODUCT_PAGE), "text/html");

    new Extractor(config.rules(), List.of(), stats).extract(PRODUCT, PRODUCT, page.document(), page.baseUrl());
    new Extractor(List.of(), List.of(), stats).extract(PRODUCT, PRODUCT, page.document(), page.baseUrl());

    assertThat(stats.toJson().getLong("invalidJsonLd")).isEqualTo(1);
  }
}
