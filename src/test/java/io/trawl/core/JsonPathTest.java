package io.trawl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPathTest {
  private static final JsonObject PRODUCT = new JsonObject("""
      {"@type": "Product", "name": "Shoe", "brand": {"name": "Peak"},
       "offers": [{"price": "129.95", "seller": {"name": "A"}}, {"price": 99.5}],
       "image": ["a.jpg", "b.jpg"], "dotted.key": 1}""");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "$.name | [\"Shoe\"]",
      "$['@type'] | [\"Product\"]",
      "$.@type | [\"Product\"]",
      "$.brand.name | [\"Peak\"]",
      "$.offers.price | [\"129.95\",99.5]",
      "$.offers[1].price | [99.5]",
      "$.offers[*].price | [\"129.95\",99.5]",
      "$.image[0] | [\"a.jpg\"]",
      "$.image.* | [\"a.jpg\",\"b.jpg\"]",
      "$..name | [\"Shoe\",\"Peak\",\"A\"]",
      "$['dotted.key'] | [1]",
      "$.offers[5].price | []",
      "$.missing.name | []"})
  void findsTheValuesOfTheSubset(String path, String values) {
    assertThat(new io.vertx.core.json.JsonArray(JsonPath.compile(path).values(PRODUCT)).encode()).isEqualTo(values);
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "$.", "$..", "$[", "$[?(@.price)]", "$[-1]", "$[1:2]", "$ name"})
  void refusesWhatIsOutsideTheSubset(String path) {
    assertThatThrownBy(() -> JsonPath.compile(path)).isInstanceOf(IllegalArgumentException.class);
  }
}
