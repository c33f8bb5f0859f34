package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which database the reading commands open from {@code -c}: a config of a real small crawl's
 * SQLite file, read for {@code crawl.db} and {@code crawl.db_schema} alone. {@value #UNSET} is
 * never set; {@code TRAWL_TEST_SECRET} is (pom.xml).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DbOptionsTest {
  private static final String UNSET = "TRAWL_TEST_UNSET_VARIABLE";

  @TempDir static Path dir;
  private static SmallCrawl crawl;

  @BeforeAll
  static void crawlTheSite() throws Exception {
    crawl = SmallCrawl.run(dir.resolve("crawl"));
  }

  @Test
  void readsTheDatabaseWithoutTheSecretsTheCrawlNeeds() throws Exception {
    Path config = config("secrets.yaml", """
        crawl: {db: '%s'}
        fetch: {headers: {X-Trace: "${%s}"}}
        hosts:
          shop.example.com:
            auth: {basic: {user: ann, password: "${%s}"}}
            login: {url: "https://shop.example.com/login", form: {password: "${%s}"}, success: a.logout}
        """.formatted(crawl.db, UNSET, UNSET, UNSET));

    for (List<String> command : readingCommands()) {
      SmallCrawl.Result result = SmallCrawl.execute(with(command, "-c", config.toString()));

      assertThat(result.code()).as(command + ": " + result.err()).isEqualTo(Main.OK);
      assertThat(result.err()).as(command.get(0)).doesNotContain("warning").doesNotContain(UNSET);
    }
    SmallCrawl.Result query = SmallCrawl.execute("query", "-c", config.toString(), "--csv",
        "select count(*) as n from pages");
    assertThat(query.out()).contains("5");
  }

  @Test
  void refusesAnUnsetVariableInTheDatabaseNamingItTheKeyAndTheFile() throws Exception {
    Path config = config("unset-db.yaml", """
        crawl: {db: "%s/${%s}"}
        """.formatted(dir, UNSET));

    for (List<String> command : readingCommands()) {
      SmallCrawl.Result result = SmallCrawl.execute(with(command, "-c", config.toString()));

      assertThat(result.code()).as(command.get(0)).isEqualTo(Main.BAD_INPUT);
      assertThat(result.err()).contains(config.toString()).contains("crawl.db").contains(UNSET);
    }
  }

  @Test
  void refusesAnUnsetVariableInTheSchema() throws Exception {
    Path config = config("unset-schema.yaml", """
        crawl: {db: '%s', db_schema: "${%s}"}
        """.formatted(crawl.db, UNSET));

    SmallCrawl.Result result = SmallCrawl.execute("stats", "-c", config.toString());

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.err()).contains("crawl.db_schema").contains(UNSET);
  }

  @Test
  void neverPrintsTheDatabasePassword() throws Exception {
    Path written = config("written-password.yaml", """
        crawl: {db: "postgresql://trawl:pw-written-4d2e@${%s}/trawl"}
        """.formatted(UNSET));
    Path fromVariable = config("variable-password.yaml", """
        crawl: {db: "postgresql://trawl:${TRAWL_TEST_SECRET}@127.0.0.1:1/trawl?bogus=1"}
        """);

    SmallCrawl.Result unset = SmallCrawl.execute("stats", "-c", written.toString());
    SmallCrawl.Result bad = SmallCrawl.execute("stats", "-c", fromVariable.toString());

    assertThat(unset.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(unset.err()).contains(UNSET).doesNotContain("pw-written-4d2e");
    assertThat(bad.code()).as(bad.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(bad.err()).contains("crawl.db").doesNotContain("env-secret-8c1f");
  }

  @Test
  void refusesAConfigThatIsNotYamlNamingTheFile() throws Exception {
    Path config = config("broken.yaml", "crawl:\n  db: x.db\n bad: [\n");

    SmallCrawl.Result result = SmallCrawl.execute("stats", "-c", config.toString());
    SmallCrawl.Result flags = SmallCrawl.execute("stats", "-c", config.toString(), "--db", crawl.db,
        "--db-schema", "public");

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.err()).contains(config.toString()).contains("line 3");
    assertThat(flags.code()).as("-c names a file that must be a config").isEqualTo(Main.BAD_INPUT);
  }

  @Test
  void refusesABadDatabaseValueNamingTheFileAndTheKey() throws Exception {
    Path config = config("list-db.yaml", "crawl: {db: [a, b]}\n");

    SmallCrawl.Result result = SmallCrawl.execute("stats", "-c", config.toString());

    assertThat(result.code()).isEqualTo(Main.BAD_INPUT);
    assertThat(result.err()).contains(config + ": crawl.db:");
  }

  @Test
  void warnsOfABadKeyElsewhereAndStillReads() throws Exception {
    Path config = config("typo.yaml", """
        crawl: {db: '%s'}
        fetch: {per_host_rat: 2/s}
        """.formatted(crawl.db));

    SmallCrawl.Result result = SmallCrawl.execute("stats", "-c", config.toString());

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(result.err()).contains("warning").contains(config + ": fetch.per_host_rat");
    assertThat(result.out()).contains("pages by status");
  }

  @Test
  void readsNotTheConfigsDatabaseWhenDbNamesOne() throws Exception {
    Path config = config("db-flag.yaml", """
        crawl: {db: "${%s}"}
        """.formatted(UNSET));

    SmallCrawl.Result result = SmallCrawl.execute("stats", "-c", config.toString(), "--db", crawl.db);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
  }

  private static List<List<String>> readingCommands() {
    return List.of(
        List.of("stats"),
        List.of("query", "select count(*) from pages"),
        List.of("export", "-t", "crawls", "-o", dir.resolve("crawls.jsonl").toString()),
        List.of("diff"),
        List.of("report", "-o", dir.resolve("report.html").toString()));
  }

  private static String[] with(List<String> command, String... options) {
    List<String> args = new ArrayList<>(command.subList(0, 1));
    args.addAll(List.of(options));
    args.addAll(command.subList(1, command.size()));
    return args.toArray(String[]::new);
  }

  private static Path config(String name, String yaml) throws Exception {
    return Files.writeString(dir.resolve(name), yaml);
  }
}
