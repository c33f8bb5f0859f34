package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleTrialTest {
  private static final String PRODUCT = "https://shop.example.com/products/trail-runner-2-blue";

  private static RuleTrial.Report run(String yaml, String onlyRule) {
    TrawlConfig config = ConfigLoader.fromYaml(yaml, Map.of());
    HtmlParser.ParsedPage page = Fixtures.parsed(PRODUCT, "product-with-json-ld-microdata-and-open-graph.html");
    return new RuleTrial(config.rules(), List.of()).run(PRODUCT, PRODUCT, page.document(), page.baseUrl(), onlyRule);
  }

  @Test
  void explainsEmptyFieldsOfEverySourceWithWhatTheyMatched() {
    RuleTrial.Report report = run("""
        rules:
          - name: product
            fields:
              gtin: {jsonld: '$.gtin8', jsonld_type: Product}
              faq: {jsonld: '$.mainEntity', jsonld_type: FAQPage}
              added: {css: p.added span.date, regex: '^(\\d{4})'}
              sizes: {xpath: '//ul[@class="sizes"]/li', type: date}
              currency: {css: div.buy meta, attr: value}
              name: h1
        """, null);

    assertThat(report.invalidJsonLd()).isEqualTo(1);
    List<RuleTrial.EmptyField> empty = report.rules().get(0).emptyFields();
    assertThat(empty).extracting(RuleTrial.EmptyField::field).containsExactly("gtin", "faq", "added", "sizes", "currency");
    assertThat(empty.get(0)).satisfies(f -> {
      assertThat(f.source()).isEqualTo("jsonld \"$.gtin8\" of @type Product");
      assertThat(f.matched()).isZero();
      assertThat(f.reason()).contains("Organization").contains("Product");
    });
    assertThat(empty.get(1).matched()).isZero();
    assertThat(empty.get(2)).satisfies(f -> {
      assertThat(f.matched()).isEqualTo(1);
      assertThat(f.reason()).contains("regex").contains("March 3, 2024");
    });
    assertThat(empty.get(3)).satisfies(f -> {
      assertThat(f.source()).startsWith("xpath");
      assertThat(f.matched()).isEqualTo(3);
      assertThat(f.reason()).contains("\"41\" is not a date");
    });
    assertThat(empty.get(4)).satisfies(f -> {
      assertThat(f.matched()).isEqualTo(1);
      assertThat(f.reason()).contains("no attribute value");
    });
  }

  @Test
  void runsANamedRuleWhoseUrlPatternDoesNotMatchAndRefusesAnUnknownOne() {
    String rules = "rules: [{name: blog, url: '/blog/', fields: {t: h1}}, {name: shop, url: '/products/', fields: {t: h1}}]";

    RuleTrial.Report all = run(rules, null);
    assertThat(all.rules()).extracting(RuleTrial.RuleReport::ran).containsExactly(false, true);

    RuleTrial.Report blog = run(rules, "blog");
    assertThat(blog.rules()).singleElement().satisfies(r -> {
      assertThat(r.ran()).isTrue();
      assertThat(r.urlMatches()).isFalse();
      assertThat(r.items()).hasSize(1);
    });
    assertThatThrownBy(() -> run(rules, "nope")).isInstanceOf(IllegalArgumentException.class);
  }
}
