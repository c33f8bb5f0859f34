package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which responses {@link ContentSniffer} has parsed as HTML: by Content-Type, else by their first bytes. */
class ContentSnifferTest {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"<!DOCTYPE html><title>t</title>", "\uFEFF<!doctype html>", "  \n<html lang=en>",
      "<HEAD>", "<body>", "<title>x</title>", "<!-- a comment -->", "<p>text"})
  void takesABodyWithoutContentTypeStartingWithAnHtmlTagForHtml(String body) {
    assertThat(ContentSniffer.isHtml(null, bytes(body))).isTrue();
    assertThat(ContentSniffer.isHtml("unknown/unknown", bytes(body))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{\"a\": 1}", "%PDF-1.7", "<?xml version=\"1.0\"?><urlset/>", "<html5lib>", "plain text"})
  void leavesOtherBodiesWithoutContentTypeUnparsed(String body) {
    assertThat(ContentSniffer.isHtml(null, bytes(body))).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "text/html; charset=utf-8, true",
      "application/xhtml+xml, true",
      "application/octet-stream, false",
      "application/json, false",
      "text/plain, false"})
  void goesByADeclaredContentTypeWhateverTheBody(String contentType, boolean html) {
    assertThat(ContentSniffer.isHtml(contentType, bytes("<!doctype html><title>t</title>"))).isEqualTo(html);
  }

  @org.junit.jupiter.api.Test
  void readsAUtf16BodyPastItsByteOrderMark() {
    assertThat(ContentSniffer.isHtml(null, "\uFEFF<html>".getBytes(StandardCharsets.UTF_16BE))).isTrue();
    assertThat(ContentSniffer.isHtml(null, "\uFEFF<html>".getBytes(StandardCharsets.UTF_16LE))).isTrue();
  }

  @Test
  void readsTheMediaTypeAsLowercasingAndSplittingTheHeaderDid() {
    Random random = new Random(5);
    String alphabet = "tEXT/hTmL; \t\u0130\u212a=,\"x";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder header = new StringBuilder();
      for (int k = random.nextInt(24); k > 0; k--) {
        header.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String h = header.toString();
      assertThat(ContentSniffer.mediaType(h)).as(h).isEqualTo(h.toLowerCase(Locale.ROOT).split(";", 2)[0].trim());
    }
    assertThat(ContentSniffer.mediaType(" Text/HTML ; charset=UTF-8")).isEqualTo("text/html");
  }
}
