package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The order CharsetSniffer promises: BOM, then the Content-Type header, then meta, then detection. */
class CharsetSnifferTest {
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
  private static final Charset WINDOWS_31J = Charset.forName("windows-31j");

  private static byte[] fixture(String name) {
    try (InputStream in = CharsetSnifferTest.class.getResourceAsStream("/pages/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] ascii(String html) {
    return html.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void readsAUtf8BomBeforeTheHeaderAndTheMeta() {
    // utf8-bom.html declares windows-1252 in its meta; the header here says iso-8859-1
    assertThat(CharsetSniffer.detect(fixture("utf8-bom.html"), "text/html; charset=iso-8859-1"))
        .isEqualTo(StandardCharsets.UTF_8);
    assertThat(CharsetSniffer.bomLength(fixture("utf8-bom.html"))).isEqualTo(3);
  }

  @Test
  void readsUtf16Boms() {
    byte[] be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, "<p>x".getBytes(StandardCharsets.UTF_16BE));
    byte[] le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "<p>x".getBytes(StandardCharsets.UTF_16LE));

    assertThat(CharsetSniffer.detect(be, "text/html; charset=windows-1252")).isEqualTo(StandardCharsets.UTF_16BE);
    assertThat(CharsetSniffer.detect(le, "text/html; charset=windows-1252")).isEqualTo(StandardCharsets.UTF_16LE);
    assertThat(CharsetSniffer.bomLength(be)).isEqualTo(2);
    assertThat(CharsetSniffer.bomLength(le)).isEqualTo(2);
  }

  @Test
  void findsNoBomWhereThereIsNone() {
    assertThat(CharsetSniffer.bomLength(fixture("utf8-undeclared.html"))).isZero();
    assertThat(CharsetSniffer.bomLength(new byte[] {(byte) 0xEF, (byte) 0xBB})).isZero();
    assertThat(CharsetSniffer.bomLength(new byte[0])).isZero();
  }

  @Test
  void prefersTheHeaderToTheMeta() {
    // The fixture's meta says windows-1252; a header wins, as in browsers, even when it lies.
    assertThat(CharsetSniffer.detect(fixture("header-says-utf8-bytes-are-1252.html"), "text/html; charset=utf-8"))
        .isEqualTo(StandardCharsets.UTF_8);
    assertThat(CharsetSniffer.detect(fixture("windows-1252-in-meta.html"), "text/html;charset=Shift_JIS"))
        .isEqualTo(WINDOWS_31J);
  }

  @Test
  void prefersTheMetaToDetection() {
    assertThat(CharsetSniffer.detect(fixture("windows-1252-in-meta.html"), "text/html")).isEqualTo(WINDOWS_1252);
    assertThat(CharsetSniffer.detect(fixture("shift-jis-in-meta.html"), null)).isEqualTo(WINDOWS_31J);
    // valid UTF-8 would be detected as UTF-8; the meta decides first
    assertThat(CharsetSniffer.detect(ascii("<meta charset=\"koi8-r\"><title>x</title>"), null))
        .isEqualTo(Charset.forName("KOI8-R"));
  }

  @Test
  void skipsAHeaderCharsetItDoesNotKnowForTheMeta() {
    assertThat(CharsetSniffer.detect(fixture("windows-1252-in-meta.html"), "text/html; charset=no-such-charset"))
        .isEqualTo(WINDOWS_1252);
  }

  @Test
  void skipsAMetaCharsetItDoesNotKnowForTheNextMeta() {
    byte[] page = ascii("<meta charset=\"bogus\"><meta charset=\"windows-1252\"><title>x</title>");

    assertThat(CharsetSniffer.detect(page, null)).isEqualTo(WINDOWS_1252);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "<meta charset=\"windows-1252\">",
      "<meta charset='windows-1252'>",
      "<meta charset=windows-1252>",
      "<META CHARSET=\"WINDOWS-1252\">",
      "<meta charset = \"windows-1252\" />",
      "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">",
      "<meta content='text/html;charset=windows-1252' http-equiv='content-type'>",
  })
  void readsTheMetaWhicheverWayItIsWritten(String meta) {
    assertThat(CharsetSniffer.detect(ascii("<html><head>" + meta + "<title>x</title>"), null)).isEqualTo(WINDOWS_1252);
  }

  @Test
  void ignoresTheWordCharsetInOtherMetaContent() {
    // A UTF-8 page whose description talks about charsets is still UTF-8.
    byte[] page = "<meta name=\"description\" content=\"How to set the charset windows-1252 in PHP\"><p>Grüße"
        .getBytes(StandardCharsets.UTF_8);

    assertThat(CharsetSniffer.detect(page, null)).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void looksForTheMetaInTheFirst4KbOnly() {
    String padding = "<!--" + "x".repeat(5000) + "-->";
    byte[] late = ascii("<html><head>" + padding + "<meta charset=\"koi8-r\"><title>x</title>");

    assertThat(CharsetSniffer.detect(late, null)).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void readsAMetaUtf16DeclarationAsUtf8() {
    // ASCII bytes that say UTF-16 cannot be UTF-16: the HTML spec reads them as UTF-8
    assertThat(CharsetSniffer.detect(ascii("<meta charset=\"utf-16\"><title>x</title>"), null))
        .isEqualTo(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"iso-8859-1", "ISO-8859-1", "latin1", "l1", "ascii", "us-ascii", "cp1252", "windows-1252"})
  void readsLatin1AndAsciiLabelsAsWindows1252(String label) {
    // WHATWG: these labels all mean windows-1252, and pages labelled latin1 use its 0x80-0x9F
    assertThat(CharsetSniffer.detect(ascii("<title>x</title>"), "text/html; charset=" + label)).isEqualTo(WINDOWS_1252);
    assertThat(CharsetSniffer.detect(ascii("<meta charset=\"" + label + "\">"), null)).isEqualTo(WINDOWS_1252);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shift_jis", "Shift_JIS", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "ms932", "windows-31j"})
  void readsShiftJisLabelsAsWindows31j(String label) {
    assertThat(CharsetSniffer.detect(ascii("<title>x</title>"), "text/html; charset=" + label)).isEqualTo(WINDOWS_31J);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "text/html; charset=\"utf-8\"",
      "text/html; charset='utf-8'",
      "text/html;charset=UTF-8",
      "text/html; Charset=utf-8; format=flowed",
      "TEXT/HTML; CHARSET=UTF-8",
  })
  void readsTheHeaderCharsetWhicheverWayItIsWritten(String contentType) {
    assertThat(CharsetSniffer.detect(fixture("windows-1252-in-meta.html"), contentType)).isEqualTo(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"text/html", "text/html; charset=", "text/html; charset=\"\"", "text/html; charset=\"", ""})
  void fallsBackToTheMetaWithoutAHeaderCharset(String contentType) {
    assertThat(CharsetSniffer.detect(fixture("windows-1252-in-meta.html"), contentType)).isEqualTo(WINDOWS_1252);
  }

  @Test
  void detectsUndeclaredUtf8() {
    assertThat(CharsetSniffer.detect(fixture("utf8-undeclared.html"), null)).isEqualTo(StandardCharsets.UTF_8);
    assertThat(CharsetSniffer.detect(fixture("utf8-undeclared.html"), "text/html")).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void detectsUndeclaredWindows1252() {
    byte[] page = ("<html><head><title>Café – “quoted” €5</title></head><body><p>Crème brûlée, naïve façade,"
        + " déjà vu, à côté, très élégant. Ça va très bien, merci. Les élèves étudient l'été.</p></body></html>")
        .getBytes(WINDOWS_1252);

    assertThat(CharsetSniffer.detect(page, null)).isEqualTo(WINDOWS_1252);
  }

  @Test
  void detectsUndeclaredShiftJis() {
    byte[] page = ("<html><head><title>日本語のページ</title></head><body><p>これは日本語で書かれたページです。"
        + "東京は日本の首都です。今日はいい天気ですね。</p></body></html>").getBytes(WINDOWS_31J);

    assertThat(CharsetSniffer.detect(page, null)).isEqualTo(WINDOWS_31J);
  }

  @Test
  void readsAnEmptyBodyAsUtf8() {
    assertThat(CharsetSniffer.detect(new byte[0], null)).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void alwaysDecidesOnRandomBytes() {
    Random random = new Random(20240601);
    for (int i = 0; i < 200; i++) {
      byte[] body = new byte[random.nextInt(3000)];
      random.nextBytes(body);

      assertThat(CharsetSniffer.detect(body, i % 2 == 0 ? null : "text/html")).isNotNull();
    }
  }
}
