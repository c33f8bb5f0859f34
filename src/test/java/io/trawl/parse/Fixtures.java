package io.trawl.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.jsoup.nodes.Document;

/** The HTML fixtures of {@code src/test/resources/pages/}, parsed as the crawl parses them. */
final class Fixtures {
  private Fixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/pages/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HtmlParser.ParsedPage parsed(String url, String name) {
    return new HtmlParser().parse(url, bytes(name), "text/html; charset=utf-8");
  }

  static Document document(String url, String name) {
    return parsed(url, name).document();
  }
}
