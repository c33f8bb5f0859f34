package io.trawl.parse;

import io.trawl.core.UrlNormalizer;
import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * Parses one HTML page with Jsoup: decodes it with the sniffed charset (malformed bytes replaced,
 * never thrown), and extracts its title, its outgoing http(s) links (absolute, normalized, once
 * each, honouring {@code <base href>}) and the SHA-256 of its bytes. Stateless and thread-safe;
 * runs on the parse worker pool, never on an event loop.
 */
public final class HtmlParser {
  /**
   * @param title the {@code <title>} text, whitespace collapsed, or null
   * @param links outgoing links in document order, the page itself excluded
   * @param contentHash lowercase hex SHA-256 of the raw body
   * @param charset the charset the body was decoded with
   * @param document the parsed document, for extraction rules
   */
  public record ParsedPage(String title, List<String> links, String contentHash, String charset, Document document) {}

  public ParsedPage parse(String url, byte[] body, String contentTypeHeader) {
    byte[] bytes = body == null ? new byte[0] : body;
    Charset charset = CharsetSniffer.detect(bytes, contentTypeHeader);
    int bom = CharsetSniffer.bomLength(bytes);
    String html = new String(bytes, bom, bytes.length - bom, charset);
    Document doc = Jsoup.parse(html, url);
    String base = baseUrl(doc, url);
    String title = doc.title().strip();
    return new ParsedPage(title.isEmpty() ? null : title, links(doc, base, url), sha256(bytes), charset.name(), doc);
  }

  /** The page's {@code <base href>} resolved against its URL, or the URL itself. */
  private static String baseUrl(Document doc, String url) {
    Element base = doc.selectFirst("base[href]");
    if (base == null) {
      return url;
    }
    return UrlNormalizer.resolve(url, base.attr("href")).orElse(url);
  }

  private static List<String> links(Document doc, String base, String self) {
    Set<String> links = new LinkedHashSet<>();
    Optional<String> selfNormalized = UrlNormalizer.normalize(self);
    collect(doc.getElementsByTag("a"), "href", base, links);
    collect(doc.getElementsByTag("area"), "href", base, links);
    collect(doc.getElementsByTag("frame"), "src", base, links);
    collect(doc.getElementsByTag("iframe"), "src", base, links);
    selfNormalized.ifPresent(links::remove);
    return new ArrayList<>(links);
  }

  private static void collect(Elements elements, String attribute, String base, Set<String> into) {
    for (Element e : elements) {
      if (!e.hasAttr(attribute)) {
        continue;
      }
      UrlNormalizer.resolve(base, e.attr(attribute)).ifPresent(into::add);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
