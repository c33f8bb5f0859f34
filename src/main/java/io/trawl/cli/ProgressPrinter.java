package io.trawl.cli;

import io.trawl.bus.Addresses;
import io.trawl.bus.ClusterProgress;
import io.trawl.bus.Progress;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a crawl's progress: a live line on a terminal, a log line every
 * {@code crawl.progress_interval} otherwise, and the summary at the end. On a node of a cluster
 * crawl the line also shows the cluster's totals and this node's share of its pages.
 */
final class ProgressPrinter {
  private static final Logger log = LoggerFactory.getLogger(ProgressPrinter.class);

  private final PrintWriter out;
  private final boolean terminal = stderrIsTerminal();
  private final long intervalMs;
  private final MessageConsumer<Progress> consumer;
  private final MessageConsumer<ClusterProgress> clusterConsumer;
  private long lastLogMs;
  private long lastStored;
  private long lastAtMs;
  private ClusterProgress cluster;
  private long lastClusterStored;
  private long lastClusterAtMs;
  private double clusterRecent;

  ProgressPrinter(Vertx vertx, PrintWriter out, Duration interval) {
    this.out = out;
    this.intervalMs = interval.toMillis();
    this.consumer = vertx.eventBus().localConsumer(Addresses.PROGRESS, msg -> show(msg.body()));
    this.clusterConsumer = vertx.eventBus().localConsumer(Addresses.CLUSTER_TOTALS, msg -> cluster(msg.body()));
  }

  private void cluster(ClusterProgress totals) {
    long now = System.currentTimeMillis();
    if (lastClusterAtMs > 0) {
      clusterRecent = (totals.stored() - lastClusterStored) * 1000.0 / Math.max(1, now - lastClusterAtMs);
    }
    lastClusterStored = totals.stored();
    lastClusterAtMs = now;
    cluster = totals;
  }

  private void show(Progress p) {
    long now = System.currentTimeMillis();
    double recent = lastAtMs == 0 ? p.pagesPerSecond() : (p.stored() - lastStored) * 1000.0 / Math.max(1, now - lastAtMs);
    lastStored = p.stored();
    lastAtMs = now;
    String line = line(p, recent, cluster, clusterRecent);
    if (terminal) {
      out.print("\r" + line + "   ");
      out.flush();
    } else if (now - lastLogMs >= intervalMs) {
      lastLogMs = now;
      log.info("progress {}", line);
    }
  }

  /**
   * Whether standard error, where the line goes, is a terminal. {@code System.console()} answers
   * for standard input and output instead (and on Java 22 and later is there even without a
   * terminal), so {@code ./trawl crawl 2>crawl.log} filled the log with carriage returns. Asked in
   * turn: what the launcher saw ({@code -Dtrawl.stderr.tty}, from {@code [ -t 2 ]}), what Linux says
   * file descriptor 2 is, then the console.
   */
  static boolean stderrIsTerminal() {
    String told = System.getProperty("trawl.stderr.tty");
    if (told != null) {
      return Boolean.parseBoolean(told);
    }
    try {
      return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /** Whether a file descriptor's target ({@code /proc/self/fd/N}'s link) is a terminal device. */
  static boolean isTerminalDevice(String target) {
    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
  }

  /**
   * The progress line: this crawl's (this node's) figures, then, on a node of a cluster crawl, the
   * cluster's and this node's share of its pages.
   */
  static String line(Progress p, double pagesPerSecond, ClusterProgress cluster, double clusterPagesPerSecond) {
    String line = String.format(Locale.ROOT, "pages %d  %.1f pages/s  queued %d  in flight %d  errors %d  hosts %d",
        p.stored(), pagesPerSecond, p.queued(), p.inFlight(), p.failed(), p.hosts());
    if (cluster == null) {
      return line;
    }
    return line + String.format(Locale.ROOT,
        "  | cluster: pages %d (this node %.0f%%)  %.1f pages/s  queued %d  in flight %d  errors %d  nodes %d",
        cluster.stored(), cluster.ownPercent(), clusterPagesPerSecond, cluster.queued(), cluster.inFlight(),
        cluster.failed(), cluster.nodes());
  }

  void summary(Progress p, long linksDropped, String db) {
    if (terminal) {
      out.println();
    }
    out.printf(Locale.ROOT, "%s: %d pages stored (%d with errors) in %.1fs, %.1f pages/s, %d hosts; %d still queued%s%n",
        p.stopReason() == null ? "done" : p.stopReason(), p.stored(), p.failed(), p.elapsedMs() / 1000.0,
        p.pagesPerSecond(), p.hosts(), p.queued(),
        p.inFlight() > 0 ? ", " + p.inFlight() + " left in flight for --resume" : "");
    if (cluster != null) {
      out.printf(Locale.ROOT, "cluster: %d pages stored so far (this node %.0f%%); %d other nodes running at the last report%n",
          cluster.stored(), cluster.ownPercent(), cluster.nodes() - 1);
    }
    if (linksDropped > 0) {
      out.printf(Locale.ROOT, "%d links dropped: past parse.max_links_per_page on their page, or longer than "
          + "fetch.max_url_length%n", linksDropped);
    }
    out.printf(Locale.ROOT, "peak heap %d MB; results in %s; try: ./trawl stats --db %s%n", peakHeapBytes() >> 20, db, db);
    out.flush();
  }

  /** The most heap the JVM has held in use so far (all heap pools' peaks). */
  static long peakHeapBytes() {
    long peak = 0;
    for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  void close() {
    consumer.unregister();
    clusterConsumer.unregister();
  }
}
