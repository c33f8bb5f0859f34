package io.trawl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlNormalizerTest {
  private static final String BASE = "http://example.com/a/b/page.html?x=1#top";

  private static String normalized(String url) {
    Optional<String> n = UrlNormalizer.normalize(url);
    assertThat(n).as("normalize(%s)", url).isPresent();
    return n.get();
  }

  private static String resolved(String href) {
    Optional<String> r = UrlNormalizer.resolve(BASE, href);
    assertThat(r).as("resolve(%s, %s)", BASE, href).isPresent();
    return r.get();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "HTTP://Example.COM/Path/To     | http://example.com/Path/To",
      "HtTpS://WWW.Example.Com        | https://www.example.com/",
      "http://example.com:80/a        | http://example.com/a",
      "https://example.com:443/a      | https://example.com/a",
      "http://example.com:443/a       | http://example.com:443/a",
      "https://example.com:80/a       | https://example.com:80/a",
      "http://127.0.0.1:8080/a        | http://127.0.0.1:8080/a",
      "http://example.com:0080/a      | http://example.com/a",
      "http://example.com:/a          | http://example.com/a",
      "http://example.com/a#frag      | http://example.com/a",
      "http://example.com/a?q=1#frag  | http://example.com/a?q=1",
      "http://example.com/#           | http://example.com/",
      "http://example.com/a?          | http://example.com/a",
      "http://example.com?#x          | http://example.com/",
      "http://example.com             | http://example.com/",
      "http://example.com?q=1         | http://example.com/?q=1",
      "http://example.com/a/./b/../c  | http://example.com/a/c",
      "http://example.com/a/b/..      | http://example.com/a/",
      "http://example.com/a/b/.       | http://example.com/a/b/",
      "http://example.com/../../a     | http://example.com/a",
      "http://example.com/a/%2E%2E/b  | http://example.com/b",
      "http://example.com/a//b/       | http://example.com/a//b/",
      "http://example.com/a?b/../c    | http://example.com/a?b/../c",
      "http://example.com./a          | http://example.com/a",
      "http://[::1]:8080/a            | http://[::1]:8080/a",
      "http://[2001:DB8::1]/          | http://[2001:db8::1]/",
  })
  void normalizesToOneSpelling(String url, String expected) {
    assertThat(normalized(url)).isEqualTo(expected);
  }

  @Test
  void keepsThePathAndQueryCaseAsWritten() {
    assertThat(normalized("http://EXAMPLE.com/Read/Me?Key=Value")).isEqualTo("http://example.com/Read/Me?Key=Value");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // unreserved characters are decoded, in the path and in the query
      "http://example.com/%7euser      | http://example.com/~user",
      "http://example.com/%7Euser      | http://example.com/~user",
      "http://example.com/%41%2d%5F%2E | http://example.com/A-_.",
      "http://example.com/?a=%7e       | http://example.com/?a=~",
      // reserved ones stay encoded, their hex uppercased, so a%2Fb is not a/b
      "http://example.com/a%2fb        | http://example.com/a%2Fb",
      "http://example.com/?a=%3d%26    | http://example.com/?a=%3D%26",
      "http://example.com/%e2%82%ac    | http://example.com/%E2%82%AC",
      // illegal characters are encoded as UTF-8
      "http://example.com/a b          | http://example.com/a%20b",
      "http://example.com/?q=a b       | http://example.com/?q=a%20b",
      "http://example.com/café         | http://example.com/caf%C3%A9",
      "http://example.com/?q=日本       | http://example.com/?q=%E6%97%A5%E6%9C%AC",
      "http://example.com/\uD83D\uDE00 | http://example.com/%F0%9F%98%80",
      "'http://example.com/<a>{|}^`'   | http://example.com/%3Ca%3E%7B%7C%7D%5E%60",
      // a percent sign that starts no escape is itself encoded
      "http://example.com/100%         | http://example.com/100%25",
      "http://example.com/%zz          | http://example.com/%25zz",
      // the raw and the escaped spelling of one URL come out the same
      "http://example.com/é%C3%A9%c3%a9 | http://example.com/%C3%A9%C3%A9%C3%A9",
  })
  void normalizesPercentEncoding(String url, String expected) {
    assertThat(normalized(url)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "HTTP://Example.COM:80/a/./b/../c?",
      "http://example.com/%7e/%2f/%zz/100%/a b/é/?q=a b&r=%3d&s=~#f",
      "http://example.com/%25%32%35",
      "http://example.com/%2e%2e/%2E/x",
      "http://bücher.example/Straße?ü=ö",
      "http://example.com/\\a\\b?c=\\d",
      "https://[::1]:443/",
      "http://example.com/a/..%2f..",
  })
  void isIdempotent(String url) {
    String once = normalized(url);

    assertThat(UrlNormalizer.normalize(once)).contains(once);
  }

  @Test
  void decodesNoEscapeTwice() {
    // %2525 is the text "%25"; decoding it again would make it "%", a different URL
    assertThat(normalized("http://example.com/%2525")).isEqualTo("http://example.com/%2525");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "http://bücher.example/       | http://xn--bcher-kva.example/",
      "http://BÜCHER.example/       | http://xn--bcher-kva.example/",
      "http://xn--bcher-kva.example/ | http://xn--bcher-kva.example/",
      "http://日本語.jp/              | http://xn--wgv71a119e.jp/",
  })
  void writesIdnHostsInPunycode(String url, String expected) {
    assertThat(normalized(url)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "mailto:someone@example.com",
      "javascript:void(0)",
      "JavaScript:alert(1)",
      "data:text/html,<p>hi</p>",
      "tel:+15551234",
      "ftp://example.com/file",
      "file:///etc/passwd",
      "http://",
      "https://",
      "http:///x",
      "http:////x",
      "http:x",
      "http:/x",
      "ht!tp://x",
      "://example.com/",
      "example.com/a",
      "/relative/path",
      "",
      "   ",
      "http://exa mple.com/",
      "http://exa<mple.com/",
      "http://example.com:65536/",
      "http://example.com:0/",
      "http://example.com:-1/",
      "http://example.com:+80/",
      "http://example.com:8o/",
      "http://example.com:80:80/",
      "http://[::1/",
      "http://user@/",
      "http://[fe80::1%25eth0]/",
      "http://[v1.x]/",
      "http://[example.com]/",
      "http://[]/",
  })
  void givesNoUrlForWhatIsNotHttp(String url) {
    assertThat(UrlNormalizer.normalize(url)).isEmpty();
  }

  @Test
  void givesNoUrlForNull() {
    assertThat(UrlNormalizer.normalize(null)).isEmpty();
    assertThat(UrlNormalizer.resolve(BASE, null)).isEmpty();
  }

  @Test
  void dropsSurroundingSpaceAndTabsAndLineBreaksInside() {
    assertThat(normalized("  http://exam\tple.com/a\n/b\r\n  ")).isEqualTo("http://example.com/a/b");
  }

  @Test
  void readsBackslashesAsSlashesInThePathButNotInTheQuery() {
    assertThat(normalized("http:\\\\example.com\\a\\b")).isEqualTo("http://example.com/a/b");
    // in the query a backslash is data: turning it into / would change what the server is asked
    assertThat(normalized("http://example.com/a?path=C:\\dir")).isEqualTo("http://example.com/a?path=C:%5Cdir");
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', value = {
      // RFC 3986 section 5.4's relative forms, against http://example.com/a/b/page.html?x=1#top
      "other.html              | http://example.com/a/b/other.html",
      "./other.html            | http://example.com/a/b/other.html",
      "../x                    | http://example.com/a/x",
      "../../x                 | http://example.com/x",
      "../../../../x           | http://example.com/x",
      "./                      | http://example.com/a/b/",
      "..                      | http://example.com/a/",
      "/root                   | http://example.com/root",
      "/r/./s/../t             | http://example.com/r/t",
      "?q=2                    | http://example.com/a/b/page.html?q=2",
      "?                       | http://example.com/a/b/page.html",
      "#frag                   | http://example.com/a/b/page.html?x=1",
      "''                      | http://example.com/a/b/page.html?x=1",
      "//other.org/p           | http://other.org/p",
      "//OTHER.org:80          | http://other.org/",
      "https://secure.org/s#f  | https://secure.org/s",
      "HTTP://Upper.ORG/A      | http://upper.org/A",
      "g?y/./x                 | http://example.com/a/b/g?y/./x",
      "g#s/../x                | http://example.com/a/b/g",
      "a b/é                   | http://example.com/a/b/a%20b/%C3%A9",
      "'  /spaced  '           | http://example.com/spaced",
      "\\root                  | http://example.com/root",
      "\\\\other.org\\p        | http://other.org/p",
      "a\\b?c=\\d              | http://example.com/a/b/a/b?c=%5Cd",
  })
  void resolvesAgainstTheBase(String href, String expected) {
    assertThat(resolved(href)).isEqualTo(expected);
  }

  @Test
  void resolvesAgainstABaseWithoutAPath() {
    assertThat(UrlNormalizer.resolve("http://example.com", "x")).contains("http://example.com/x");
    assertThat(UrlNormalizer.resolve("http://example.com?q", "?r")).contains("http://example.com/?r");
  }

  @Test
  void resolvesSchemeRelativeLinksWithTheBasesScheme() {
    assertThat(UrlNormalizer.resolve("https://example.com/a", "//cdn.example.com/x"))
        .contains("https://cdn.example.com/x");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "http://user:secret@example.com/",
      "http://user@example.com/",
      "http://@example.com/",
      "http://127.0.0.1:1@127.0.0.2:18091/secret",
      "http://example.com:1@169.254.169.254/",
      "http://a@b@example.com/",
      "HTTPS://example.com%40evil.org@example.com/",
      "http://example.com\t@evil.org/",
      "  http://user@example.com/  ",
  })
  void refusesUserInfoRatherThanDroppingIt(String url) {
    assertThat(UrlNormalizer.normalize(url)).isEmpty();
    assertThat(UrlNormalizer.refusal(null, url)).isEqualTo(UrlNormalizer.Refusal.USER_INFO);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "http://127.0.0.1:1@127.0.0.2/secret",
      "//user@example.com/",
      "\\\\user@example.com/",
  })
  void refusesAReferenceWithUserInfo(String href) {
    assertThat(UrlNormalizer.resolve(BASE, href)).isEmpty();
    assertThat(UrlNormalizer.refusal(BASE, href)).isEqualTo(UrlNormalizer.Refusal.USER_INFO);
  }

  @Test
  void keepsAnAtSignInThePathOrQuery() {
    assertThat(UrlNormalizer.normalize("http://example.com/@user?to=a@b")).contains("http://example.com/@user?to=a@b");
    assertThat(UrlNormalizer.resolve(BASE, "/@127.0.0.2/x")).contains("http://example.com/@127.0.0.2/x");
    assertThat(UrlNormalizer.refusal(BASE, "@user")).isNull();
  }

  @Test
  void endsTheAuthorityAtABackslashAsBrowsersDoSoNoUserInfoHidesBehindIt() {
    // java.net.URL would read user info "example.com\" and host evil.org in the raw text; the
    // normalized form, which is what gets requested, leaves no doubt.
    assertThat(UrlNormalizer.normalize("http://example.com\\@evil.org/")).contains("http://example.com/@evil.org/");
  }

  @Test
  void resolvesNothingAgainstABaseWithUserInfo() {
    assertThat(UrlNormalizer.resolve("http://me:pw@example.com/a/", "b")).isEmpty();
    assertThat(UrlNormalizer.resolve("http://me:pw@example.com/a/", "http://example.com/b")).contains("http://example.com/b");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "mailto:a@example.com     | OTHER_SCHEME",
      "javascript:alert(1)      | OTHER_SCHEME",
      "ftp://user@example.com/  | OTHER_SCHEME",
      "http:///x                | MALFORMED",
      "http://127.0.0.1:99999/  | MALFORMED",
      "'http://exa mple.com/'   | MALFORMED",
  })
  void saysWhyAReferenceGivesNoUrl(String href, UrlNormalizer.Refusal refusal) {
    assertThat(UrlNormalizer.refusal(BASE, href)).isEqualTo(refusal);
  }

  @Test
  void givesNoRefusalForAUsableReference() {
    assertThat(UrlNormalizer.refusal(BASE, "../x?y#z")).isNull();
    assertThat(UrlNormalizer.refusal(null, "http://example.com/")).isNull();
    assertThat(UrlNormalizer.refusal(null, "relative/without/base")).isEqualTo(UrlNormalizer.Refusal.MALFORMED);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "mailto:a@example.com",
      "javascript:void(0)",
      "data:image/png;base64,AAAA",
      "tel:+15551234",
      "ftp://example.com/",
      "//",
      "///x",
      "http:///x",
      "g:h",
  })
  void resolvesNonHttpReferencesToNoUrl(String href) {
    assertThat(UrlNormalizer.resolve(BASE, href)).isEmpty();
  }

  @Test
  void resolvesNothingAgainstABaseThatIsNotHttp() {
    assertThat(UrlNormalizer.resolve("ftp://example.com/a/", "b")).isEmpty();
    assertThat(UrlNormalizer.resolve("not a url", "b")).isEmpty();
    // an absolute reference needs no base
    assertThat(UrlNormalizer.resolve("not a url", "http://example.com/b")).contains("http://example.com/b");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "http://example.com/a          | example.com",
      "https://example.com?q=1       | example.com",
      "http://example.com#f          | example.com",
      "http://127.0.0.1:8080/a       | 127.0.0.1:8080",
      "http://[::1]:8080/            | [::1]:8080",
      "http://sub.example.com        | sub.example.com",
  })
  void givesTheHostWithItsPortWhenNotTheDefault(String url, String host) {
    assertThat(UrlNormalizer.host(url)).isEqualTo(host);
  }

  @Test
  void givesTheHostOfWhatNormalizeReturns() {
    assertThat(UrlNormalizer.host(normalized("HTTPS://Example.COM:443/a"))).isEqualTo("example.com");
    assertThat(UrlNormalizer.host(normalized("http://Example.COM:8080"))).isEqualTo("example.com:8080");
  }

  @Test
  void givesAnEmptyHostForWhatIsNoUrl() {
    assertThat(UrlNormalizer.host("no scheme here")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "http://127.0.0.1:8080/page/3",
      "https://example.com/",
      "https://example.com/a?b=c&d=/e?f",
      "http://a_b.example-1.com/a//b/",
      "http://example.com:443/a.html",
      "https://example.com:80/a@b:c/[d]~!$&'()*+,;=",
      "http://xn--bcher-kva.example/x.y/",
  })
  void takesWhatIsAlreadyNormalAsItIs(String url) {
    assertThat(UrlNormalizer.isNormal(url)).isTrue();
    assertThat(UrlNormalizer.normalizeByPartsOrNull(url)).isEqualTo(url);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "HTTP://example.com/",
      "http://Example.com/",
      "http://example.com",
      "http://example.com?q",
      "http://example.com:80/",
      "https://example.com:443/",
      "http://example.com:0080/",
      "http://example.com:0/",
      "http://example.com:/a",
      "http://example.com:65536/",
      "http://example.com./",
      "http://example.com/a#f",
      "http://example.com/a?",
      "http://example.com/./a",
      "http://example.com/a/..",
      "http://example.com/.well-known/x",
      "http://example.com/%7e",
      "http://example.com/%2F",
      "http://example.com/a b",
      "http://example.com/a\\b",
      "http://example.com/a?b\\c",
      "http://example.com/é",
      "http://example.com/a|b",
      "http://bücher.example/",
      "http://[::1]/",
      "http://user@example.com/",
      "http://example.com:1@127.0.0.1/",
      "ftp://example.com/",
      "",
  })
  void takesTheLongWayForWhatIsNotObviouslyNormal(String url) {
    assertThat(UrlNormalizer.isNormal(url)).isFalse();
  }

  @Test
  void takesAsNormalOnlyWhatNormalizesToItselfTheLongWay() {
    java.util.Random random = new java.util.Random(17);
    String[] starts = {"http://", "https://", "HTTP://", "http:/", "http://a", "https://a.b:", "http://a/",
        "https://b.c:8080/", "http://d:99/x"};
    String alphabet = "aZ19.-_:/?%#@é \\[]0~";
    int normal = 0;
    for (int n = 0; n < 50_000; n++) {
      StringBuilder url = new StringBuilder(starts[random.nextInt(starts.length)]);
      for (int k = random.nextInt(12); k > 0; k--) {
        url.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (UrlNormalizer.isNormal(url.toString())) {
        normal++;
        assertThat(UrlNormalizer.normalizeByPartsOrNull(url.toString())).as(url.toString()).isEqualTo(url.toString());
      }
    }
    assertThat(normal).isGreaterThan(1_000);
  }
}
