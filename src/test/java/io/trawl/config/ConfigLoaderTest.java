package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final String FULL_YAML =
      """
      crawl:
        seeds: data/shop-seeds.txt
        db: out/shop.db
        db_schema: shop
        max_depth: 3
        max_pages: 5000
        max_duration: 2h
        allowed_domains: [Shop.Example.com, "*.cdn.example.net", .static.example.org]
        include: ['/products/', '\\.html$']
        exclude: ['\\?sort=']
        progress_interval: 5s
        sitemaps: true
        max_sitemap_urls: 100
        metrics: 9464
        ui: 0.0.0.0:8080
      fetch:
        concurrency: 64
        per_host_concurrency: 4
        per_host_rate: 1/5s
        user_agent: shopbot/1.0
        connect_timeout: 500ms
        request_timeout: 1m
        max_redirects: 0
        max_body_size: 512KB
        respect_robots: false
        max_url_length: 1024
        block_private_addresses: true
        headers: {Accept-Language: "de, en;q=0.5", X-Api-Key: inline-key}
        cookies: true
        cookies_file: cookies.txt
        proxies: ["http://user:p%40ss@proxy-a.example:3128", "socks5://proxy-b.example:1080"]
        proxy_rotation: per_host
        proxy_bench: 30s
        proxy_ban_rate: 20
        autothrottle: true
        autothrottle_max_delay: 10s
      retry:
        max_attempts: 1
        initial_delay: 0
        multiplier: 1.5
        max_delay: 10s
        statuses: [503]
      circuit:
        failure_rate: 100
        minimum_calls: 1
        open_for: 5m
      parse:
        threads: 2
        max_links_per_page: 100
      store:
        batch_size: 1
        batch_delay: 5ms
      download:
        content_types: [Application/PDF, "image/*"]
        dir: files
        max_size: 1GB
      """;

  @Test
  void givesEveryKeyItsDocumentedDefault() {
    TrawlConfig config = ConfigLoader.defaults();

    assertThat(config.crawl())
        .isEqualTo(
            new TrawlConfig.Crawl(
                Path.of("seeds.txt"),
                "trawl.db",
                "public",
                5,
                0L,
                Duration.ZERO,
                List.of(),
                List.of(),
                List.of(),
                Duration.ofSeconds(10),
                false,
                50_000,
                Optional.empty(),
                Optional.empty()));
    assertThat(config.fetch())
        .isEqualTo(
            new TrawlConfig.Fetch(
                32,
                2,
                new Rate(1, Duration.ofSeconds(1)),
                "trawl/0.1 (+https://github.com/trawl-crawler/trawl)",
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                5,
                new DataSize(10L * 1024 * 1024),
                true,
                2083,
                false,
                List.of(),
                true,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                "per_request",
                Duration.ofMinutes(2),
                50,
                false,
                Duration.ofMinutes(1)));
    assertThat(config.hosts()).isEmpty();
    assertThat(config.retry())
        .isEqualTo(
            new TrawlConfig.Retry(
                3,
                Duration.ofSeconds(1),
                2.0,
                Duration.ofSeconds(30),
                List.of(429, 500, 502, 503, 504)));
    assertThat(config.circuit()).isEqualTo(new TrawlConfig.Circuit(50, 10, Duration.ofSeconds(30)));
    assertThat(config.parse()).isEqualTo(new TrawlConfig.Parse(0, 5000));
    assertThat(config.store()).isEqualTo(new TrawlConfig.Store(256, Duration.ofMillis(5)));
    assertThat(config.download())
        .isEqualTo(new TrawlConfig.Download(List.of(), Path.of("downloads"), DataSize.ofMegabytes(100), List.of()));
    assertThat(config.render())
        .isEqualTo(new TrawlConfig.Render("urls", List.of(), "", "network_idle", Duration.ofSeconds(30),
            List.of("image", "font", "media", "stylesheet"), 0, 500, false, "auto"));
    assertThat(config.render().enabled()).isFalse();
    assertThat(config.render().tabs()).as("render.pages 0: one tab per core plus one")
        .isEqualTo(Runtime.getRuntime().availableProcessors() + 1);
  }

  @Test
  void readsEveryKeyOfAFullFile() {
    TrawlConfig config = ConfigLoader.fromYaml(FULL_YAML, Map.of());

    assertThat(config.crawl())
        .isEqualTo(
            new TrawlConfig.Crawl(
                Path.of("data/shop-seeds.txt"),
                "out/shop.db",
                "shop",
                3,
                5000L,
                Duration.ofHours(2),
                List.of("shop.example.com", "cdn.example.net", "static.example.org"),
                List.of("/products/", "\\.html$"),
                List.of("\\?sort="),
                Duration.ofSeconds(5),
                true,
                100,
                Optional.of(new ListenAddress("127.0.0.1", 9464)),
                Optional.of(new ListenAddress("0.0.0.0", 8080))));
    assertThat(config.fetch())
        .isEqualTo(
            new TrawlConfig.Fetch(
                64,
                4,
                new Rate(1, Duration.ofSeconds(5)),
                "shopbot/1.0",
                Duration.ofMillis(500),
                Duration.ofMinutes(1),
                0,
                new DataSize(512 * 1024),
                false,
                1024,
                true,
                List.of(new TrawlConfig.Header("Accept-Language", "de, en;q=0.5", "de, en;q=0.5"),
                    new TrawlConfig.Header("X-Api-Key", "inline-key", "***")),
                true,
                Optional.of(Path.of("cookies.txt")),
                Optional.empty(),
                List.of(new TrawlConfig.Proxy("http", "proxy-a.example", 3128, "user", "p@ss"),
                    new TrawlConfig.Proxy("socks5", "proxy-b.example", 1080, "", "")),
                "per_host",
                Duration.ofSeconds(30),
                20,
                true,
                Duration.ofSeconds(10)));
    assertThat(config.retry())
        .isEqualTo(
            new TrawlConfig.Retry(1, Duration.ZERO, 1.5, Duration.ofSeconds(10), List.of(503)));
    assertThat(config.circuit()).isEqualTo(new TrawlConfig.Circuit(100, 1, Duration.ofMinutes(5)));
    assertThat(config.parse()).isEqualTo(new TrawlConfig.Parse(2, 100));
    assertThat(config.store()).isEqualTo(new TrawlConfig.Store(1, Duration.ofMillis(5)));
    assertThat(config.download())
        .isEqualTo(new TrawlConfig.Download(
            List.of("application/pdf", "image/*"), Path.of("files"), DataSize.ofMegabytes(1024), List.of()));
  }

  @Test
  void readsEveryKeyOfTheRenderSection() {
    TrawlConfig config = ConfigLoader.fromYaml("""
        render:
          mode: auto
          urls: ['/app/']
          when_missing: div.price
          wait_for: '#app li'
          timeout: 10s
          block: [image, Font, xhr]
          pages: 3
          recycle_after: 0
          screenshot: true
          browser: /opt/chrome/chrome
        """, Map.of());

    assertThat(config.render())
        .isEqualTo(new TrawlConfig.Render("auto", List.of("/app/"), "div.price", "#app li", Duration.ofSeconds(10),
            List.of("image", "font", "xhr"), 3, 0, true, "/opt/chrome/chrome"));
    assertThat(config.render().enabled()).isTrue();
    assertThat(config.render().tabs()).isEqualTo(3);
  }

  @Test
  void refusesRenderingWithPrivateAddressesBlocked() {
    ConfigException e = refusedYaml("fetch: {block_private_addresses: true}\nrender: {urls: ['/app/']}\n");

    assertThat(e.keyPath()).isEqualTo("fetch.block_private_addresses");
    assertThat(ConfigLoader.fromYaml("fetch: {block_private_addresses: true}\nrender: {pages: 2}\n", Map.of())
        .render().enabled()).isFalse();
  }

  @Test
  void keepsRelativePathsAsWritten() {
    TrawlConfig config = ConfigLoader.fromYaml("crawl: {seeds: ../seeds.txt, db: x.db}", Map.of());

    assertThat(config.crawl().seeds()).isEqualTo(Path.of("../seeds.txt")).isRelative();
    assertThat(config.crawl().db()).isEqualTo("x.db");
  }

  @Test
  void resolvesVariablesInTheDatabaseUrlWithoutPrintingThePassword() {
    TrawlConfig config = ConfigLoader.fromYaml(
        "crawl: {db: \"postgresql://u:${TRAWL_TEST_SECRET}@127.0.0.1/${TRAWL_TEST_USER}\"}",
        Map.of());

    assertThat(config.crawl().db()).isEqualTo("postgresql://u:env-secret-8c1f@127.0.0.1/env-user");
    assertThat(ConfigJson.toJson(config).getJsonObject("crawl").getString("db")).doesNotContain("env-secret-8c1f");
  }

  @Test
  void refusesAnUnsetVariableInTheDatabaseNamingItButNotThePassword() {
    ConfigException e = refusedYaml("crawl: {db: \"postgresql://u:written-pw@${TRAWL_TEST_UNSET_VARIABLE}/db\"}");

    assertThat(e.keyPath()).isEqualTo("crawl.db");
    assertThat(e.expected()).contains("TRAWL_TEST_UNSET_VARIABLE");
    assertThat(e.getMessage()).doesNotContain("written-pw");
    ConfigException schema = refusedYaml("crawl: {db_schema: \"${TRAWL_TEST_UNSET_VARIABLE}\"}");
    assertThat(schema.keyPath()).isEqualTo("crawl.db_schema");
    assertThat(schema.expected()).contains("TRAWL_TEST_UNSET_VARIABLE");
  }

  @Test
  void letsOverridesWinOverTheFile() {
    TrawlConfig config =
        ConfigLoader.fromYaml(
            FULL_YAML,
            Map.of(
                "crawl.max_pages", "10",
                "fetch.per_host_rate", "2/s",
                "fetch.respect_robots", "true",
                "retry.multiplier", "3",
                "retry.statuses", "429, 503",
                "crawl.include", "",
                "fetch.max_body_size", "1048576"));

    assertThat(config.crawl().maxPages()).isEqualTo(10);
    assertThat(config.fetch().perHostRate()).isEqualTo(new Rate(2, Duration.ofSeconds(1)));
    assertThat(config.fetch().respectRobots()).isTrue();
    assertThat(config.retry().multiplier()).isEqualTo(3.0);
    assertThat(config.retry().statuses()).containsExactly(429, 503);
    assertThat(config.crawl().include()).isEmpty();
    assertThat(config.fetch().maxBodySize()).isEqualTo(DataSize.ofMegabytes(1));
    assertThat(config.fetch().concurrency()).isEqualTo(64);
  }

  @Test
  void appliesOverridesWithoutAFile() {
    TrawlConfig config = ConfigLoader.load(null, Map.of("crawl.max_depth", "0"));

    assertThat(config.crawl().maxDepth()).isZero();
    assertThat(config.fetch()).isEqualTo(ConfigLoader.defaults().fetch());
  }

  @Test
  void loadsAFileAndReadsAnEmptyOneAsDefaults(@TempDir Path dir) throws IOException {
    Path full = Files.writeString(dir.resolve("config.yaml"), FULL_YAML);
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
    Path comments = Files.writeString(dir.resolve("comments.yaml"), "# nothing yet\n");

    assertThat(ConfigLoader.load(full, Map.of())).isEqualTo(ConfigLoader.fromYaml(FULL_YAML, Map.of()));
    assertThat(ConfigLoader.load(empty, Map.of())).isEqualTo(ConfigLoader.defaults());
    assertThat(ConfigLoader.load(comments, Map.of())).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void readsASectionWithNoKeysAsDefaults() {
    assertThat(ConfigLoader.fromYaml("fetch:\nretry: {}\n", Map.of()))
        .isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void refusesABadRateWithTheKeyPathInTheMessage() {
    ConfigException e = refusedYaml("fetch:\n  per_host_rate: fast\n");

    assertThat(e.keyPath()).isEqualTo("fetch.per_host_rate");
    assertThat(e.got()).isEqualTo("fast");
    assertThat(e).hasMessage("fetch.per_host_rate: expected a rate like \"2/s\", got \"fast\"");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          crawl.seeds                | ''
          crawl.max_depth            | -1
          crawl.max_depth            | '"3"'
          crawl.max_depth            | 2.5
          crawl.max_pages            | -5
          crawl.max_duration         | 30
          crawl.max_duration         | soon
          crawl.progress_interval    | 0
          crawl.allowed_domains      | example.com
          crawl.metrics              | 70000
          crawl.metrics              | 'http://127.0.0.1:9464'
          crawl.metrics              | true
          crawl.ui                   | localhost
          crawl.ui                   | '"127.0.0.1:99999"'
          fetch.concurrency          | 0
          fetch.concurrency          | 99999999999
          fetch.per_host_concurrency | 0
          fetch.per_host_rate        | 0/s
          fetch.per_host_rate        | 2
          fetch.user_agent           | '"  "'
          fetch.user_agent           | 42
          fetch.connect_timeout      | 0
          fetch.max_redirects        | -1
          fetch.max_body_size        | 10 parsecs
          fetch.max_body_size        | -1
          fetch.max_body_size        | 0
          fetch.respect_robots       | yes
          fetch.respect_robots       | '"true"'
          fetch.respect_robots       | 1
          retry.max_attempts         | 0
          retry.multiplier           | 0.5
          retry.multiplier           | .inf
          retry.multiplier           | double
          retry.max_delay            | 10ms
          retry.statuses             | 503
          circuit.failure_rate       | 0
          circuit.failure_rate       | 101
          circuit.minimum_calls      | 0
          circuit.open_for           | 0
          parse.threads              | -1
          parse.max_links_per_page   | 0
          fetch.max_url_length       | 0
          fetch.block_private_addresses | yes
          store.batch_size           | 0
          store.batch_delay          | 1:30
          crawl.sitemaps             | yes
          crawl.max_sitemap_urls     | 0
          download.dir               | ''
          download.max_size          | 0
          download.content_types     | application/pdf
          recrawl.interval           | 0
          recrawl.interval           | 2
          recrawl.min_interval       | 2d
          recrawl.max_interval       | 1h
          recrawl.changed_factor     | 1.5
          recrawl.changed_factor     | 0
          recrawl.unchanged_factor   | 0.5
          render.mode                | sometimes
          render.mode                | true
          render.wait_for            | 'p..x'
          render.wait_for            | 2 seconds
          render.wait_for            | 0s
          render.timeout             | 0
          render.pages               | -1
          render.recycle_after       | lots
          render.screenshot          | please
          render.browser             | ''
          render.when_missing        | 'div[['
          """)
  void refusesABadValueNamingItsKeyPath(String keyPath, String yamlValue) {
    String[] sectionAndKey = keyPath.split("\\.");
    String yaml = sectionAndKey[0] + ":\n  " + sectionAndKey[1] + ": " + yamlValue + "\n";

    assertThat(refusedYaml(yaml).keyPath()).isEqualTo(keyPath);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          crawl.include[1]         | ["ok", "(unclosed"]
          crawl.exclude[0]         | [""]
          crawl.allowed_domains[2] | [a.com, b.com, "http://c.com/"]
          crawl.allowed_domains[0] | ["exa mple.com"]
          crawl.allowed_domains[0] | [-bad.com]
          crawl.allowed_domains[1] | [a.com, 5]
          retry.statuses[1]        | [503, 600]
          retry.statuses[0]        | [99]
          retry.statuses[0]        | ["503"]
          download.content_types[1] | [image/png, pdf]
          download.content_types[0] | ["*/png"]
          download.content_types[0] | ["image/png; q=1"]
          render.block[1]           | [image, document]
          render.block[0]           | [pictures]
          render.urls[0]            | ["(unclosed"]
          """)
  void refusesABadListElementNamingItsIndex(String keyPath, String yamlList) {
    String[] sectionAndKey = keyPath.replaceAll("\\[.*", "").split("\\.");
    String yaml = sectionAndKey[0] + ":\n  " + sectionAndKey[1] + ": " + yamlList + "\n";

    assertThat(refusedYaml(yaml).keyPath()).isEqualTo(keyPath);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          crawl.max_pages       | lots
          crawl.max_duration    | 30
          fetch.per_host_rate   | fast
          fetch.respect_robots  | yes
          retry.multiplier      | NaN
          retry.statuses        | 503,abc
          crawl.allowed_domains | a.com,
          """)
  void refusesABadOverrideNamingItsKeyPath(String keyPath, String value) {
    ConfigException e = refusedOverride(keyPath, value);

    assertThat(e.keyPath()).startsWith(keyPath);
  }

  @Test
  void readsTheRenderWaitAsAKeywordADelayOrASelector() {
    assertThat(ConfigLoader.fromYaml("render: {wait_for: load}", Map.of()).render().waitFor()).isEqualTo("load");
    assertThat(ConfigLoader.fromYaml("render: {wait_for: 1500ms}", Map.of()).render().waitFor()).isEqualTo("1500ms");
    assertThat(ConfigLoader.fromYaml("render: {wait_for: '#app .item'}", Map.of()).render().waitFor())
        .isEqualTo("#app .item");
  }

  @Test
  void refusesWhenMissingOutsideAutoMode() {
    ConfigException e = refusedYaml("render:\n  urls: [x]\n  when_missing: div.item\n");

    assertThat(e.keyPath()).isEqualTo("render.when_missing");
    assertThat(ConfigLoader.fromYaml("render: {mode: auto, when_missing: div.item}", Map.of()).render().whenMissing())
        .isEqualTo("div.item");
  }

  @Test
  void refusesAnOverrideThatIsNotASectionAndKey() {
    assertThat(refusedOverride("max_pages", "5").keyPath()).isEqualTo("max_pages");
    assertThat(refusedOverride("crawl.max_pages.x", "5").keyPath()).isEqualTo("crawl.max_pages.x");
    assertThat(refusedOverride("fetch.perHostRate", "2/s").keyPath()).isEqualTo("fetch.perHostRate");
    assertThat(refusedOverride("fecth.concurrency", "2").keyPath()).isEqualTo("fecth");
  }

  @Test
  void refusesAnUnknownKeySuggestingTheClosestOne() {
    ConfigException e = refusedYaml("fetch:\n  per_host_rat: 2/s\n");

    assertThat(e.keyPath()).isEqualTo("fetch.per_host_rat");
    assertThat(e.expected())
        .startsWith("one of concurrency, per_host_concurrency, per_host_rate,")
        .endsWith("(did you mean per_host_rate?)");
  }

  @Test
  void suggestsTheSnakeCaseKeyForACamelCaseOne() {
    assertThat(refusedYaml("crawl:\n  maxPages: 5\n").expected()).endsWith("(did you mean max_pages?)");
  }

  @Test
  void refusesAnUnknownSection() {
    ConfigException e = refusedYaml("fetch: {}\nfetcher:\n  concurrency: 2\n");

    assertThat(e.keyPath()).isEqualTo("fetcher");
    assertThat(e.expected()).endsWith("(did you mean fetch?)");
  }

  @Test
  void refusesASectionThatIsNotAMap() {
    assertThat(refusedYaml("fetch: 5\n").keyPath()).isEqualTo("fetch");
    assertThat(refusedYaml("crawl: [a, b]\n").keyPath()).isEqualTo("crawl");
  }

  @Test
  void refusesADocumentThatIsNotAMap() {
    assertThat(refusedYaml("- crawl\n- fetch\n").keyPath()).isEqualTo("<yaml>");
  }

  @Test
  void refusesADuplicateKey() {
    assertThat(refusedYaml("fetch:\n  concurrency: 2\n  concurrency: 3\n").keyPath())
        .isEqualTo("<yaml>");
  }

  @Test
  void refusesAYamlSyntaxErrorNamingTheFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("config.yaml"), "fetch:\n  concurrency: 2\n bad: [\n");

    ConfigException e = refused(() -> ConfigLoader.load(file, Map.of()));

    assertThat(e.keyPath()).isEqualTo(file.toString());
    assertThat(e.got()).contains("line 3,");
  }

  @Test
  void refusesAMissingFileNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");

    ConfigException e = refused(() -> ConfigLoader.load(missing, Map.of()));

    assertThat(e.keyPath()).isEqualTo(missing.toString());
  }

  @Test
  void refusesAFileThatIsNotUtf8(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9});

    assertThat(refused(() -> ConfigLoader.load(file, Map.of())).keyPath())
        .isEqualTo(file.toString());
  }

  private static ConfigException refusedYaml(String yaml) {
    return refused(() -> ConfigLoader.fromYaml(yaml, Map.of()));
  }

  private static ConfigException refusedOverride(String keyPath, String value) {
    return refused(() -> ConfigLoader.fromYaml("", Map.of(keyPath, value)));
  }

  private static ConfigException refused(ThrowingCallable load) {
    Throwable thrown = catchThrowable(load);
    assertThat(thrown).isInstanceOf(ConfigException.class);
    return (ConfigException) thrown;
  }
}
