package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathTemplateTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      https://shop.example/product/123                        | shop.example/product/{n}
      https://shop.example/product/4567?ref=x&a=1             | shop.example/product/{n}?a&ref
      https://Shop.Example/p/abc-123.html                     | shop.example/p/abc-{n}.html
      http://127.0.0.1:8080/page/7                            | 127.0.0.1:8080/page/{n}
      https://blog.example/2024/05/12/my-first-post           | blog.example/{n}/{n}/{n}/{slug}
      https://blog.example/posts/a-much-longer-title.html     | blog.example/posts/{slug}.html
      https://api.example/o/3f2b9c1e-8d4a-4b2e-9f1a-0c6d7e8f9a0b | api.example/o/{id}
      https://api.example/o/5f2b9c1e8d4a4b2e                   | api.example/o/{id}
      https://shop.example/category/shoes                     | shop.example/category/shoes
      https://shop.example/                                   | shop.example/
      https://shop.example                                    | shop.example/
      """)
  void writesTheVaryingPartsAsPlaceholders(String url, String template) {
    assertThat(PathTemplate.of(url)).isEqualTo(template);
  }
}
