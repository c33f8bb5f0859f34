package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The {@code hosts:} section: patterns, which entry a host takes, the merge with the crawl-wide
 * keys, refusals named by their path, and credentials that never show ({@code crawls.config},
 * errors, {@code toString}). {@code TRAWL_TEST_SECRET} and {@code TRAWL_TEST_USER} are set by the
 * build (pom.xml).
 */
class HostOverridesTest {
  private static final String SECRET = "env-secret-8c1f";

  private static final String HOSTS_YAML = """
      fetch:
        per_host_rate: 2/s
        headers: {Accept-Language: en, X-Trace: crawl}
        proxies: ["http://ann:inline-proxy-pw@proxy.example:3128"]
      retry:
        max_attempts: 3
      hosts:
        shop.example.com:
          per_host_rate: 1/5s
          per_host_concurrency: 1
          user_agent: shopbot/2
          headers: {X-Trace: shop, X-Api-Key: "${TRAWL_TEST_SECRET}"}
          auth: {basic: {user: "${TRAWL_TEST_USER}", password: "${TRAWL_TEST_SECRET}"}}
          proxy: direct
          request_timeout: 5s
          retry: {max_attempts: 5, statuses: [503]}
        "*.example.com":
          auth: {bearer: "${TRAWL_TEST_SECRET}"}
        "*.static.example.com":
          per_host_rate: 50/s
          proxy: socks5://socks.example:1080
        127.0.0.2: {}
      """;

  private static TrawlConfig load(String yaml) {
    return ConfigLoader.fromYaml(yaml, Map.of());
  }

  @Test
  void aHostTakesItsExactEntryElseTheLongestWildcardElseTheCrawlWideKeys() {
    HostOverrides hosts = HostOverrides.of(load(HOSTS_YAML));

    assertThat(hosts.settings("shop.example.com").pattern()).isEqualTo("shop.example.com");
    assertThat(hosts.settings("SHOP.example.com:8443").pattern()).isEqualTo("shop.example.com");
    assertThat(hosts.settings("a.shop.example.com").pattern()).isEqualTo("*.example.com");
    assertThat(hosts.settings("img.static.example.com").pattern()).isEqualTo("*.static.example.com");
    assertThat(hosts.settings("static.example.com").pattern()).isEqualTo("*.example.com");
    assertThat(hosts.settings("example.com").pattern()).isEmpty();
    assertThat(hosts.settings("127.0.0.2:8080").pattern()).isEqualTo("127.0.0.2");
    assertThat(hosts.settings("127.0.0.1").pattern()).isEmpty();
  }

  @Test
  void anEntryOverridesOnlyTheKeysItSets() {
    HostOverrides hosts = HostOverrides.of(load(HOSTS_YAML));

    HostSettings shop = hosts.settings("shop.example.com");
    assertThat(shop.rate()).isEqualTo(new Rate(1, Duration.ofSeconds(5)));
    assertThat(shop.concurrency()).isEqualTo(1);
    assertThat(shop.userAgent()).isEqualTo("shopbot/2");
    assertThat(shop.headers()).extracting(TrawlConfig.Header::name, TrawlConfig.Header::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Accept-Language", "en"),
            org.assertj.core.groups.Tuple.tuple("X-Trace", "shop"),
            org.assertj.core.groups.Tuple.tuple("X-Api-Key", SECRET));
    assertThat(shop.auth().basic()).isEqualTo(new TrawlConfig.Basic("env-user", SECRET));
    assertThat(shop.proxy()).contains(TrawlConfig.Proxy.DIRECT);
    assertThat(shop.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(shop.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(shop.retry().maxAttempts()).isEqualTo(5);
    assertThat(shop.retry().statuses()).containsExactly(503);
    assertThat(shop.retry().maxDelay()).isEqualTo(Duration.ofSeconds(30));

    HostSettings other = hosts.settings("www.example.org");
    assertThat(other.rate()).isEqualTo(new Rate(2, Duration.ofSeconds(1)));
    assertThat(other.auth().isNone()).isTrue();
    assertThat(other.proxy()).isEmpty();
    assertThat(other.headers()).extracting(TrawlConfig.Header::value).containsExactly("en", "crawl");
    assertThat(hosts.settings("img.static.example.com").proxy())
        .contains(new TrawlConfig.Proxy("socks5", "socks.example", 1080, "", ""));
    assertThat(hosts.settings("x.example.com").auth().bearer()).isEqualTo(SECRET);
  }

  @Test
  void neverPrintsACredentialInCrawlsConfigNorInToString() {
    TrawlConfig config = load(HOSTS_YAML);

    String json = ConfigJson.toJson(config).encode();
    String shown = config.toString() + HostOverrides.of(config).settings("shop.example.com");

    assertThat(json).doesNotContain(SECRET).doesNotContain("inline-proxy-pw")
        .contains("\"X-Api-Key\":\"${TRAWL_TEST_SECRET}\"")
        .contains("http://ann:***@proxy.example:3128");
    assertThat(shown).doesNotContain(SECRET).doesNotContain("inline-proxy-pw");
  }

  @Test
  void printsAnInlineCredentialHeaderAsStars() {
    TrawlConfig config = load("hosts: {api.example.com: {headers: {Authorization: Token inline-token-1}}}");

    assertThat(ConfigJson.toJson(config).encode()).doesNotContain("inline-token-1");
    assertThat(config.hosts().get("api.example.com").headers().get(0).value()).isEqualTo("Token inline-token-1");
  }

  @Test
  void namesABadPatternOrKeyByItsPath() {
    ConfigException badRate = refused(() -> load("hosts: {\"*.example.org\": {per_host_rate: fast}}"));
    ConfigException badPattern = refused(() -> load("hosts: {\"http://example.org/\": {}}"));
    ConfigException midWildcard = refused(() -> load("hosts: {\"shop.*.org\": {}}"));
    ConfigException typo = refused(() -> load("hosts: {example.org: {per_host_rat: 1/s}}"));
    ConfigException notAMap = refused(() -> load("hosts: {example.org: fast}"));
    ConfigException onTheCommandLine = refused(() -> ConfigLoader.fromYaml("", Map.of("hosts.example", "x")));

    assertThat(badRate.keyPath()).isEqualTo("hosts.\"*.example.org\".per_host_rate");
    assertThat(badRate).hasMessage("hosts.\"*.example.org\".per_host_rate: expected a rate like \"2/s\", got \"fast\"");
    assertThat(badPattern.keyPath()).isEqualTo("hosts.\"http://example.org/\"");
    assertThat(midWildcard.keyPath()).isEqualTo("hosts.\"shop.*.org\"");
    assertThat(typo.keyPath()).isEqualTo("hosts.\"example.org\".per_host_rat");
    assertThat(typo.expected()).endsWith("(did you mean per_host_rate?)");
    assertThat(notAMap.keyPath()).isEqualTo("hosts.\"example.org\"");
    assertThat(onTheCommandLine.keyPath()).isEqualTo("hosts.example");
  }

  @Test
  void refusesTwoSpellingsOfOnePattern() {
    ConfigException twice = refused(() -> load("hosts: {Example.org: {}, example.ORG: {}}"));

    assertThat(twice.keyPath()).isEqualTo("hosts.\"example.ORG\"");
  }

  @Test
  void checksAHostsRetryAgainstTheCrawlWideOne() {
    ConfigException e = refused(() -> load("retry: {initial_delay: 10s, max_delay: 20s}\n"
        + "hosts: {example.org: {retry: {max_delay: 5s}}}"));

    assertThat(e.keyPath()).isEqualTo("hosts.\"example.org\".retry.max_delay");
  }

  @Test
  void refusesAnUnsetVariableNamingItButNotAValue() {
    ConfigException unset = refused(() -> load(
        "hosts: {example.org: {auth: {bearer: \"${TRAWL_TEST_UNSET_VARIABLE}\"}}}"));
    ConfigException badName = refused(() -> load("fetch: {headers: {X-A: \"${1X}\"}}"));

    assertThat(unset.keyPath()).isEqualTo("hosts.\"example.org\".auth.bearer");
    assertThat(unset.expected()).contains("TRAWL_TEST_UNSET_VARIABLE");
    assertThat(unset.got()).isEqualTo("***");
    assertThat(badName.keyPath()).isEqualTo("fetch.headers.X-A");
  }

  @Test
  void expandsVariablesInsideAValueAndKeepsADollarWrittenTwice() {
    TrawlConfig config = load("fetch: {headers: {X-A: \"pre-${TRAWL_TEST_USER}-$$5\"}}");

    assertThat(config.fetch().headers().get(0).value()).isEqualTo("pre-env-user-$5");
  }

  @Test
  void refusesAuthThatCannotWork() {
    ConfigException both = refused(() -> load(
        "hosts: {example.org: {auth: {basic: {user: a, password: b}, bearer: t}}}"));
    ConfigException passwordAlone = refused(() -> load("hosts: {example.org: {auth: {basic: {password: b}}}}"));

    assertThat(both.keyPath()).isEqualTo("hosts.\"example.org\".auth.bearer");
    assertThat(both).hasMessageNotContaining(": t");
    assertThat(passwordAlone.keyPath()).isEqualTo("hosts.\"example.org\".auth.basic.user");
  }

  @Test
  void refusesHeadersTrawlSetsItselfAndCredentialsForEveryHost() {
    assertThat(refused(() -> load("fetch: {headers: {Cookie: a=b}}")).keyPath()).isEqualTo("fetch.headers.Cookie");
    assertThat(refused(() -> load("fetch: {headers: {host: x}}")).keyPath()).isEqualTo("fetch.headers.host");
    assertThat(refused(() -> load("fetch: {headers: {User-Agent: x}}")).keyPath()).isEqualTo("fetch.headers.User-Agent");
    ConfigException credential = refused(() -> load("fetch: {headers: {Authorization: Bearer inline-1}}"));
    assertThat(credential.keyPath()).isEqualTo("fetch.headers.Authorization");
    assertThat(credential).hasMessageNotContaining("inline-1");
    assertThat(refused(() -> load("fetch: {headers: {X-A: a, x-a: b}}")).keyPath()).isEqualTo("fetch.headers.x-a");
    assertThat(refused(() -> load("fetch: {headers: {\"Bad Name\": a}}")).keyPath()).isEqualTo("fetch.headers.Bad Name");
  }

  @Test
  void readsProxiesAndNamesABadOneWithoutItsPassword() {
    TrawlConfig one = load("fetch: {proxy: 'socks5://u%3Aser:pa%2Fss@[::1]:1080'}");
    ConfigException overTls = refused(() -> load("fetch: {proxy: 'https://ann:secret-pw-1@proxy.example:443'}"));
    ConfigException noPort = refused(() -> load("fetch: {proxies: ['http://ann:secret-pw-2@proxy.example']}"));
    ConfigException both = refused(() -> load("fetch: {proxy: 'http://a.example:1', proxies: ['http://b.example:2']}"));
    ConfigException direct = refused(() -> load("fetch: {proxy: direct}"));

    assertThat(one.fetch().proxy()).contains(new TrawlConfig.Proxy("socks5", "::1", 1080, "u:ser", "pa/ss"));
    assertThat(one.fetch().proxy().orElseThrow().toString()).isEqualTo("socks5://u:ser:***@[::1]:1080");
    assertThat(overTls.keyPath()).isEqualTo("fetch.proxy");
    assertThat(overTls).hasMessageNotContaining("secret-pw-1").hasMessageContaining("CONNECT");
    assertThat(noPort.keyPath()).isEqualTo("fetch.proxies[0]");
    assertThat(noPort).hasMessageNotContaining("secret-pw-2");
    assertThat(both.keyPath()).isEqualTo("fetch.proxies");
    assertThat(direct.keyPath()).isEqualTo("fetch.proxy");
  }

  @Test
  void refusesACookieFileWhenCookiesAreOff() {
    ConfigException e = refused(() -> load("fetch: {cookies: false, cookies_file: jar.txt}"));

    assertThat(e.keyPath()).isEqualTo("fetch.cookies_file");
  }

  @Test
  void readsBackWhatItPrints() {
    TrawlConfig config = load("""
        fetch: {cookies_file: jar.txt, proxy_rotation: per_host}
        hosts:
          "*.example.org": {per_host_rate: 3/s, retry: {statuses: [429]}, headers: {X-A: b}}
        """);

    TrawlConfig again = ConfigLoader.fromYaml(ConfigJson.toJson(config).encode(), Map.of());

    assertThat(again).isEqualTo(config);
    assertThat(again.fetch().cookiesFile()).isEqualTo(Optional.of(java.nio.file.Path.of("jar.txt")));
    assertThat(ConfigJson.diff(config, load(""))).contains("fetch.proxy_rotation: per_host -> per_request");
    assertThat(again.hosts().get("*.example.org").retry().statuses()).contains(List.of(429));
  }

  private static ConfigException refused(ThrowingCallable read) {
    Throwable thrown = catchThrowable(read);
    assertThat(thrown).isInstanceOf(ConfigException.class);
    return (ConfigException) thrown;
  }
}
