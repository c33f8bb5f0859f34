package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.trawl.testing.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code trawl stats} after a real small crawl, on both backends: three pages, a 404 and a refused
 * connection. Figures, not layout.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatsCommandTest {
  @TempDir static Path dir;
  private static SmallCrawl crawl;
  @Parameter TestBackend backend;

  @BeforeParameterizedClassInvocation
  static void crawlTheSite(TestBackend backend) throws Exception {
    crawl = SmallCrawl.run(backend, dir.resolve(backend.name()));
  }

  @Test
  void showsPagesByStatusAndByErrorTopHostsAndTheCrawlHistory() {
    SmallCrawl.Result result = SmallCrawl.execute("stats", "--db", crawl.db);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    String out = result.out();
    assertThat(section(out, "pages by status")).anyMatch(line -> cells(line).equals(List.of("200", "3")))
        .anyMatch(line -> cells(line).equals(List.of("404", "1")))
        .anyMatch(line -> cells(line).equals(List.of("none", "1")));
    assertThat(section(out, "pages by error")).anyMatch(line -> cells(line).equals(List.of("http_404", "1")))
        .anyMatch(line -> cells(line).equals(List.of("connect", "1")));
    assertThat(section(out, "top hosts"))
        .anyMatch(line -> cells(line).subList(0, 3).equals(List.of(hostOf(crawl.home), "4", "1")))
        .anyMatch(line -> cells(line).subList(0, 3).equals(List.of(hostOf(crawl.refused), "1", "1")));
    assertThat(section(out, "crawls")).anyMatch(line -> cells(line).get(0).equals("1")
        && cells(line).contains("finished") && cells(line).contains("5"));
    assertThat(section(out, "totals")).anyMatch(line -> cells(line).subList(0, 3).equals(List.of("5", "5", "3")));
    assertThat(section(out, "downloads")).anyMatch(line -> cells(line).subList(0, 3).equals(List.of("0", "0", "0")));
  }

  @Test
  void listsOnlyAsManyHostsAsTop() {
    SmallCrawl.Result result = SmallCrawl.execute("stats", "--db", crawl.db, "--top", "1");

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(section(result.out(), "top hosts")).hasSize(1).allMatch(line -> line.startsWith(hostOf(crawl.home)));
  }

  @Test
  void showsAutothrottlesPaceOfEachHostSlowestFirstOnlyWhenACrawlHadIt() throws Exception {
    String db = crawl.copyWith(dir.resolve("paced.db"), "UPDATE crawls SET stats = ? WHERE id = 1", """
        {"stored": 5, "hostPace": {"fast.example:80": {"perSecond": 9.5, "configuredPerSecond": 10.0, "slowdowns": 1},
                                   "slow.example:80": {"perSecond": 0.25, "configuredPerSecond": 10.0, "slowdowns": 6}}}""");

    SmallCrawl.Result paced = SmallCrawl.execute("stats", "--db", db);
    SmallCrawl.Result plain = SmallCrawl.execute("stats", "--db", crawl.db);

    assertThat(paced.code()).as(paced.err()).isEqualTo(Main.OK);
    assertThat(section(paced.out(), "host pace")).extracting(line -> cells(line))
        .containsExactly(List.of("slow.example:80", "0.25", "10.0", "6"), List.of("fast.example:80", "9.5", "10.0", "1"));
    assertThat(plain.out()).doesNotContain("== host pace");
  }

  @Test
  void refusesAMissingDatabaseWithExitTwo() {
    String none = backend == TestBackend.SQLITE ? dir.resolve("none.db").toString() : backend.freshDatabase(dir);

    SmallCrawl.Result result = SmallCrawl.execute("stats", "--db", none);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.BAD_INPUT);
  }

  @Test
  void showsControlCharactersOfPageTextVisibly() throws Exception {
    String db = crawl.copyWith(dir.resolve("hostile.db"),
        "insert into pages (url, depth, fetched_at, elapsed_ms, bytes, attempts, error) values (?, 0, '2026-01-01T00:00:00Z', 1, 1, 1, ?)",
        "http://evil\u001b]0;owned\u0007.example/", "http_\u001b[2J");

    SmallCrawl.Result result = SmallCrawl.execute("stats", "--db", db);

    assertThat(result.code()).as(result.err()).isEqualTo(Main.OK);
    assertThat(result.out().replace("\n", "")).doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f]");
    assertThat(section(result.out(), "pages by error")).anyMatch(line -> cells(line).equals(List.of("http_\u241b[2J", "1")));
  }

  /** The data lines of the section titled {@code == title}: after its header and dashes, up to the blank line. */
  private static List<String> section(String out, String title) {
    List<String> lines = out.lines().toList();
    int start = lines.indexOf("== " + title);
    assertThat(start).as("section %s in%n%s", title, out).isNotNegative();
    List<String> rest = lines.subList(start + 3, lines.size());
    int end = rest.indexOf("");
    return end < 0 ? rest : rest.subList(0, end);
  }

  private static List<String> cells(String line) {
    return List.of(line.trim().split("\\s{2,}"));
  }

  private static String hostOf(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + ":" + uri.getPort();
  }
}
