package io.trawl.config;

import static io.trawl.config.ConfigKey.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The table mechanism on test-only sections: secrets kept out of JSON, diffs and errors; a table
 * that does not match its record refused; and a section keyed by the user ({@code hosts:}, as
 * issue 15 will add) built from a table.
 */
class KeyTableTest {
  private static final String PASSWORD = "hunter2-hunter2";

  record Login(String user, String password, List<String> tokens, Duration timeout) {}

  private static final KeyTable<Login> LOGIN = KeyTable.of(Login.class,
      key("user", "anonymous", ConfigValue::asText, "the user name"),
      key("password", "", ConfigValue::asText, "the password").secret(),
      key("tokens", List.<String>of(), v -> v.asList(ConfigValue::asText), "API tokens").secret(),
      key("timeout", Duration.ofSeconds(5), ConfigValue::asPositiveDuration, "login timeout"));

  /** A document of one user-keyed section, {@code hosts:}, each entry read by {@link #LOGIN}. */
  record Hosts(Map<String, Login> hosts) {}

  private static final KeyTable<Hosts> HOSTS = KeyTable.of(Hosts.class,
      key("hosts", Map.<String, Login>of(), KeyTableTest::logins, "logins by host pattern")
          .printedWith(KeyTableTest::loginsJson));

  @Test
  void printsASecretAsStarsAndTheOtherKeysAsThemselves() {
    Login login = LOGIN.read(section("login", Map.of("user", "ann", "password", PASSWORD, "tokens", List.of("t-1", "t-2"))));

    JsonObject json = LOGIN.toJson(login);

    assertThat(login.password()).isEqualTo(PASSWORD);
    assertThat(json.getString("user")).isEqualTo("ann");
    assertThat(json.getString("password")).isEqualTo("***");
    assertThat(json.getValue("tokens")).isEqualTo("***");
    assertThat(json.getString("timeout")).isEqualTo("5s");
    assertThat(json.encode()).doesNotContain(PASSWORD).doesNotContain("t-1");
  }

  @Test
  void refusesABadSecretWithoutShowingIt() {
    ConfigException wrongType = refused(() -> LOGIN.read(section("login", Map.of("password", 1234567))));
    ConfigException twoLines = refused(() -> LOGIN.read(section("login", Map.of("password", PASSWORD + "\nx"))));
    ConfigException badOverride = refused(() -> LOGIN.read(section("login", Map.of("password", new OverrideValue(PASSWORD + "\t")))));
    ConfigException badToken = refused(() -> LOGIN.read(section("login", Map.of("tokens", List.of("ok", PASSWORD + "\n")))));

    assertThat(wrongType.keyPath()).isEqualTo("login.password");
    assertThat(wrongType.got()).isEqualTo("***");
    assertThat(wrongType).hasMessageNotContaining("1234567");
    assertThat(twoLines).hasMessageNotContaining(PASSWORD);
    assertThat(badOverride).hasMessageNotContaining(PASSWORD);
    assertThat(badToken.keyPath()).isEqualTo("login.tokens[1]");
    assertThat(badToken).hasMessageNotContaining(PASSWORD);
  }

  @Test
  void showsABadValueOfAKeyThatIsNotSecret() {
    ConfigException e = refused(() -> LOGIN.read(section("login", Map.of("timeout", "soonish"))));

    assertThat(e.got()).isEqualTo("soonish");
  }

  @Test
  void leavesSecretsOutOfTheResumeDiff() {
    JsonObject before = new JsonObject().put("login", LOGIN.toJson(LOGIN.read(section("login", Map.of("password", "old-secret")))));
    JsonObject after = new JsonObject().put("login", LOGIN.toJson(LOGIN.read(section("login", Map.of("user", "bob", "password", PASSWORD)))));

    List<String> diff = ConfigJson.diff(before, after);

    assertThat(diff).containsExactly("login.user: anonymous -> bob");
    assertThat(String.join("\n", diff)).doesNotContain(PASSWORD).doesNotContain("old-secret");
  }

  @Test
  void readsAndPrintsASectionKeyedByTheUserWithItsPathsAndSecrets() {
    Map<String, Object> entries = new LinkedHashMap<>();
    entries.put("*.example.com", Map.of("user", "ann", "password", PASSWORD));
    entries.put("shop.example.org", Map.of());

    Hosts hosts = HOSTS.read(section("", Map.of("hosts", entries)));
    JsonObject json = HOSTS.toJson(hosts);

    assertThat(hosts.hosts()).containsOnlyKeys("*.example.com", "shop.example.org");
    assertThat(hosts.hosts().get("*.example.com").password()).isEqualTo(PASSWORD);
    assertThat(hosts.hosts().get("shop.example.org")).isEqualTo(LOGIN.defaults());
    assertThat(json.getJsonObject("hosts").getJsonObject("*.example.com").getString("password")).isEqualTo("***");
    assertThat(json.encode()).doesNotContain(PASSWORD);
    ConfigException typo = refused(() -> HOSTS.read(section("", Map.of("hosts", Map.of("a.com", Map.of("pasword", PASSWORD))))));
    assertThat(typo.keyPath()).isEqualTo("hosts.a.com.pasword");
    assertThat(typo.expected()).endsWith("(did you mean password?)");
    assertThat(typo).hasMessageNotContaining(PASSWORD);
  }

  @Test
  void refusesATableWhoseKeysAreNotItsRecordsComponents() {
    assertThatThrownBy(() -> KeyTable.of(Login.class,
            key("user", "", ConfigValue::asText, ""),
            key("passwd", "", ConfigValue::asText, ""),
            key("tokens", List.<String>of(), v -> v.asList(ConfigValue::asText), ""),
            key("timeout", Duration.ZERO, ConfigValue::asDuration, "")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("passwd");
    assertThatThrownBy(() -> KeyTable.of(Login.class, key("user", "", ConfigValue::asText, "")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesADefaultOfAnotherTypeThanItsComponent() {
    assertThatThrownBy(() -> KeyTable.of(Login.class,
            key("user", "", ConfigValue::asText, ""),
            key("password", "", ConfigValue::asText, ""),
            key("tokens", List.<String>of(), v -> v.asList(ConfigValue::asText), ""),
            key("timeout", 5, v -> v.asInt(0, 10), "")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("timeout");
  }

  private static Map<String, Login> logins(ConfigValue v) {
    ConfigSection byPattern = v.asSection();
    Map<String, Login> logins = new LinkedHashMap<>();
    for (String pattern : byPattern.keys()) {
      logins.put(pattern, byPattern.get(pattern, null, entry -> LOGIN.read(entry.asSectionOrEmpty())));
    }
    return logins;
  }

  private static JsonObject loginsJson(Map<String, Login> logins) {
    JsonObject json = new JsonObject();
    logins.forEach((pattern, login) -> json.put(pattern, LOGIN.toJson(login)));
    return json;
  }

  private static ConfigSection section(String path, Map<String, ?> entries) {
    return new ConfigSection(path, entries);
  }

  private static ConfigException refused(ThrowingCallable read) {
    Throwable thrown = catchThrowable(read);
    assertThat(thrown).isInstanceOf(ConfigException.class);
    return (ConfigException) thrown;
  }
}
