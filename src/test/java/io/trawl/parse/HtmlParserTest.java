package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;

import io.trawl.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HtmlParserTest {
  private static final String PAGE = "http://example.com/dir/page.html";
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private final HtmlParser parser = new HtmlParser();

  private static byte[] fixture(String name) {
    try (InputStream in = HtmlParserTest.class.getResourceAsStream("/pages/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HtmlParser.ParsedPage parse(String fixture, String contentType) {
    return parser.parse(PAGE, fixture(fixture), contentType);
  }

  @Test
  void decodesAWindows1252PageByItsMeta() {
    HtmlParser.ParsedPage page = parse("windows-1252-in-meta.html", "text/html");

    assertThat(page.title()).isEqualTo("Café – “quoted” €5");
    assertThat(page.charset()).isEqualTo("windows-1252");
    assertThat(page.document().body().text()).contains("Crème brûlée", "‘single’", "… ellipsis");
  }

  @Test
  void decodesAShiftJisPageByItsMeta() {
    HtmlParser.ParsedPage page = parse("shift-jis-in-meta.html", null);

    assertThat(page.title()).isEqualTo("日本語のページ");
    assertThat(page.document().getElementById("text").text()).isEqualTo("これは日本語で書かれたページです。");
    // NEC row characters, common on Japanese pages: browsers show them, so must we
    assertThat(page.document().getElementById("nec").text()).isEqualTo("丸数字①②③は NEC の拡張文字です。");
  }

  @Test
  void decodesUndeclaredUtf8() {
    HtmlParser.ParsedPage page = parse("utf8-undeclared.html", "text/html");

    assertThat(page.title()).isEqualTo("Grüße aus Köln – 日本語 ✓");
    assertThat(page.charset()).isEqualTo("UTF-8");
  }

  @Test
  void followsTheBomAndLeavesItOutOfTheText() {
    HtmlParser.ParsedPage page = parse("utf8-bom.html", "text/html; charset=iso-8859-1");

    assertThat(page.title()).isEqualTo("Ça marche ✓ – BOM wins");
    assertThat(page.charset()).isEqualTo("UTF-8");
    assertThat(page.document().text()).doesNotContain("\uFEFF");
  }

  @Test
  void decodesAUtf16PageByItsBom() {
    byte[] text = "<title>Zwölf Boxkämpfer</title><a href=\"/z\">z</a>".getBytes(StandardCharsets.UTF_16LE);
    byte[] body = new byte[text.length + 2];
    body[0] = (byte) 0xFF;
    body[1] = (byte) 0xFE;
    System.arraycopy(text, 0, body, 2, text.length);

    HtmlParser.ParsedPage page = parser.parse(PAGE, body, "text/html");

    assertThat(page.title()).isEqualTo("Zwölf Boxkämpfer");
    assertThat(page.links()).containsExactly("http://example.com/z");
  }

  @Test
  void survivesAHeaderThatLiesAboutTheCharset() {
    // The header says UTF-8, the bytes (and the meta) are windows-1252. Browsers follow the
    // header over the meta, and show U+FFFD for each byte that is not UTF-8: so do we, and the
    // rest of the page, its links included, still parses.
    HtmlParser.ParsedPage page = parse("header-says-utf8-bytes-are-1252.html", "text/html; charset=utf-8");

    assertThat(page.charset()).isEqualTo("UTF-8");
    assertThat(page.title()).startsWith("Caf\uFFFD").contains("quoted").contains("\uFFFD5");
    assertThat(page.links()).containsExactly("http://example.com/still-found");
  }

  @Test
  void readsTheSameBytesRightWithoutTheLyingHeader() {
    HtmlParser.ParsedPage page = parse("header-says-utf8-bytes-are-1252.html", "text/html");

    assertThat(page.title()).isEqualTo("Café – “quoted” €5");
  }

  @Test
  void givesLinksAbsoluteNormalizedOnceEachInDocumentOrder() {
    HtmlParser.ParsedPage page = parse("links-of-every-kind.html", "text/html; charset=utf-8");

    // Not there: mailto/javascript/data/tel/ftp links, the page itself however spelt (fragment
    // only, empty, by name, upper case with :80), duplicates, <a> without href, and <link>,
    // <script>, <img>, which are resources, not links to crawl.
    assertThat(page.links()).containsExactly(
        "http://example.com/dir/other.html",
        "http://example.com/up.html",
        "http://example.com/root",
        "http://cdn.example.net/lib",
        "https://secure.example.com/login",
        "http://example.com/dir/spaced.html",
        "http://example.com/dir/with%20space.html",
        "http://example.com/dir/search?q=caf%C3%A9&lang=fr",
        "http://example.com/map/north",
        "http://example.com/embed/video",
        "http://example.com:8080/other-port");
    assertThat(page.title()).isEqualTo("Links of every kind");
    assertThat(page.baseUrl()).isEqualTo(PAGE);
  }

  @Test
  void excludesThePageItselfWhenItsUrlHasAFragmentOrAnotherSpelling() {
    HtmlParser.ParsedPage page =
        parser.parse("HTTP://Example.com:80/dir/page.html#top", fixture("links-of-every-kind.html"), null);

    assertThat(page.links()).doesNotContain(PAGE).contains("http://example.com/dir/other.html");
  }

  @Test
  void followsFramesOfAFrameset() {
    HtmlParser.ParsedPage page = parse("frameset.html", null);

    // <noframes> is raw text to an HTML5 parser, as to a browser with frames: its link is not one
    assertThat(page.links()).containsExactly("http://example.com/dir/menu.html", "http://example.com/content.html");
  }

  @Test
  void resolvesLinksAgainstTheFirstBaseHref() {
    HtmlParser.ParsedPage page = parser.parse("http://example.com/shop/item.html", fixture("base-href.html"), null);

    assertThat(page.baseUrl()).isEqualTo("http://example.com/docs/v2/");
    // "#top" is the base, not the page: browsers resolve a fragment against the base too
    assertThat(page.links()).containsExactly(
        "http://example.com/docs/v2/intro.html",
        "http://example.com/docs/v1/old.html",
        "http://example.com/absolute-path",
        "http://example.com/docs/v2/?page=2",
        "http://example.com/docs/v2/",
        "http://other.example.net/x");
  }

  @Test
  void resolvesLinksAgainstABaseOnAnotherHost() {
    HtmlParser.ParsedPage page = parse("base-href-elsewhere.html", null);

    assertThat(page.baseUrl()).isEqualTo("https://cdn.example.org/assets/");
    assertThat(page.links()).containsExactly("https://cdn.example.org/assets/page.html", "https://mirror.example.org/m");
  }

  @Test
  void ignoresABaseHrefThatIsNotHttp() {
    HtmlParser.ParsedPage page = parse("base-href-not-http.html", null);

    assertThat(page.baseUrl()).isEqualTo(PAGE);
    assertThat(page.links()).containsExactly("http://example.com/dir/next.html");
  }

  // --- a hostile page's links: user info, length, count ---

  private static HtmlParser limited(int maxLinks, int maxUrlLength) {
    return new HtmlParser(ConfigLoader.fromYaml("", Map.of(
        "parse.max_links_per_page", String.valueOf(maxLinks), "fetch.max_url_length", String.valueOf(maxUrlLength))));
  }

  private static byte[] html(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void dropsLinksWithUserInfoRatherThanTheirUserInfo() {
    HtmlParser.ParsedPage page = parser.parse(PAGE, html(
        "<a href='http://example.com:1@169.254.169.254/'>a</a><a href='http://me:pw@example.com/x'>b</a>"
            + "<a href='//u@example.com/y'>c</a><a href='/ok'>d</a>"), "text/html");

    assertThat(page.links()).containsExactly("http://example.com/ok");
    assertThat(page.linksDropped()).isZero();
  }

  @Test
  void ignoresABaseHrefWithUserInfo() {
    HtmlParser.ParsedPage page = parser.parse(PAGE, html(
        "<base href='http://example.com:1@127.0.0.2:8080/'><a href='secret'>s</a>"), "text/html");

    assertThat(page.baseUrl()).isEqualTo(PAGE);
    assertThat(page.links()).containsExactly("http://example.com/dir/secret");
  }

  @Test
  void dropsAndCountsLinksLongerThanTheUrlCap() {
    String longest = "http://example.com/" + "a".repeat(21);
    HtmlParser.ParsedPage page = limited(100, 40).parse(PAGE, html(
        "<a href='" + longest + "'>fits</a><a href='" + longest + "b'>one too many</a><a href='/c'>c</a>"), "text/html");

    assertThat(longest).hasSize(40);
    assertThat(page.links()).containsExactly(longest, "http://example.com/c");
    assertThat(page.linksDropped()).isEqualTo(1);
  }

  @Test
  void ignoresABaseHrefLongerThanTheUrlCap() {
    HtmlParser.ParsedPage page = limited(100, 60).parse(PAGE, html(
        "<base href='/" + "b".repeat(60) + "/'><a href='x'>x</a>"), "text/html");

    assertThat(page.baseUrl()).isEqualTo(PAGE);
    assertThat(page.links()).containsExactly("http://example.com/dir/x");
    assertThat(page.linksDropped()).isZero();
  }

  @Test
  void keepsTheFirstMaxLinksAndCountsTheLinkElementsAfterThem() {
    StringBuilder body = new StringBuilder("<a href='" + PAGE + "'>itself</a><a href='/0'>again</a>");
    for (int i = 0; i < 10; i++) {
      body.append("<a href='/").append(i).append("'>").append(i).append("</a>");
    }
    body.append("<a name='no-link'>anchor</a><iframe src='/frame'></iframe>");

    HtmlParser.ParsedPage page = limited(3, 2083).parse(PAGE, html(body.toString()), "text/html");

    assertThat(page.links()).containsExactly("http://example.com/0", "http://example.com/1", "http://example.com/2");
    // /3 to /9 and the frame: the anchor without href is no link, the page and the repeated /0 were no new ones.
    assertThat(page.linksDropped()).isEqualTo(8);
  }

  @Test
  void parsesMalformedHtmlAsBrowsersDo() {
    HtmlParser.ParsedPage page = parse("malformed.html", null);

    assertThat(page.title()).isEqualTo("Broken but readable");
    // "<p <a href=…>" is a <p> with odd attributes, and a tag cut by the end of the file is
    // dropped: in browsers too
    assertThat(page.links()).containsExactly(
        "http://example.com/first",
        "http://example.com/unquoted",
        "http://example.com/in-table",
        "http://example.com/after-garbage");
  }

  @Test
  void hashesTheRawBytesWithSha256() {
    HtmlParser.ParsedPage page = parser.parse(PAGE, "abc".getBytes(StandardCharsets.US_ASCII), null);

    assertThat(page.contentHash()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void hashesTheBytesAsSentBomIncludedWhateverTheCharset() {
    byte[] withBom = fixture("utf8-bom.html");
    byte[] withoutBom = Arrays.copyOfRange(withBom, 3, withBom.length);

    String hash = parser.parse(PAGE, withBom, null).contentHash();

    assertThat(hash).matches("[0-9a-f]{64}");
    assertThat(hash).isNotEqualTo(parser.parse(PAGE, withoutBom, null).contentHash());
    assertThat(parser.parse(PAGE, withBom, "text/html; charset=koi8-r").contentHash()).isEqualTo(hash);
  }

  @Test
  void givesNoTitleWhenThereIsNoneOrItIsBlank() {
    assertThat(parser.parse(PAGE, "<p>no title".getBytes(StandardCharsets.UTF_8), null).title()).isNull();
    assertThat(parser.parse(PAGE, "<title> \n\t </title>".getBytes(StandardCharsets.UTF_8), null).title()).isNull();
  }

  @Test
  void collapsesWhitespaceInTheTitle() {
    byte[] body = "<title>\n  Two\t\tlines\n  here  </title>".getBytes(StandardCharsets.UTF_8);

    assertThat(parser.parse(PAGE, body, null).title()).isEqualTo("Two lines here");
  }

  @Test
  void parsesAnEmptyBody() {
    HtmlParser.ParsedPage page = parser.parse(PAGE, new byte[0], "text/html");

    assertThat(page.title()).isNull();
    assertThat(page.links()).isEmpty();
    assertThat(page.contentHash()).isEqualTo(EMPTY_SHA256);
  }

  @Test
  void parsesANullBodyAsAnEmptyOne() {
    HtmlParser.ParsedPage page = parser.parse(PAGE, null, null);

    assertThat(page.links()).isEmpty();
    assertThat(page.contentHash()).isEqualTo(EMPTY_SHA256);
  }

  @Test
  void parsesABodyThatIsOnlyABom() {
    HtmlParser.ParsedPage page = parser.parse(PAGE, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, null);

    assertThat(page.title()).isNull();
    assertThat(page.links()).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "",
      "text/html",
      "text/html; charset=utf-8",
      "text/html; charset=utf-16",
      "text/html; charset=utf-32",
      "text/html; charset=shift_jis",
      "text/html; charset=no-such-charset",
      "text/html; charset=\"",
      "application/octet-stream",
  })
  void neverThrowsOnRandomBytes(String contentType) {
    Random random = new Random(contentType.hashCode());
    for (int i = 0; i < 50; i++) {
      byte[] body = new byte[random.nextInt(5000)];
      random.nextBytes(body);
      if (i % 5 == 0) {
        // random bytes with markup in them, so the tree builder sees tags as well
        byte[] tags = "<a href='/x'><title>t</title><base href=//q><frame src=y><table></div>".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tags, 0, body, body.length / 2, Math.min(tags.length, body.length - body.length / 2));
      }

      assertThatCode(() -> parser.parse(PAGE, body, contentType)).doesNotThrowAnyException();
    }
  }

  @Test
  void neverThrowsOnGarbageMarkup() {
    String[] pages = {
        "<", "<<<>>>", "</", "<a href", "<a href=", "<a href=\"", "<base href>", "<base href=\"http://\">",
        "<a href=\"http://[::1\">x</a>", "<a href=\"http://exa mple.com/\">x</a>", "<a href=\"http://x.com:99999/\">x</a>",
        "<!--", "<![CDATA[", "<script>", "<title>", "<iframe src=\"\u0000\">", "<a href=\"%\">x</a>",
        "<a href=\"\uD800\">lone surrogate</a>", "\u0000\u0000\u0000",
    };
    for (String html : pages) {
      assertThatCode(() -> parser.parse(PAGE, html.getBytes(StandardCharsets.UTF_8), null))
          .as(html).doesNotThrowAnyException();
    }
  }

  @Test
  void stopsAPageOfNestedTagsOnceItsDocumentOutgrowsItsShareOfTheHeap() {
    // 2 MB of unclosed <b>: Jsoup would build a DOM of over 120 MB.
    byte[] nested = "<b>".repeat(700_000).getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> parser.parse(PAGE, nested, "text/html", 16L << 20))
        .isInstanceOfSatisfying(CrawlException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TOO_COMPLEX));
  }

  @Test
  void parsesAnOrdinaryPageOfTheSameSizeWithinTheSameShare() {
    // Ordinary markup takes a few bytes of heap per byte of HTML: 2 MB of it fits in 16 MB... and 64.
    String book = new String(fixture("books-page-1.html"), StandardCharsets.UTF_8);
    byte[] large = book.repeat(2_000_000 / book.length() + 1).getBytes(StandardCharsets.UTF_8);

    HtmlParser.ParsedPage page = parser.parse(PAGE, large, "text/html", 64L << 20);

    assertThat(page.title()).isNotNull();
    assertThat(page.links()).isNotEmpty();
  }
}
