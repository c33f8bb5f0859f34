package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import io.trawl.testing.TestLauncher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code trawl bench} on a small site: it crawls all of it and reports every figure. No timing is asserted. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchCommandTest {
  @Test
  void crawlsTheWholeGeneratedSiteAndReportsEveryFigure() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "--pages", "300", "--page-size", "4KB", "--links", "10", "--latency", "5ms",
            "--concurrency", "16", "--runs", "1");

    assertThat(code).as(err.toString()).isEqualTo(Main.OK);
    String report = out.toString();
    assertThat(report).contains("pages            300 (0 errors)");
    for (String figure : new String[] {"pages/s", "MB/s", "fetch latency", "CPU by stage", "parse ", "store ",
        "event loops ", "server ", "gc+jit ", "peak heap", "peak RSS", "parse-only", "concurrency / latency", "machine"}) {
      assertThat(report).contains(figure);
    }
    Matcher time = Pattern.compile("time +([0-9.]+) s \\(([0-9.]+) s from the first response to the last").matcher(report);
    assertThat(time.find()).as(report).isTrue();
    assertThat(Double.parseDouble(time.group(2))).isPositive().isLessThanOrEqualTo(Double.parseDouble(time.group(1)));
  }

  @Test
  void crawlsIntoPostgresqlRunForRunAndComparesWithSqlite() {
    String db = EmbeddedPg.freshDatabase();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "--pages", "300", "--page-size", "4KB", "--links", "10", "--concurrency", "16", "--runs", "2",
            "--db", db);

    assertThat(code).as(err.toString()).isEqualTo(Main.OK);
    String report = out.toString();
    String postgres = report.substring(report.indexOf("postgresql       "));
    assertThat(report.substring(0, report.indexOf("postgresql       "))).contains("pages            300 (0 errors)");
    assertThat(postgres).contains("pages            300 (0 errors)").contains("% of SQLite's").contains("run 1 ")
        .contains("CPU by stage");
    assertThat(Db.count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'trawl_bench'")).as("tables dropped").isZero();
  }

  @Test
  void coldRunsEachCrawlAsAFreshProcessAgainstASiteProcessAndReportsEveryFigure(@TempDir Path dir) throws Exception {
    Path launcher = TestLauncher.in(dir);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "--cold", "--pages", "300", "--page-size", "4KB", "--links", "10", "--runs", "2",
            "--window", "100", "--latency", "10ms", "--launcher", launcher.toString());

    assertThat(code).as(err.toString()).isEqualTo(Main.OK);
    String report = out.toString();
    Matcher run = Pattern.compile("(?m)^([12]) +(\\d+) +(\\d+) ").matcher(report);
    int runs = 0;
    while (run.find()) {
      assertThat(run.group(2) + " pages, " + run.group(3) + " errors").as(report).isEqualTo("300 pages, 0 errors");
      runs++;
    }
    assertThat(runs).as(report).isEqualTo(2);
    for (String figure : new String[] {"pages/s ", "CPU ", "ms a page", "peak RSS ", "DB bytes/page", "link_ids ",
        "urls ", "timeline (run 2)", "bound ", "schedule ", "machine "}) {
      assertThat(report).contains(figure);
    }
  }

  @Test
  void refusesANonsenseFlagWithExitTwo() {
    int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(new StringWriter()))
        .execute("bench", "--page-size", "big");

    assertThat(code).isEqualTo(Main.BAD_INPUT);
  }

  @Test
  void refusesRenderWithTheFlagsOnlyThePlainBenchHasWithExitTwo() {
    for (String flag : new String[] {"--metrics", "--keep-db=x.db", "--db=postgresql://127.0.0.1:1/x"}) {
      StringWriter err = new StringWriter();
      int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
          .execute("bench", "--render", "--pages", "1", flag);

      assertThat(code).as(flag).isEqualTo(Main.BAD_INPUT);
    }
  }

  @Test
  void refusesAnOptionTheChosenBenchWouldIgnoreNamingItWithExitTwo() {
    String[][] cases = {
        {"--cold", "--db=postgresql://127.0.0.1:1/x"},
        {"--cold", "--metrics"},
        {"--cold", "--parse-threads=2"},
        {"--window=10"},
        {"--launcher=/bin/true"},
        {"--nodes=2", "--metrics"},
        {"--kill", "--recrawl=10"},
        {"--render", "--hosts=4"}};
    for (String[] flags : cases) {
      String refused = flags[flags.length - 1].replaceAll("=.*", "");
      StringWriter err = new StringWriter();
      List<String> args = new ArrayList<>(List.of("bench", "--pages", "1"));
      args.addAll(List.of(flags));
      int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
          .execute(args.toArray(String[]::new));

      assertThat(code).as(String.join(" ", flags)).isEqualTo(Main.BAD_INPUT);
      assertThat(err.toString()).as(String.join(" ", flags)).contains(refused + " does not apply to");
    }
  }

  @Test
  void refusesTwoBenchesAtOnce() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
        .execute("bench", "--cold", "--render");

    assertThat(code).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("--cold and --render are different benches");
  }
}
