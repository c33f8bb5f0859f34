package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class ConfigJsonTest {
  private static final String CHANGED_YAML =
      """
      crawl:
        seeds: ../seeds/shop.txt
        max_pages: 5000
        max_duration: 90m
        allowed_domains: [shop.example.com]
        include: ['/p/\\d+']
      fetch:
        per_host_rate: 1/5s
        user_agent: 'shopbot/1.0 (+mailto:ops@example.com)'
        max_body_size: 512KB
        respect_robots: false
      retry:
        multiplier: 1.5
        initial_delay: 250ms
        statuses: [503]
      store:
        batch_delay: 0
      download:
        content_types: [application/pdf, "image/*"]
        max_size: 5MB
        from_fields: [shop.image]
      rules:
        - name: shop
          url: '/p/'
          select: div.product
          follow: [nav.pages]
          fields:
            title: h1
            image: {css: img, attr: 'abs:src'}
            specs: {css: tr, all: true, fields: {key: th, value: {css: td, type: number, required: true}}}
      """;

  @Test
  void writesTheShapeOfConfigYaml() {
    JsonObject json = ConfigJson.toJson(ConfigLoader.defaults());

    assertThat(json.fieldNames()).containsExactly("crawl", "fetch", "retry", "circuit", "parse", "store", "download", "recrawl", "hosts", "render", "cluster", "rules");
    assertThat(json.getJsonArray("rules")).isEmpty();
    assertThat(json.getJsonObject("fetch").getString("per_host_rate")).isEqualTo("1/s");
    assertThat(json.getJsonObject("fetch").getString("max_body_size")).isEqualTo("10MB");
    assertThat(json.getJsonObject("fetch").getBoolean("respect_robots")).isTrue();
    assertThat(json.getJsonObject("crawl").getString("max_duration")).isEqualTo("0");
    assertThat(json.getJsonObject("crawl").getString("seeds")).isEqualTo("seeds.txt");
    assertThat(json.getJsonObject("retry").getJsonArray("statuses"))
        .isEqualTo(new JsonArray(List.of(429, 500, 502, 503, 504)));
  }

  @Test
  void loadsBackAsTheSameConfig() {
    TrawlConfig config = ConfigLoader.fromYaml(CHANGED_YAML, Map.of());

    String yaml = new Yaml().dump(plain(ConfigJson.toJson(config)));

    assertThat(ConfigLoader.fromYaml(yaml, Map.of())).isEqualTo(config);
  }

  @Test
  void loadsTheDefaultsBackAsTheDefaults() {
    String yaml = new Yaml().dump(plain(ConfigJson.toJson(ConfigLoader.defaults())));

    assertThat(ConfigLoader.fromYaml(yaml, Map.of())).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void listsEachChangedKeyWithBothValues() {
    TrawlConfig before = ConfigLoader.defaults();
    TrawlConfig after =
        ConfigLoader.load(
            null,
            Map.of(
                "fetch.per_host_rate", "2/s",
                "crawl.max_pages", "10",
                "crawl.allowed_domains", "a.com,b.com"));

    assertThat(ConfigJson.diff(before, after))
        .containsExactly(
            "crawl.max_pages: 0 -> 10",
            "crawl.allowed_domains: [] -> [\"a.com\",\"b.com\"]",
            "fetch.per_host_rate: 1/s -> 2/s");
  }

  @Test
  void findsNoDifferenceBetweenEqualConfigs() {
    assertThat(ConfigJson.diff(ConfigLoader.defaults(), ConfigLoader.defaults())).isEmpty();
  }

  /** JSON as the plain maps, lists and scalars that SnakeYAML dumps. */
  private static Object plain(Object json) {
    if (json instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(entry -> map.put(entry.getKey(), plain(entry.getValue())));
      return map;
    }
    if (json instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    return json;
  }
}
