package io.trawl.fetch;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Whether a response is HTML: by its Content-Type, or, when it has none (or one that says nothing:
 * {@code application/octet-stream} is not sniffed, as browsers do not), by its first bytes as the
 * WHATWG MIME sniffing standard and Scrapy read them: past a byte order mark and whitespace, a tag
 * that only HTML starts with ({@code <!doctype html}, {@code <html}, {@code <head}, {@code
 * <body}, {@code <title}, {@code <script}, {@code <!--}, ...) followed by a space or {@code >}.
 * Stateless; any thread.
 */
final class ContentSniffer {
  /** The HTML patterns of the WHATWG "rules for identifying an unknown MIME type". */
  private static final List<String> HTML_STARTS = List.of("<!doctype html", "<html", "<head", "<script", "<iframe",
      "<h1", "<div", "<font", "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p", "<!--");
  /** The content types browsers sniff: none, or one that says "unknown". */
  private static final List<String> UNKNOWN = List.of("", "unknown/unknown", "application/unknown", "*/*");
  private static final int SNIFF_BYTES = 512;

  private ContentSniffer() {}

  /** Whether the response with {@code contentType} (the header, or null) and {@code body} is parsed as HTML. */
  static boolean isHtml(String contentType, byte[] body) {
    if (contentType != null) {
      String type = mediaType(contentType);
      if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
        return true;
      }
      if (!UNKNOWN.contains(type)) {
        return false;
      }
    }
    return looksLikeHtml(body);
  }

  /**
   * The media type of a Content-Type header, lowercase, without its parameters: what
   * {@code toLowerCase(ROOT).split(";", 2)[0].trim()} gives, without the array (twice a page).
   */
  static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code body} starts, past a BOM and whitespace, with a tag only HTML starts with. */
  static boolean looksLikeHtml(byte[] body) {
    int start = 0;
    if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
      start = 3;
    }
    String head;
    if (body.length >= 2 && ((body[0] & 0xff) == 0xfe && (body[1] & 0xff) == 0xff
        || (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xfe)) {
      boolean bigEndian = (body[0] & 0xff) == 0xfe;
      head = new String(body, 2, Math.min(body.length - 2, 2 * SNIFF_BYTES),
          bigEndian ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
    } else {
      head = new String(body, start, Math.min(body.length - start, SNIFF_BYTES), StandardCharsets.ISO_8859_1);
    }
    String text = head.stripLeading().toLowerCase(Locale.ROOT);
    for (String tag : HTML_STARTS) {
      if (text.startsWith(tag)) {
        if (tag.equals("<!--")) {
          return true;
        }
        char after = text.length() > tag.length() ? text.charAt(tag.length()) : ' ';
        if (after == ' ' || after == '>' || after == '\t' || after == '\n' || after == '\r' || after == '\f') {
          return true;
        }
      }
    }
    return false;
  }
}
