package io.trawl.cli;

import io.trawl.bench.ClusterBench;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Runs {@code trawl bench --nodes N} and prints what it measured. Main thread. */
final class ClusterBenchReport {
  private ClusterBenchReport() {}

  static int run(ClusterBench.Options o, PrintWriter out, PrintWriter err) throws Exception {
    err.printf(Locale.ROOT, "bench --nodes %d: %d pages of %d bytes with %d links on %d hosts, latency %d ms, "
        + "concurrency %d per node (per host %d, rate %s), %d pair(s) of crawls: 1 node, then %d...%n", o.nodes(),
        o.pages(), o.pageBytes(), o.links(), o.hosts(), o.latencyMs(), o.concurrency(), o.perHostConcurrency(),
        o.perHostRate(), o.runs(), o.nodes());
    err.flush();
    String loadBefore = BenchCommand.loadAverage();
    ClusterBench.Report r = ClusterBench.run(o, err);
    print(r, loadBefore, out);
    boolean ok = r.single().stream().allMatch(ClusterBench.Run::allExitedOk)
        && r.cluster().stream().allMatch(ClusterBench.Run::allExitedOk);
    return ok ? Main.OK : Main.FAILED;
  }

  /** The report of a bench run; {@code loadBefore}: the load average when it began. */
  static void print(ClusterBench.Report r, String loadBefore, PrintWriter out) {
    ClusterBench.Options o = r.options();
    double bound = o.latencyMs() == 0 ? 0 : o.concurrency() * 1000.0 / o.latencyMs();
    out.printf(Locale.ROOT, "nodes: each crawl is `%s crawl` in fresh processes into %s; "
        + "1 node without --cluster, %d nodes with it%n", o.launcher(), r.database(), o.nodes());
    out.printf(Locale.ROOT, "%-5s %5s %7s %6s %8s %8s %10s %9s %9s %8s %9s %-30s%n", "pair", "nodes", "pages", "errors",
        "time s", "pages/s", "1st-last/s", "CPU ms/p", "PG ms/p", "refetch", "max share", "peak RSS MB by node");
    for (int i = 0; i < r.single().size(); i++) {
      row(out, i + 1, r.single().get(i));
      if (i < r.cluster().size()) {
        row(out, i + 1, r.cluster().get(i));
      }
    }
    List<ClusterBench.Run> single = r.single();
    List<ClusterBench.Run> cluster = r.cluster();
    double[] ratios = new double[cluster.size()];
    double[] fetchingRatios = new double[cluster.size()];
    double[] cost = new double[cluster.size()];
    for (int i = 0; i < cluster.size(); i++) {
      ratios[i] = cluster.get(i).pagesPerSecond() / single.get(i).pagesPerSecond();
      fetchingRatios[i] = cluster.get(i).fetchingPagesPerSecond() / single.get(i).fetchingPagesPerSecond();
      cost[i] = total(cluster.get(i)) - total(single.get(i));
    }
    out.printf(Locale.ROOT, "pages/s          1 node %s, %d nodes %s over the whole crawl (start to the last exit)%n",
        range(single, ClusterBench.Run::pagesPerSecond, "%.0f"), o.nodes(), range(cluster, ClusterBench.Run::pagesPerSecond, "%.0f"));
    out.printf(Locale.ROOT, "                 1 node %s, %d nodes %s from the first page stored to the last%n",
        range(single, ClusterBench.Run::fetchingPagesPerSecond, "%.0f"), o.nodes(),
        range(cluster, ClusterBench.Run::fetchingPagesPerSecond, "%.0f"));
    out.printf(Locale.ROOT, "%d nodes / 1     %s over the whole crawl, %s first page to last (pair by pair; target for 3 "
        + "nodes: 2.7)%n", o.nodes(), BenchCommand.range(ratios, "%.2f"), BenchCommand.range(fetchingRatios, "%.2f"));
    out.printf(Locale.ROOT, "balance          the busiest node stored %s of the pages (1/%d = %.0f%%): the most the "
        + "ratio can be is 1 / that share = %s%n", range(cluster, ClusterBench.Run::largestShare, "%.0f%%", 100),
        o.nodes(), 100.0 / o.nodes(), range(cluster, run -> 1 / run.largestShare(), "%.2f"));
    if (bound > 0) {
      out.printf(Locale.ROOT, "bound            concurrency / latency = %.0f pages/s a node, %.0f for %d; crawls at "
          + "%s and %s of it (first page to last)%n", bound, bound * o.nodes(), o.nodes(),
          range(single, run -> run.fetchingPagesPerSecond() / bound, "%.0f%%", 100),
          range(cluster, run -> run.fetchingPagesPerSecond() / bound / o.nodes(), "%.0f%%", 100));
    }
    out.printf(Locale.ROOT, "CPU per page     nodes (user+sys, summed): 1 node %s ms, %d nodes %s ms%n",
        range(single, ClusterBench.Run::nodesCpuMsPerPage, "%.3f"), o.nodes(),
        range(cluster, ClusterBench.Run::nodesCpuMsPerPage, "%.3f"));
    boolean pgMeasured = single.stream().noneMatch(run -> Double.isNaN(run.databaseCpuSeconds()));
    out.printf(Locale.ROOT, "                 PostgreSQL server: %s%n", !pgMeasured
        ? "not measured (not on this machine, or /proc unreadable)"
        : String.format(Locale.ROOT, "1 node %s ms, %d nodes %s ms", range(single, ClusterBench.Run::databaseCpuMsPerPage, "%.3f"),
            o.nodes(), range(cluster, ClusterBench.Run::databaseCpuMsPerPage, "%.3f")));
    out.printf(Locale.ROOT, "coordination     %s ms of CPU a page more on %d nodes than on 1 (nodes%s, pair by pair)%n",
        BenchCommand.range(cost, "%+.3f"), o.nodes(), pgMeasured ? " + PostgreSQL server" : "");
    out.printf(Locale.ROOT, "peak RSS         %s MB a node (VmHWM of each crawl process)%n",
        BenchCommand.range(r.cluster().stream().flatMap(run -> run.nodes().stream()).mapToDouble(n -> n.peakRssBytes() >> 20).toArray(),
            "%.0f"));
    for (int i = 0; i < cluster.size(); i++) {
      ClusterBench.Kill kill = cluster.get(i).kill();
      if (kill != null) {
        out.printf(Locale.ROOT, "kill (pair %d)    node %s SIGKILLed at %.1f s with %d rows in flight; a survivor took "
            + "its hosts %.1f s later; %d pages fetched twice%n", i + 1, kill.address(), kill.atSeconds(), kill.inFlight(),
            kill.movedSeconds(), cluster.get(i).refetched());
      }
    }
    out.printf(Locale.ROOT, "machine          %d cores, load average %s at the start, %s at the end%n",
        Runtime.getRuntime().availableProcessors(), loadBefore, BenchCommand.loadAverage());
    out.flush();
  }

  private static void row(PrintWriter out, int pair, ClusterBench.Run run) {
    StringBuilder rss = new StringBuilder();
    for (ClusterBench.Node node : run.nodes()) {
      rss.append(rss.length() == 0 ? "" : " ").append(node.peakRssBytes() >> 20);
      if (node.exitCode() != 0) {
        rss.append("(exit ").append(node.exitCode()).append(')');
      }
    }
    out.printf(Locale.ROOT, "%-5d %5d %7d %6d %8.1f %8.0f %10.0f %9.3f %9.3f %8d %8.0f%% %-30s%n", pair, run.nodes().size(),
        run.pages(), run.errors(), run.seconds(), run.pagesPerSecond(), run.fetchingPagesPerSecond(),
        run.nodesCpuMsPerPage(), run.databaseCpuMsPerPage(), run.refetched(), 100 * run.largestShare(), rss);
  }

  /** The nodes' and the server's CPU per page, in ms (the server's when it could be read). */
  private static double total(ClusterBench.Run run) {
    return run.nodesCpuMsPerPage() + (Double.isNaN(run.databaseCpuSeconds()) ? 0 : run.databaseCpuMsPerPage());
  }

  private static String range(List<ClusterBench.Run> runs, ToDoubleFunction<ClusterBench.Run> figure, String format) {
    return range(runs, figure, format, 1);
  }

  private static String range(List<ClusterBench.Run> runs, ToDoubleFunction<ClusterBench.Run> figure, String format,
      double scale) {
    return BenchCommand.range(runs.stream().mapToDouble(run -> scale * figure.applyAsDouble(run)).toArray(), format);
  }
}
