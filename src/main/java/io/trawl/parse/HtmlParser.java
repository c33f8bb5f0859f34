package io.trawl.parse;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import io.trawl.core.ContentHash;
import io.trawl.core.CrawlException;
import io.trawl.core.UrlNormalizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Parses one HTML page with Jsoup: decodes it with the sniffed charset (malformed bytes replaced,
 * never thrown), and extracts its title, its outgoing http(s) links (absolute, normalized, once
 * each, honouring {@code <base href>}) and the SHA-256 of its bytes. A hostile page cannot make
 * the links grow without bound: a link longer than {@code fetch.max_url_length} is dropped, a
 * {@code <base href>} that long is ignored, and past {@code parse.max_links_per_page} links the
 * rest are counted, not even resolved. Immutable and thread-safe; runs on the parse worker pool,
 * never on an event loop.
 */
public final class HtmlParser {
  /**
   * @param title the {@code <title>} text, whitespace collapsed, or null
   * @param links outgoing links in document order, the page itself excluded
   * @param contentHash lowercase hex SHA-256 of the raw body
   * @param charset the charset the body was decoded with
   * @param document the parsed document, for extraction rules
   * @param baseUrl what the page's relative links resolve against: its {@code <base href>}, or its URL
   * @param linksDropped links left out of {@code links}: longer than {@code fetch.max_url_length},
   *     or link elements past {@code parse.max_links_per_page}
   */
  public record ParsedPage(String title, List<String> links, String contentHash, String charset, Document document,
      String baseUrl, int linksDropped) {}

  private final int maxUrlLength;
  private final int maxLinks;

  /** A parser with the default limits, for the bench and tests. */
  public HtmlParser() {
    this(ConfigLoader.defaults());
  }

  /** A parser with the crawl's {@code fetch.max_url_length} and {@code parse.max_links_per_page}. */
  public HtmlParser(TrawlConfig config) {
    this.maxUrlLength = config.fetch().maxUrlLength();
    this.maxLinks = config.parse().maxLinksPerPage();
  }

  public ParsedPage parse(String url, byte[] body, String contentTypeHeader) {
    return parse(url, body, contentTypeHeader, Long.MAX_VALUE);
  }

  /**
   * As {@link #parse(String, byte[], String)}, stopping with a {@link CrawlException} of kind
   * {@code too_complex} once building the document has taken more than {@code maxHeapBytes} of
   * heap ({@link HeapCappedInput}).
   */
  public ParsedPage parse(String url, byte[] body, String contentTypeHeader, long maxHeapBytes) {
    byte[] bytes = body == null ? new byte[0] : body;
    Charset charset = CharsetSniffer.detect(bytes, contentTypeHeader);
    int bom = CharsetSniffer.bomLength(bytes);
    Document doc = parseDocument(new HeapCappedInput(bytes, bom, url, maxHeapBytes), charset, url);
    String title = doc.title().strip();
    List<Element> linking = new ArrayList<>();
    String baseUrl = baseUrlAndLinkElements(doc, url, linking);
    Set<String> links = new LinkedHashSet<>();
    int dropped = 0;
    String self = UrlNormalizer.normalize(url).orElse(null);
    UrlNormalizer.Resolver resolver = UrlNormalizer.resolver(baseUrl);
    for (int i = 0; i < linking.size(); i++) {
      if (links.size() >= maxLinks) {
        dropped += linksIn(linking.subList(i, linking.size()));
        break;
      }
      String link = link(linking.get(i), resolver);
      if (link == null || link.equals(self)) {
        continue;
      }
      if (link.length() > maxUrlLength) {
        dropped++;
      } else {
        links.add(link);
      }
    }
    return new ParsedPage(title.isEmpty() ? null : title, new ArrayList<>(links), ContentHash.of(bytes), charset.name(), doc,
        baseUrl, dropped);
  }

  /**
   * Jsoup reads the bytes through a decoder in chunks rather than from one String of the whole page:
   * the String, its copy into Jsoup's buffer and the UTF-16 inflation of a page with one non-ASCII
   * character were a quarter of the parse time in {@code trawl bench}.
   */
  private static Document parseDocument(HeapCappedInput input, Charset charset, String url) {
    try {
      return Jsoup.parse(input, charset.name(), url);
    } catch (IOException e) {
      throw new UncheckedIOException("reading a byte array cannot fail", e);
    }
  }

  /**
   * The URL the page's links resolve against, its first {@code <base href>} (itself resolved
   * against the page URL) or the URL; collects the link elements on the way. One walk of the tree
   * finds the base and the four link tags; a {@code selectFirst("base[href]")} was a second walk
   * and a selector parse per page.
   */
  private String baseUrlAndLinkElements(Document doc, String url, List<Element> linking) {
    Element base = null;
    for (Element e : doc) { // the document and its descendants, without collecting them into a list
      String tag = e.normalName();
      if (tag.equals("base")) {
        if (base == null && e.hasAttr("href")) {
          base = e;
        }
      } else if (linkAttribute(tag) != null) {
        linking.add(e);
      }
    }
    if (base == null) {
      return url;
    }
    // One with user info resolves to nothing (UrlNormalizer): ignored, like one too long.
    return UrlNormalizer.resolve(url, base.attr("href")).filter(b -> b.length() <= maxUrlLength).orElse(url);
  }

  /**
   * Adds the http(s) links of {@code region} (the element itself when it is a link, and every link
   * inside it), absolute and normalized, to {@code into}. For a rule's {@code follow} regions.
   */
  static void addLinksIn(Element region, String baseUrl, Set<String> into) {
    UrlNormalizer.Resolver resolver = UrlNormalizer.resolver(baseUrl);
    for (Element e : region.getAllElements()) {
      String link = link(e, resolver);
      if (link != null) {
        into.add(link);
      }
    }
  }

  /** How many of {@code elements} hold a link at all, whatever it is: those past the cap, not resolved. */
  private static int linksIn(List<Element> elements) {
    int n = 0;
    for (Element e : elements) {
      if (e.hasAttr(linkAttribute(e.normalName()))) {
        n++;
      }
    }
    return n;
  }

  /** The normalized http(s) link an element holds, or null. */
  private static String link(Element e, UrlNormalizer.Resolver resolver) {
    String attribute = linkAttribute(e.normalName());
    if (attribute == null || !e.hasAttr(attribute)) {
      return null;
    }
    return resolver.resolve(e.attr(attribute)).orElse(null);
  }

  /** The attribute that holds a link on an element of this tag, or null. */
  private static String linkAttribute(String tag) {
    return switch (tag) {
      case "a", "area" -> "href";
      case "frame", "iframe" -> "src";
      default -> null;
    };
  }

}
