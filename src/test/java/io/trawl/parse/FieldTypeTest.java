package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldTypeTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "2024-03-05 | 2024-03-05",
      "2024-03-05T10:00:00 | 2024-03-05T10:00:00",
      "2024-03-05T10:00:00Z | 2024-03-05T10:00:00Z",
      "2024-03-05T10:00:00+01:00 | 2024-03-05T10:00:00+01:00",
      "'Tue, 5 Mar 2024 10:00:00 GMT' | 2024-03-05T10:00:00Z",
      "'March 14, 1879' | 1879-03-14",
      "'Mar 14, 1879' | 1879-03-14",
      "14 March 1879 | 1879-03-14",
      "14 mar 1879 | 1879-03-14",
      "'February 30, 2024' | null",
      "yesterday | null",
      "2024-13-01 | null",
      "'' | null"})
  void readsDatesInTheDocumentedFormsAndWritesIso(String text, String iso) {
    assertThat(FieldType.DATE.convert(text, "https://example.com/")).isEqualTo(iso);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "/products/a?x=1 | https://example.com/products/a?x=1",
      "HTTPS://Example.COM/b | https://example.com/b",
      "c.html | https://example.com/shop/c.html",
      "mailto:a@example.com | null",
      "javascript:void(0) | null",
      "http://[bad | null"})
  void resolvesUrlsAgainstThePageAndRefusesOtherSchemes(String text, String url) {
    assertThat(FieldType.URL.convert(text, "https://example.com/shop/")).isEqualTo(url);
  }
}
