package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's config table against the one declaration of the keys, {@link ConfigKeys}. */
class ConfigKeysTest {
  private static final Path README = Path.of("README.md");
  private static final String HEADER = "| key | default | meaning |";
  private static final Pattern ROW = Pattern.compile("\\| `([^`]+)` \\| `([^`]*)` \\| (.*) \\|");

  @Test
  void readmeNamesNoKeyThatDoesNotExist() throws IOException {
    Set<String> declared = declaredRows().keySet();

    List<String> unknown = readmeRows().keySet().stream().filter(key -> !declared.contains(key)).toList();

    assertThat(unknown).as("README config rows naming no declared key").isEmpty();
  }

  @Test
  void readmeGivesEveryDeclaredKeyWithItsDefault() throws IOException {
    Map<String, KeyTable.Row> readme = readmeRows();
    List<String> wrong = new ArrayList<>();

    declaredRows().forEach((key, row) -> {
      KeyTable.Row documented = readme.get(key);
      if (documented == null) {
        wrong.add(key + " is missing; add: " + markdown(row));
      } else if (!documented.fallback().equals(row.fallback())) {
        wrong.add(key + " has the default `" + documented.fallback() + "`, declared `" + row.fallback() + "`");
      }
    });

    assertThat(wrong).as("README config rows against ConfigKeys").isEmpty();
  }

  @Test
  void readmeGivesEachKeyItsDeclaredMeaningInDeclarationOrder() throws IOException {
    List<String> declared = declaredRows().values().stream().map(ConfigKeysTest::markdown).toList();

    assertThat(readmeRows().values().stream().map(ConfigKeysTest::markdown).toList())
        .as("README config rows (expected: as ConfigKeys declares them)")
        .containsExactlyElementsOf(declared);
  }

  @Test
  void defaultsPrintedForTheReadmeAreTheConfigSpellings() {
    Map<String, KeyTable.Row> rows = declaredRows();

    assertThat(rows.get("fetch.per_host_rate").fallback()).isEqualTo("1/s");
    assertThat(rows.get("fetch.max_body_size").fallback()).isEqualTo("10MB");
    assertThat(rows.get("crawl.max_duration").fallback()).isEqualTo("0");
    assertThat(rows.get("retry.statuses").fallback()).isEqualTo("[429, 500, 502, 503, 504]");
    assertThat(rows.get("retry.multiplier").fallback()).isEqualTo("2.0");
    assertThat(rows.get("rules").fallback()).isEqualTo("[]");
  }

  private static Map<String, KeyTable.Row> declaredRows() {
    Map<String, KeyTable.Row> rows = new LinkedHashMap<>();
    ConfigKeys.ROOT.rows("").forEach(row -> rows.put(row.keyPath(), row));
    return rows;
  }

  /** The rows of the README's config table, by key, in README order. */
  private static Map<String, KeyTable.Row> readmeRows() throws IOException {
    List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
    int header = lines.indexOf(HEADER);
    assertThat(header).as("README.md has the config table, headed %s", HEADER).isNotNegative();
    Map<String, KeyTable.Row> rows = new LinkedHashMap<>();
    for (String line : lines.subList(header + 2, lines.size())) {
      if (!line.startsWith("|")) {
        break;
      }
      Matcher row = ROW.matcher(line);
      if (!row.matches()) {
        fail("README config row not of the form | `key` | `default` | meaning |: " + line);
      }
      KeyTable.Row previous = rows.put(row.group(1), new KeyTable.Row(row.group(1), row.group(2), row.group(3)));
      assertThat(previous).as("README rows for %s", row.group(1)).isNull();
    }
    return rows;
  }

  private static String markdown(KeyTable.Row row) {
    return "| `" + row.keyPath() + "` | `" + row.fallback() + "` | " + row.meaning() + " |";
  }
}
