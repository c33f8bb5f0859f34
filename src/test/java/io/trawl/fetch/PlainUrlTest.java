package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainUrlTest {
  /** What {@code KnownRobots.origin} read with {@code java.net.URI} alone, before the plain path. */
  private static String uriOrigin(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme() + "://" + uri.getRawAuthority();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Host, port, TLS and URI as {@code setAbsoluteURI} (java.net.URL) sets them, or the exception's class. */
  private static String clientTarget(String url) {
    try {
      return describe(new RequestOptions().setAbsoluteURI(url));
    } catch (RuntimeException e) {
      return e.getClass().getName();
    }
  }

  private static String handTarget(String url) {
    try {
      return describe(PlainUrl.target(new RequestOptions(), url));
    } catch (RuntimeException e) {
      return e.getClass().getName();
    }
  }

  private static String describe(RequestOptions options) {
    return options.getHost() + " " + options.getPort() + " " + options.isSsl() + " " + options.getURI();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "http://example.com/",
      "https://example.com",
      "http://example.com?q",
      "http://www.example.com:8080/a/b?c=d&e=%2F",
      "https://x_y.example-1.com:443/",
      "http://127.0.0.1:18091/page/3",
      "http://127.0.0.1:0/",
      "http://127.0.0.1:00080/",
      "http://a..b./x;y=1/(z)~!$'*+,@:",
  })
  void readsThePlainUrlsOfACrawlByHandAsUriAndUrlReadThem(String url) {
    assertThat(PlainUrl.authorityEnd(url)).isPositive();
    assertThat(PlainUrl.origin(url)).isNotNull().isEqualTo(uriOrigin(url));
    assertThat(handTarget(url)).isEqualTo(clientTarget(url));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "http://user:secret@example.com/",
      "http://127.0.0.1\\@127.0.0.2/",
      "http://[::1]:8080/a",
      "http://Example.COM/",
      "HTTP://example.com/",
      "http://ex%61mple.com/",
      "http://bücher.example/",
      "http://example.com#@evil.org/",
      "http://example.com:/",
      "http://example.com:65536/",
      "http:///example.com/",
      "ftp://example.com/",
      "",
  })
  void leavesOtherHostsToTheParsers(String url) {
    assertThat(PlainUrl.authorityEnd(url)).isEqualTo(-1);
    assertThat(PlainUrl.origin(url)).isNull();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "http://example.com/a|b",
      "http://example.com/a b",
      "http://example.com/%zz",
      "http://example.com/%4",
      "http://example.com/[x]",
      "http://example.com/a#b",
      "http://example.com/ü",
  })
  void leavesAPathUriWouldRefuseOrReadOtherwiseToUri(String url) {
    assertThat(PlainUrl.origin(url)).isNull();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "http://example.com/a/./b",
      "http://example.com/a/../b",
      "http://example.com/a/..",
      "http://example.com/a#frag",
      "http://example.com:99999/",
  })
  void setsTheClientsOwnReadingForDotSegmentsFragmentsAndOtherShapes(String url) {
    assertThat(handTarget(url)).isEqualTo(clientTarget(url));
  }

  @Test
  void failsAsTheClientFailsForAUrlItRefuses() {
    assertThatThrownBy(() -> PlainUrl.target(new RequestOptions(), "ftp://example.com/"))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void agreesWithUriAndUrlOnRandomUrls() {
    Random random = new Random(23);
    String hostAlphabet = "ab1.-_:/?@#%[]\\A9 ";
    String restAlphabet = "aZ9/.?&=%#|[]:@;~ü \\f";
    int origins = 0;
    int targets = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder url = new StringBuilder(random.nextBoolean() ? "http://" : "https://");
      for (int k = random.nextInt(12); k > 0; k--) {
        url.append(hostAlphabet.charAt(random.nextInt(hostAlphabet.length())));
      }
      if (random.nextBoolean()) {
        url.append(random.nextBoolean() ? '/' : '?');
        for (int k = random.nextInt(12); k > 0; k--) {
          url.append(restAlphabet.charAt(random.nextInt(restAlphabet.length())));
        }
      }
      String u = url.toString();
      String origin = PlainUrl.origin(u);
      if (origin != null) {
        origins++;
        assertThat(origin).as(u).isEqualTo(uriOrigin(u));
      }
      assertThat(KnownRobots.origin(u)).as(u).isEqualTo(uriOrigin(u));
      if (PlainUrl.authorityEnd(u) >= 0) {
        targets++;
      }
      assertThat(handTarget(u)).as(u).isEqualTo(clientTarget(u));
    }
    assertThat(origins).isGreaterThan(800);
    assertThat(targets).isGreaterThan(2_000);
  }
}
