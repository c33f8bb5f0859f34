package io.trawl.cli;

import io.trawl.bus.Addresses;
import io.trawl.bus.Progress;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a crawl's progress: a live line on a terminal, a log line every
 * {@code crawl.progress_interval} otherwise, and the summary at the end.
 */
final class ProgressPrinter {
  private static final Logger log = LoggerFactory.getLogger(ProgressPrinter.class);

  private final PrintWriter out;
  private final boolean terminal = System.console() != null;
  private final long intervalMs;
  private final MessageConsumer<Progress> consumer;
  private long lastLogMs;
  private long lastStored;
  private long lastAtMs;

  ProgressPrinter(Vertx vertx, PrintWriter out, Duration interval) {
    this.out = out;
    this.intervalMs = interval.toMillis();
    this.consumer = vertx.eventBus().localConsumer(Addresses.PROGRESS, msg -> show(msg.body()));
  }

  private void show(Progress p) {
    long now = System.currentTimeMillis();
    double recent = lastAtMs == 0 ? p.pagesPerSecond() : (p.stored() - lastStored) * 1000.0 / Math.max(1, now - lastAtMs);
    lastStored = p.stored();
    lastAtMs = now;
    String line = String.format(Locale.ROOT, "pages %d  %.1f pages/s  queued %d  in flight %d  errors %d  hosts %d",
        p.stored(), recent, p.queued(), p.inFlight(), p.failed(), p.hosts());
    if (terminal) {
      out.print("\r" + line + "   ");
      out.flush();
    } else if (now - lastLogMs >= intervalMs) {
      lastLogMs = now;
      log.info("progress {}", line);
    }
  }

  void summary(Progress p, long linksDropped, String db) {
    if (terminal) {
      out.println();
    }
    out.printf(Locale.ROOT, "%s: %d pages stored (%d with errors) in %.1fs, %.1f pages/s, %d hosts; %d still queued%n",
        p.stopReason() == null ? "done" : p.stopReason(), p.stored(), p.failed(), p.elapsedMs() / 1000.0,
        p.pagesPerSecond(), p.hosts(), p.queued());
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
  }
}
