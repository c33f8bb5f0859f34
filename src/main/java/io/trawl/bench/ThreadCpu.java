package io.trawl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where a bench run's CPU went, by stage: samples every live thread's CPU time every {@value
 * #PERIOD_MS} ms on a daemon thread of its own, and at the end sums each thread's growth into its
 * group (parse pool, store writer, the crawler's event loops, the server's, the rest). A thread that
 * ends between two samples loses at most one period of CPU. What no Java thread accounts for (GC,
 * JIT compiler threads) is reported as {@code gc+jit}.
 */
final class ThreadCpu {
  private static final long PERIOD_MS = 50;

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final Map<Long, long[]> firstAndLast = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();
  private final Thread sampler = new Thread(this::sampleUntilStopped, "trawl-bench-cpu");
  private volatile boolean stopped;
  private boolean baselineTaken;

  ThreadCpu start() {
    sample();
    sampler.setDaemon(true);
    sampler.start();
    return this;
  }

  /**
   * Stops sampling and returns CPU seconds by group, in a fixed order.
   *
   * @param serverThreads the ids of the threads that served the site
   * @param processCpuSeconds the process's CPU over the same span, for the unaccounted remainder
   */
  Map<String, Double> stop(Set<Long> serverThreads, double processCpuSeconds) throws InterruptedException {
    stopped = true;
    sampler.join();
    sample();
    Map<String, Double> groups = new LinkedHashMap<>();
    for (String group : new String[] {"parse", "store", "event loops", "server", "other threads"}) {
      groups.put(group, 0.0);
    }
    double accounted = 0;
    for (Map.Entry<Long, long[]> e : firstAndLast.entrySet()) {
      double seconds = (e.getValue()[1] - e.getValue()[0]) / 1e9;
      String group = group(names.get(e.getKey()), serverThreads.contains(e.getKey()));
      groups.merge(group, seconds, Double::sum);
      accounted += seconds;
    }
    groups.put("gc+jit", Math.max(0, processCpuSeconds - accounted));
    return groups;
  }

  private static String group(String name, boolean server) {
    if (server) {
      return "server";
    }
    if (name.startsWith("trawl-parse")) {
      return "parse";
    }
    if (name.startsWith("trawl-store")) {
      return "store";
    }
    if (name.startsWith("vert.x-eventloop")) {
      return "event loops";
    }
    return "other threads";
  }

  private void sampleUntilStopped() {
    while (!stopped) {
      try {
        Thread.sleep(PERIOD_MS); // a sampling clock on its own thread, not a wait for async work
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sample();
    }
  }

  private synchronized void sample() {
    long[] ids = threads.getAllThreadIds();
    long[] cpu = threads.getThreadCpuTime(ids);
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      if (cpu[i] < 0 || infos[i] == null || infos[i].getThreadName().equals("trawl-bench-cpu")) {
        continue;
      }
      long now = cpu[i];
      // A thread first seen after the baseline started during the run: all its CPU counts.
      long first = baselineTaken ? 0 : now;
      firstAndLast.computeIfAbsent(ids[i], id -> new long[] {first, now})[1] = now;
      names.putIfAbsent(ids[i], infos[i].getThreadName());
    }
    baselineTaken = true;
  }
}
