package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bench.ClusterBench;
import io.trawl.testing.Db;
import io.trawl.testing.EmbeddedPg;
import io.trawl.testing.TestLauncher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code trawl bench --nodes 2} for real on a small site: one crawl process, then two cluster
 * nodes joined by Hazelcast on 127.0.0.1, into the tests' embedded PostgreSQL. What it reports must
 * add up (every page stored once, by both nodes, no page fetched twice, every figure there and
 * positive); no timing is asserted.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterBenchReportTest {
  private static final int PAGES = 300;

  @Test
  void crawlsOnOneNodeThenOnTwoAndEveryFigureAddsUp(@TempDir Path dir) throws Exception {
    String db = EmbeddedPg.freshDatabase();
    ClusterBench.Options options = new ClusterBench.Options(PAGES, 4096, 10, 20, 16, 8, 8, "1000000/s", 2, 1,
        TestLauncher.in(dir), db, false, List.of("crawl.progress_interval=1s"));

    ClusterBench.Report report = ClusterBench.run(options, new PrintWriter(new StringWriter()));

    assertThat(report.single()).hasSize(1);
    assertThat(report.cluster()).hasSize(1);
    ClusterBench.Run single = report.single().get(0);
    ClusterBench.Run cluster = report.cluster().get(0);
    for (ClusterBench.Run run : List.of(single, cluster)) {
      assertThat(run.allExitedOk()).as("every node ended with exit 0: %s", run.nodes()).isTrue();
      assertThat(run.pages()).as("pages stored").isEqualTo(PAGES);
      assertThat(run.errors()).isZero();
      assertThat(run.refetched()).as("pages requested twice").isZero();
      assertThat(run.nodes().stream().mapToLong(ClusterBench.Node::pages).sum()).as("pages by node").isEqualTo(PAGES);
      assertThat(run.seconds()).isPositive().isGreaterThanOrEqualTo(run.fetchingSeconds());
      assertThat(run.fetchingSeconds()).isPositive();
      assertThat(run.nodesCpuMsPerPage()).isNotNaN().isPositive();
      assertThat(run.databaseCpuSeconds()).as("the embedded server's CPU, read from /proc").isNotNaN().isPositive();
      assertThat(run.nodes()).allSatisfy(node -> {
        assertThat(node.cpuSeconds()).isPositive();
        assertThat(node.peakRssBytes()).isPositive();
      });
    }
    assertThat(single.nodes()).hasSize(1);
    assertThat(cluster.nodes()).hasSize(2).allSatisfy(node -> assertThat(node.pages()).as(node.address()).isPositive());
    assertThat(cluster.largestShare()).isBetween(0.5, 1.0);
    assertThat(cluster.kill()).isNull();
    assertThat(Db.count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'trawl_bench'")).as("tables dropped").isZero();

    StringWriter out = new StringWriter();
    ClusterBenchReport.print(report, "0 0 0", new PrintWriter(out));
    for (String figure : new String[] {"2 nodes / 1 ", "first page to last", "balance ", "bound ", "CPU per page ",
        "PostgreSQL server: 1 node ", "coordination ", "peak RSS ", "machine "}) {
      assertThat(out.toString()).contains(figure);
    }
  }

  @Test
  void refusesNodesWithoutAPostgresqlDatabaseNamingDbWithExitTwo() {
    for (String[] args : new String[][] {{"bench", "--nodes", "3"}, {"bench", "--nodes", "3", "--db", "crawl.db"}}) {
      StringWriter err = new StringWriter();
      int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
          .execute(args);

      assertThat(code).isEqualTo(Main.BAD_INPUT);
      assertThat(err.toString()).contains("--db");
    }
  }
}
