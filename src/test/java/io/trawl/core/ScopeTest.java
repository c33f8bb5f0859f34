package io.trawl.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.ConfigLoader;
import io.trawl.config.TrawlConfig;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeTest {
  private static Scope domains(String... allowed) {
    return new Scope(List.of(allowed), List.of(), List.of());
  }

  private static Scope patterns(List<String> include, List<String> exclude) {
    return new Scope(List.of("example.com"), include.stream().map(Pattern::compile).toList(),
        exclude.stream().map(Pattern::compile).toList());
  }

  private static TrawlConfig.Crawl crawl(String yaml) {
    return ConfigLoader.fromYaml(yaml, Map.of()).crawl();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "http://example.com/",
      "https://example.com/a?b=c",
      "http://www.example.com/",
      "http://deep.sub.example.com/x",
      "http://example.com:8080/",
      "https://shop.example.com:8443/cart",
  })
  void allowsTheDomainItsSubdomainsAndAnyPort(String url) {
    assertThat(domains("example.com").allows(url)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "http://notexample.com/",
      "http://myexample.com/",
      "http://example.com.evil.org/",
      "http://example.co/",
      "http://com/",
      "http://example.org/",
      "http://evil.org/?u=http://example.com/",
      "http://evil.org/example.com/",
  })
  void refusesLookAlikesAndOtherDomains(String url) {
    assertThat(domains("example.com").allows(url)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "http://127.0.0.1:1@127.0.0.2:18091/secret",
      "http://example.com:1@169.254.169.254/latest/meta-data/",
      "http://example.com@evil.org/",
      "http://user:secret@example.com/",
      "http://127.0.0.1\\@127.0.0.2/",
  })
  void refusesAUrlWithUserInfoWhicheverHostItNames(String url) {
    assertThat(domains("example.com", "127.0.0.1").allows(url)).isFalse();
  }

  @Test
  void refusesTheParentOfAnAllowedSubdomain() {
    Scope scope = domains("blog.example.com");

    assertThat(scope.allows("http://blog.example.com/")).isTrue();
    assertThat(scope.allows("http://en.blog.example.com/")).isTrue();
    assertThat(scope.allows("http://example.com/")).isFalse();
    assertThat(scope.allows("http://shop.example.com/")).isFalse();
  }

  @Test
  void matchesAllowedDomainsWhateverTheirCaseOrPort() {
    Scope scope = domains("Example.COM", "127.0.0.1:8080");

    assertThat(scope.allows("http://www.example.com/")).isTrue();
    assertThat(scope.allows("http://127.0.0.1:9090/")).isTrue();
    assertThat(scope.allows("http://127.0.0.2:8080/")).isFalse();
  }

  @Test
  void allowsSeveralDomains() {
    Scope scope = domains("example.com", "example.org");

    assertThat(scope.allows("http://a.example.org/")).isTrue();
    assertThat(scope.allows("http://example.com/")).isTrue();
    assertThat(scope.allows("http://example.net/")).isFalse();
  }

  @Test
  void matchesIpv6HostsWithoutTheirPort() {
    Scope scope = domains("[::1]");

    assertThat(scope.allows("http://[::1]:8080/a")).isTrue();
    assertThat(scope.allows("http://[::2]:8080/a")).isFalse();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "ftp://example.com/file",
      "mailto:someone@example.com",
      "javascript:void(0)",
      "data:text/plain,example.com",
      "file:///example.com/",
      "example.com/",
      "",
  })
  void refusesWhatIsNotHttp(String url) {
    assertThat(domains("example.com").allows(url)).isFalse();
  }

  @Test
  void allowsWithoutIncludesEverythingOnTheDomain() {
    assertThat(patterns(List.of(), List.of()).allows("http://example.com/anything?at=all")).isTrue();
  }

  @Test
  void requiresOneIncludeFoundAnywhereInTheUrl() {
    Scope scope = patterns(List.of("/docs/", "lang=en"), List.of());

    assertThat(scope.allows("http://example.com/docs/intro")).isTrue();
    assertThat(scope.allows("http://example.com/v2/docs/intro")).isTrue();
    assertThat(scope.allows("http://example.com/search?q=x&lang=en")).isTrue();
    assertThat(scope.allows("http://example.com/blog/")).isFalse();
  }

  @Test
  void matchesPatternsAgainstTheWholeUrlSchemeAndHostIncluded() {
    Scope scope = patterns(List.of("^https://"), List.of("//shop\\."));

    assertThat(scope.allows("https://example.com/")).isTrue();
    assertThat(scope.allows("http://example.com/")).isFalse();
    assertThat(scope.allows("https://shop.example.com/")).isFalse();
  }

  @Test
  void refusesWhatAnExcludeFinds() {
    Scope scope = patterns(List.of(), List.of("\\.pdf$", "/private/"));

    assertThat(scope.allows("http://example.com/a.html")).isTrue();
    assertThat(scope.allows("http://example.com/report.pdf")).isFalse();
    assertThat(scope.allows("http://example.com/x/private/y")).isFalse();
  }

  @Test
  void letsAnExcludeWinOverAnInclude() {
    Scope scope = patterns(List.of("/docs/"), List.of("/docs/old/"));

    assertThat(scope.allows("http://example.com/docs/new/a")).isTrue();
    assertThat(scope.allows("http://example.com/docs/old/a")).isFalse();
  }

  @Test
  void neverAllowsAnotherDomainBecauseAnIncludeMatches() {
    Scope scope = patterns(List.of("/docs/"), List.of());

    assertThat(scope.allows("http://elsewhere.org/docs/")).isFalse();
  }

  @Test
  void defaultsToTheSeedsHostsAndTheirSubdomains() {
    Scope scope = Scope.of(crawl(""), List.of("https://Blog.Example.com/start", "http://127.0.0.1:8080/"));

    assertThat(scope.allows("https://blog.example.com/other")).isTrue();
    assertThat(scope.allows("https://en.blog.example.com/")).isTrue();
    assertThat(scope.allows("http://blog.example.com:8081/")).isTrue();
    assertThat(scope.allows("http://127.0.0.1:9999/")).isTrue();
    assertThat(scope.allows("https://example.com/")).isFalse();
    assertThat(scope.allows("https://notblog.example.com/")).isFalse();
  }

  @Test
  void readsBackFromItsJsonAsTheSameScope() {
    Scope scope = new Scope(List.of("shop.example.com", "blog.example.com"), List.of(Pattern.compile("/p\\d+$")),
        List.of(Pattern.compile("\\?sort=")));

    Scope back = Scope.fromJson(new io.vertx.core.json.JsonObject(scope.toJson().encode()));

    assertThat(back).isEqualTo(scope).isNotEqualTo(patterns(List.of("/p\\d+$"), List.of()));
    assertThat(back.toJson().getJsonArray("domains")).containsExactly("blog.example.com", "shop.example.com");
    assertThat(back.allows("https://shop.example.com/p12")).isTrue();
    assertThat(back.allows("https://shop.example.com/p12?sort=a")).isFalse();
  }

  @Test
  void takesSeedHostsInPunycode() {
    Scope scope = Scope.of(crawl(""), List.of("http://bücher.example/"));

    assertThat(scope.allows(UrlNormalizer.normalize("http://www.BÜCHER.example/a").orElseThrow())).isTrue();
  }

  @Test
  void allowsNothingWhenNoSeedIsAUrl() {
    Scope scope = Scope.of(crawl(""), List.of("not a url", "ftp://example.com/"));

    assertThat(scope.allows("http://example.com/")).isFalse();
  }

  @Test
  void prefersTheConfiguredDomainsToTheSeedsHosts() {
    Scope scope = Scope.of(crawl("""
        crawl:
          allowed_domains: [example.org, "*.bücher.example"]
        """), List.of("http://example.com/"));

    assertThat(scope.allows("http://example.com/")).isFalse();
    assertThat(scope.allows("http://www.example.org/")).isTrue();
    assertThat(scope.allows("http://shop.xn--bcher-kva.example/")).isTrue();
  }

  @Test
  void compilesTheConfiguredIncludesAndExcludes() {
    Scope scope = Scope.of(crawl("""
        crawl:
          include: ['/catalogue/']
          exclude: ['\\?sort=']
        """), List.of("http://example.com/"));

    assertThat(scope.allows("http://example.com/catalogue/page-2.html")).isTrue();
    assertThat(scope.allows("http://example.com/catalogue/?sort=price")).isFalse();
    assertThat(scope.allows("http://example.com/about")).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "http://example.com/",
      "https://example.com",
      "http://example.com?q",
      "http://www.example.com:8080/a/b?c=d",
      "https://x_y.example-1.com:443/",
      "http://127.0.0.1:18091/page/3",
      "http://127.0.0.1:65535/",
      "http://127.0.0.1:0/",
      "http://127.0.0.1:00080/",
      "http://a..b./",
      "http://xn--bcher-kva.example/",
  })
  void readsTheHostOfAPlainUrlByHandAsTheHttpClientReadsIt(String url) {
    assertThat(Scope.plainHost(url)).isNotNull().isEqualTo(Scope.clientHost(url));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "http://user:secret@example.com/",
      "http://example.com:1@169.254.169.254/",
      "http://127.0.0.1\\@127.0.0.2/",
      "http://127.0.0.1\\example.com/",
      "http://[::1]:8080/a",
      "http://[::ffff:127.0.0.1]/",
      "http://Example.COM/",
      "HTTP://example.com/",
      "http://ex%61mple.com/",
      "http://bücher.example/",
      "http://example.com#@evil.org/",
      "http://example.com:/",
      "http://example.com:65536/",
      "http://example.com:123456/",
      "http://example.com:80:80/",
      "http://example.com;x/",
      "http:///example.com/",
      "http:/example.com/",
      "ftp://example.com/",
      "",
  })
  void leavesEveryOtherShapeToTheHttpClientsParser(String url) {
    assertThat(Scope.plainHost(url)).isNull();
  }

  @Test
  void readsNoHostByHandThatTheHttpClientReadsOtherwise() {
    java.util.Random random = new java.util.Random(17);
    String alphabet = "ab1.-_:/?@#%[]\\A9 ";
    int readByHand = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder url = new StringBuilder(random.nextBoolean() ? "http://" : "https://");
      for (int k = random.nextInt(14); k > 0; k--) {
        url.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String plain = Scope.plainHost(url.toString());
      if (plain != null) {
        readByHand++;
        assertThat(plain).as(url.toString()).isEqualTo(Scope.clientHost(url.toString()));
      }
    }
    assertThat(readByHand).isGreaterThan(1_000);
  }
}
