package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleReaderTest {
  private static TrawlConfig load(String yaml) {
    return ConfigLoader.fromYaml(yaml, Map.of());
  }

  private static void refuses(String yaml, String keyPath) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).keyPath())
        .isEqualTo(keyPath);
  }

  @Test
  void readsARuleWithEveryKindOfField() {
    TrawlConfig config = load("""
        rules:
          - name: quotes
            url: 'quotes\\.toscrape\\.com'
            select: div.quote
            follow: [li.next]
            fields:
              text: span.text
              tags: {css: a.tag, all: true}
              link: {css: a, attr: 'abs:href', required: true}
              n: {css: b, regex: '(\\d+)', type: integer, trim: false}
              html: {css: p, take: html}
              nested: {css: li, all: true, fields: {x: i}}
        """);

    TrawlConfig.Rule rule = config.rules().get(0);
    assertThat(rule.name()).isEqualTo("quotes");
    assertThat(rule.url()).isEqualTo("quotes\\.toscrape\\.com");
    assertThat(rule.select()).isEqualTo("div.quote");
    assertThat(rule.follow()).contains(List.of("li.next"));
    assertThat(rule.fields().keySet()).containsExactly("text", "tags", "link", "n", "html", "nested");
    assertThat(rule.fields().get("text"))
        .isEqualTo(new TrawlConfig.Field("span.text", "", "", "", "text", "", false, "", true, "string", false, Map.of()));
    assertThat(rule.fields().get("tags").all()).isTrue();
    assertThat(rule.fields().get("link").attr()).isEqualTo("abs:href");
    assertThat(rule.fields().get("link").required()).isTrue();
    assertThat(rule.fields().get("n").type()).isEqualTo("integer");
    assertThat(rule.fields().get("n").trim()).isFalse();
    assertThat(rule.fields().get("html").take()).isEqualTo("html");
    assertThat(rule.fields().get("nested").fields().get("x").css()).isEqualTo("i");
  }

  @Test
  void hasNoRulesByDefaultAndFollowIsAbsentUnlessWritten() {
    assertThat(load("").rules()).isEmpty();
    assertThat(load("rules: [{name: a, fields: {t: title}}]").rules().get(0).follow()).isEqualTo(Optional.empty());
    assertThat(load("rules: [{name: a, follow: []}]").rules().get(0).follow()).contains(List.of());
  }

  @Test
  void refusesABadSelectorNamingTheRuleAndField() {
    refuses("rules: [{name: a, fields: {t: title}}, {name: b, fields: {price: {css: 'p..price'}}}]", "rules[1].fields.price.css");
    refuses("rules: [{name: a, fields: {price: 'div[unclosed'}}]", "rules[0].fields.price");
    refuses("rules: [{name: a, select: '>>>', fields: {t: title}}]", "rules[0].select");
    refuses("rules: [{name: a, follow: [li.next, '::'], fields: {t: title}}]", "rules[0].follow[1]");
  }

  @Test
  void refusesABadRegexNamingTheRuleAndField() {
    refuses("rules: [{name: a, fields: {n: {css: b, regex: '(unclosed'}}}]", "rules[0].fields.n.regex");
    refuses("rules: [{name: a, url: '[', fields: {t: title}}]", "rules[0].url");
  }

  @Test
  void refusesUnknownKeysAndBadChoices() {
    refuses("rules: [{name: a, fields: {t: title}, selector: div}]", "rules[0].selector");
    refuses("rules: [{name: a, fields: {t: {css: b, tkae: text}}}]", "rules[0].fields.t.tkae");
    refuses("rules: [{name: a, fields: {t: {css: b, take: inner}}}]", "rules[0].fields.t.take");
    refuses("rules: [{name: a, fields: {t: {css: b, type: float}}}]", "rules[0].fields.t.type");
    refuses("rules: [{name: a, fields: {t: {css: b, all: yes please}}}]", "rules[0].fields.t.all");
  }

  @Test
  void refusesContradictoryOrMissingParts() {
    refuses("rules: [{fields: {t: title}}]", "rules[0].name");
    refuses("rules: [{name: a}]", "rules[0].fields");
    refuses("rules: [{name: a, fields: {}}]", "rules[0].fields");
    refuses("rules: [{name: a, fields: {t: title}}, {name: a, fields: {u: h1}}]", "rules[1].name");
    refuses("rules: [{name: a, fields: {t: {css: a, take: text, attr: href}}}]", "rules[0].fields.t.attr");
    refuses("rules: [{name: a, fields: {t: {css: a, regex: x, fields: {u: b}}}}]", "rules[0].fields.t.regex");
    refuses("rules: [{name: 'two words', fields: {t: title}}]", "rules[0].name");
    refuses("rules: {name: a}", "rules");
  }

  @Test
  void refusesDownloadFieldsThatNameNoFieldOrNothingToSave() {
    String rules = "rules: [{name: books, fields: {image: {css: img, attr: 'abs:src'}, n: {css: li, fields: {x: i}}}}]\n";
    refuses(rules + "download: {content_types: ['image/*'], from_fields: [books.cover]}", "download.from_fields[0]");
    refuses(rules + "download: {content_types: ['image/*'], from_fields: [books]}", "download.from_fields[0]");
    refuses(rules + "download: {content_types: ['image/*'], from_fields: [books.n]}", "download.from_fields[0]");
    refuses(rules + "download: {from_fields: [books.image]}", "download.content_types");
    assertThat(load(rules + "download: {content_types: ['image/*'], from_fields: [books.image]}").download().fromFields())
        .containsExactly("books.image");
  }

  @Test
  void readsXpathJsonLdStructuredDataKeysAndTheNewTypes() {
    TrawlConfig.Rule rule = load("""
        rules:
          - name: product
            structured: [json-ld, microdata, opengraph, json-ld]
            key: sku
            fields:
              sku: {xpath: '//*[@itemprop="sku"]', attr: content}
              price: {jsonld: '$.offers[0].price', jsonld_type: Product, type: number}
              released: {css: time, attr: datetime, type: date}
              page: {css: 'link[rel=canonical]', attr: href, type: url}
        """).rules().get(0);

    assertThat(rule.structured()).containsExactly("json-ld", "microdata", "opengraph");
    assertThat(rule.key()).containsExactly("sku");
    assertThat(rule.fields().get("sku").xpath()).isEqualTo("//*[@itemprop=\"sku\"]");
    assertThat(rule.fields().get("price").jsonld()).isEqualTo("$.offers[0].price");
    assertThat(rule.fields().get("price").jsonldType()).isEqualTo("Product");
    assertThat(rule.fields().get("released").type()).isEqualTo("date");
    assertThat(rule.fields().get("page").type()).isEqualTo("url");
    assertThat(load("rules: [{name: p, structured: [opengraph]}]").rules().get(0).fields()).isEmpty();
    assertThat(load("rules: [{name: p, key: [a, b], fields: {a: h1, b: h2}}]").rules().get(0).key())
        .containsExactly("a", "b");
  }

  @Test
  void refusesBadXpathJsonLdPathsKeysAndStructuredKindsNamingTheirPath() {
    refuses("rules: [{name: a, fields: {t: {xpath: '//div[@class='}}}]", "rules[0].fields.t.xpath");
    refuses("rules: [{name: a, fields: {t: {xpath: '//a/@href'}}}]", "rules[0].fields.t.xpath");
    refuses("rules: [{name: a, fields: {t: {xpath: '//p/text()'}}}]", "rules[0].fields.t.xpath");
    refuses("rules: [{name: a, fields: {t: {css: p, xpath: '//p'}}}]", "rules[0].fields.t.xpath");
    refuses("rules: [{name: a, fields: {t: {jsonld: 'offers.price'}}}]", "rules[0].fields.t.jsonld");
    refuses("rules: [{name: a, fields: {t: {jsonld: '$.offers[?(@.x)]'}}}]", "rules[0].fields.t.jsonld");
    refuses("rules: [{name: a, fields: {t: {jsonld: '$.x', attr: href}}}]", "rules[0].fields.t.attr");
    refuses("rules: [{name: a, fields: {t: {css: p, jsonld_type: Product}}}]", "rules[0].fields.t.jsonld_type");
    refuses("rules: [{name: a, fields: {t: {css: p, type: datetime}}}]", "rules[0].fields.t.type");
    refuses("rules: [{name: a, key: [t, sku], fields: {t: title}}]", "rules[0].key[1]");
    refuses("rules: [{name: a, key: [], fields: {t: title}}]", "rules[0].key");
    refuses("rules: [{name: a, structured: [rdfa], fields: {t: title}}]", "rules[0].structured[0]");
    refuses("rules: [{name: a, structured: [json-ld], fields: {jsonld: title}}]", "rules[0].fields.jsonld");
  }

  @Test
  void refusesRulesOnTheCommandLine() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("", Map.of("rules.name", "x")))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).keyPath())
        .isEqualTo("rules.name");
  }

  @Test
  void aRuleRoundTripsThroughTheStoredConfigJson() {
    TrawlConfig config = load("""
        rules:
          - name: quotes
            select: div.quote
            follow: [li.next]
            structured: [opengraph]
            key: [text]
            fields:
              text: span.text
              tags: {css: a.tag, all: true}
              nested: {css: li, fields: {x: {css: i, type: number}}}
              by_xpath: {xpath: './/b', type: date}
              price: {jsonld: '$.offers.price', jsonld_type: Product}
        """);

    TrawlConfig back = ConfigLoader.fromYaml(ConfigJson.toJson(config).encode(), Map.of());
    assertThat(back).isEqualTo(config);
    assertThat(ConfigJson.diff(config, back)).isEmpty();
  }
}
