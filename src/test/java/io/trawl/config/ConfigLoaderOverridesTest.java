package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --set} of keys below a section: a {@code hosts:} entry's keys (its pattern holding dots),
 * and the map-valued keys it leaves to the file. Real config files; {@code TRAWL_TEST_SECRET} is
 * set by pom.xml.
 */
class ConfigLoaderOverridesTest {
  private static final String SHOP = "shop.example.com";

  /** A value for every per-host key {@code --set} reaches, and how {@code crawls.config} prints it. */
  private static final Map<String, List<String>> PER_HOST = Map.ofEntries(
      Map.entry("per_host_rate", List.of("2/s", "2/s")),
      Map.entry("per_host_concurrency", List.of("3", "3")),
      Map.entry("user_agent", List.of("bot/1", "bot/1")),
      Map.entry("auth.basic.user", List.of("ann", "ann")),
      Map.entry("auth.basic.password", List.of("${TRAWL_TEST_SECRET}", "***")),
      Map.entry("auth.bearer", List.of("token-1", "***")),
      Map.entry("login.url", List.of("https://shop.example.com/in", "https://shop.example.com/in")),
      Map.entry("login.method", List.of("GET", "GET")),
      Map.entry("login.success", List.of("a.out", "a.out")),
      Map.entry("proxy", List.of("direct", "direct")),
      Map.entry("connect_timeout", List.of("3s", "3s")),
      Map.entry("request_timeout", List.of("9s", "9s")),
      Map.entry("retry.max_attempts", List.of("7", "7")),
      Map.entry("retry.initial_delay", List.of("500ms", "500ms")),
      Map.entry("retry.multiplier", List.of("1.5", "1.5")),
      Map.entry("retry.max_delay", List.of("40s", "40s")),
      Map.entry("retry.statuses", List.of("429, 503", "[429,503]")));

  @TempDir Path dir;

  @Test
  void coversEveryPerHostKeyButTheMaps() {
    List<String> settable = ConfigKeys.HOST.keyPaths().stream()
        .filter(path -> ConfigKeys.HOST.keyAt(path).filter(ConfigKey::isMap).isEmpty())
        .toList();

    assertThat(PER_HOST.keySet()).containsExactlyInAnyOrderElementsOf(settable);
  }

  static Stream<String> perHostKeys() {
    return PER_HOST.keySet().stream().sorted();
  }

  @ParameterizedTest
  @MethodSource("perHostKeys")
  void setsAPerHostKeyOfAFileEntry(String key) throws IOException {
    Path config = file("""
        hosts:
          Shop.Example.com:
            login: {url: "https://shop.example.com/login", success: a.logout}
          other.example.com: {per_host_rate: 9/s}
        """);
    Map<String, String> overrides = new HashMap<>(Map.of("hosts." + SHOP + "." + key, PER_HOST.get(key).get(0)));
    if (key.equals("auth.basic.password")) {
      overrides.put("hosts." + SHOP + ".auth.basic.user", "ann");
    }

    TrawlConfig loaded = ConfigLoader.load(config, overrides);

    assertThat(loaded.hosts()).containsOnlyKeys(SHOP, "other.example.com");
    JsonObject entry = ConfigJson.toJson(loaded).getJsonObject("hosts").getJsonObject(SHOP);
    assertThat(String.valueOf(printedAt(entry, key))).isEqualTo(PER_HOST.get(key).get(1));
    assertThat(loaded.hosts().get(SHOP).login().url()).as("the file's keys of the entry stay")
        .isEqualTo(key.equals("login.url") ? "https://shop.example.com/in" : "https://shop.example.com/login");
  }

  @Test
  void createsTheEntryOfAPatternTheFileDoesNotHave() throws IOException {
    Path config = file("fetch: {per_host_rate: 1/s}\n");

    TrawlConfig loaded = ConfigLoader.load(config, Map.of(
        "hosts.*.example.org.per_host_rate", "5/s",
        "hosts.*.example.org.retry.max_attempts", "1",
        "hosts.127.0.0.2.auth.bearer", "${TRAWL_TEST_SECRET}"));

    assertThat(loaded.hosts()).containsOnlyKeys("*.example.org", "127.0.0.2");
    HostSettings sub = HostOverrides.of(loaded).settings("a.example.org");
    assertThat(sub.rate()).isEqualTo(new Rate(5, Duration.ofSeconds(1)));
    assertThat(sub.retry().maxAttempts()).isEqualTo(1);
    assertThat(HostOverrides.of(loaded).settings("127.0.0.2:8080").auth().bearer()).isEqualTo("env-secret-8c1f");
    assertThat(HostOverrides.of(loaded).settings("example.org").rate()).isEqualTo(new Rate(1, Duration.ofSeconds(1)));
  }

  @Test
  void refusesAnUnknownPerHostKeyListingTheKnownOnes() throws IOException {
    Path config = file("");

    ConfigException typo = refused(() -> ConfigLoader.load(config, Map.of("hosts.shop.example.com.per_host_rat", "2/s")));
    ConfigException nested = refused(() -> ConfigLoader.load(config, Map.of("hosts.shop.example.com.retry.max_atempts", "2")));
    ConfigException noPattern = refused(() -> ConfigLoader.load(config, Map.of("hosts.per_host_rate", "2/s")));
    ConfigException section = refused(() -> ConfigLoader.load(config, Map.of("hosts.shop.example.com.auth", "x")));

    assertThat(typo.keyPath()).isEqualTo("hosts.shop.example.com.per_host_rat");
    assertThat(typo.expected()).contains("per_host_rate", "auth.basic.password", "retry.statuses")
        .doesNotContain("headers", "login.form").endsWith("(did you mean per_host_rate?)");
    assertThat(nested.expected()).endsWith("(did you mean retry.max_attempts?)");
    assertThat(noPattern.keyPath()).isEqualTo("hosts.per_host_rate");
    assertThat(section.keyPath()).isEqualTo("hosts.shop.example.com.auth");
  }

  @Test
  void refusesABadPatternNamingIt() throws IOException {
    ConfigException e = refused(() -> ConfigLoader.load(file(""), Map.of("hosts.shop_x.example.com.per_host_rate", "2/s")));

    assertThat(e.keyPath()).isEqualTo("hosts.\"shop_x.example.com\"");
  }

  @Test
  void refusesAMapValuedKeySayingItIsWrittenInTheFile() throws IOException {
    Path config = file("fetch: {headers: {Accept-Language: en}}\n");

    for (String key : List.of("fetch.headers", "fetch.headers.Accept-Language", "hosts.shop.example.com.headers",
        "hosts.shop.example.com.headers.X-Api-Key", "hosts.shop.example.com.login.form",
        "hosts.shop.example.com.login.form.user")) {
      ConfigException e = refused(() -> ConfigLoader.load(config, Map.of(key, "x")));

      assertThat(e.keyPath()).isEqualTo(key);
      assertThat(e.expected()).as(key).contains("written in the config file");
    }
  }

  @Test
  void refusesTheRulesSayingTheyAreWrittenInTheFileWithOrWithoutAKeyOfTheirs() throws IOException {
    Path config = file("crawl: {max_pages: 5}\n");

    for (String key : List.of("rules", "rules.books", "rules.books.select")) {
      ConfigException e = refused(() -> ConfigLoader.load(config, Map.of(key, "x")));

      assertThat(e.keyPath()).isEqualTo(key);
      assertThat(e.expected()).as(key).contains("rules are written in the config file");
    }
  }

  @Test
  void leavesAFileEntryThatIsNotAMapForReadingToRefuse() throws IOException {
    ConfigException e = refused(() -> ConfigLoader.load(file("hosts: {shop.example.com: 5}\n"),
        Map.of("hosts.shop.example.com.per_host_rate", "2/s")));

    assertThat(e.keyPath()).isEqualTo("hosts.\"shop.example.com\"");
  }

  private Path file(String yaml) throws IOException {
    return Files.writeString(dir.resolve("config.yaml"), yaml);
  }

  private static Object printedAt(JsonObject json, String dottedKey) {
    String[] parts = dottedKey.split("\\.");
    JsonObject at = json;
    for (int i = 0; i < parts.length - 1; i++) {
      at = at.getJsonObject(parts[i]);
    }
    return Optional.ofNullable(at.getValue(parts[parts.length - 1])).orElse("absent");
  }

  private static ConfigException refused(ThrowingCallable load) {
    Throwable thrown = catchThrowable(load);
    assertThat(thrown).isInstanceOf(ConfigException.class);
    return (ConfigException) thrown;
  }
}
