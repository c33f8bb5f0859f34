package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentCheckTest {
  private static final String URL = "http://127.0.0.1:8080/shop/1";
  private static final String SHELL = "<html><body><div id=app></div><script src=app.js></script></body></html>";
  private static final String BUILT = """
      <html><body><div id=app><div class=product><h2>Lamp</h2><span class=price>12</span></div>
      <a class=next href=/shop/2>next</a></div></body></html>""";
  private static final String RULES = """
      rules:
        - name: products
          url: '/shop/'
          select: div.product
          fields: {name: h2, price: span.price}
      """;

  private static ContentCheck.Lack lack(String yaml, String url, String html) {
    TrawlConfig config = ConfigLoader.fromYaml(yaml, Map.of());
    HtmlParser.ParsedPage page = new HtmlParser().parse(url, html.getBytes(StandardCharsets.UTF_8), "text/html");
    Extractor.Extracted extracted = new Extractor(config.rules(), config.download().fromFields())
        .extract(url, url, page.document(), page.baseUrl());
    return new ContentCheck(config.rules(), config.render().whenMissing()).lack(url, url, page.document(), extracted);
  }

  @Test
  void aShellWhoseRulesFindNothingLacksItsContent() {
    assertThat(lack(RULES, URL, SHELL)).isEqualTo(ContentCheck.Lack.RULES_FOUND_NOTHING);
    assertThat(lack(RULES, URL, BUILT)).isEqualTo(ContentCheck.Lack.NONE);
  }

  @Test
  void anItemWithNoValueInAnyFieldIsNothing() {
    String yaml = """
        rules:
          - name: page
            url: '/shop/'
            fields: {name: h2, price: span.price}
        """;

    assertThat(lack(yaml, URL, SHELL)).isEqualTo(ContentCheck.Lack.RULES_FOUND_NOTHING);
    assertThat(lack(yaml, URL, BUILT)).isEqualTo(ContentCheck.Lack.NONE);
  }

  @Test
  void aFollowOnlyRuleFindsSomethingWhenItsRegionsHoldLinks() {
    String yaml = """
        rules:
          - name: pages
            follow: [a.next]
        """;

    assertThat(lack(yaml, URL, SHELL)).isEqualTo(ContentCheck.Lack.RULES_FOUND_NOTHING);
    assertThat(lack(yaml, URL, BUILT)).isEqualTo(ContentCheck.Lack.NONE);
  }

  @Test
  void aPageNoRuleMatchesLacksNothing() {
    assertThat(lack(RULES, "http://127.0.0.1:8080/about", SHELL)).isEqualTo(ContentCheck.Lack.NONE);
  }

  @Test
  void whenMissingDecidesWhateverTheRulesFound() {
    String yaml = RULES + "render: {mode: auto, when_missing: 'a.next'}\n";

    assertThat(lack(yaml, URL, SHELL)).isEqualTo(ContentCheck.Lack.WHEN_MISSING_ABSENT);
    assertThat(lack(yaml, "http://127.0.0.1:8080/about", SHELL)).isEqualTo(ContentCheck.Lack.WHEN_MISSING_ABSENT);
    assertThat(lack(yaml, URL, BUILT)).isEqualTo(ContentCheck.Lack.NONE);
  }
}
