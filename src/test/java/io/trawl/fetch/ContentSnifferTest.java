package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
}
