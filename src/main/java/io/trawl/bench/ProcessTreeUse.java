package io.trawl.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU and memory of this JVM's child processes (the browser, its renderers and helpers, started
 * and restarted during a bench run), read from {@code /proc} every {@value #PERIOD_MS} ms on a
 * daemon thread of its own: each process's CPU as last seen (a process that ends between two
 * samples loses at most one period of CPU), and the peak of the resident sets summed, with the
 * JVM's own; also the peak of their proportional sets (PSS: a page shared by n processes counts
 * 1/n in each), since the browser's processes share much of their memory and a sum of resident
 * sets counts it once per process. PSS is read every {@value #PSS_EVERY}th sample only: the kernel
 * walks each process's page tables for it (the browser's processes reserve terabytes of address
 * space), which made the sampler cost 6-7 ms of the JVM's CPU per rendered page, counted as the
 * crawler's. The processes are found by a walk of all of {@code /proc} every {@value #SCAN_EVERY}th
 * sample, and those found read in between. Also the CPU of this JVM's JIT compiler threads, read
 * from {@code /proc/self/task} at each sample (a fresh JVM compiles for seconds of CPU before its
 * hot code is optimized, which a short run spends on its first pages), and the
 * sampler's own CPU, which is the bench's and not the crawler's (so not counted in the JVM's).
 * Linux only; elsewhere it measures nothing (zeros).
 */
final class ProcessTreeUse {
  private static final long PERIOD_MS = 200;
  /** Samples between two readings of the proportional set sizes. */
  private static final int PSS_EVERY = 5;
  /**
   * Samples between two searches for the processes and JIT threads to read: a process that starts
   * and ends between two searches (1 s) is not seen; the browser's processes live for many pages.
   */
  private static final int SCAN_EVERY = 5;

  private final Map<Long, Long> ticksByPid = new HashMap<>();
  /** Each JIT compiler thread's CPU ticks: at the first sample, and as last seen. */
  private final Map<Long, long[]> jitTicksByThread = new HashMap<>();
  private final Thread sampler = new Thread(this::sampleUntilStopped, "trawl-bench-processes");
  private volatile boolean stopped;
  private volatile long samplerCpuNanos;
  private List<Long> children = List.of();
  private Set<Long> jitThreads = Set.of();
  private long peakTotalRssBytes;
  private long peakChildrenRssBytes;
  private long peakTotalPssBytes;
  private int processes;
  private long samples;

  ProcessTreeUse start() {
    sampler.setDaemon(true);
    sampler.start();
    return this;
  }

  /** Stops sampling; the figures are final from here on. */
  ProcessTreeUse stop() throws InterruptedException {
    stopped = true;
    sampler.join();
    sample();
    return this;
  }

  /** CPU seconds of the child processes seen. */
  synchronized double childCpuSeconds() {
    return ticksByPid.values().stream().mapToLong(Long::longValue).sum() / ThreadTicks.TICKS_PER_SECOND;
  }

  /** CPU seconds of this JVM's JIT compiler threads (C1 and C2) since {@link #start()}. */
  synchronized double jitCpuSeconds() {
    return jitTicksByThread.values().stream().mapToLong(t -> t[1] - t[0]).sum() / ThreadTicks.TICKS_PER_SECOND;
  }

  /** CPU seconds the sampler's own thread used: this JVM's, but the bench's rather than the crawler's. */
  double samplerCpuSeconds() {
    return samplerCpuNanos / 1e9;
  }

  /** Peak of the JVM's resident set plus its children's, summed at one sample (shared pages counted once per process). */
  synchronized long peakTotalRssBytes() {
    return peakTotalRssBytes;
  }

  /** Peak of the children's resident sets, summed at one sample. */
  synchronized long peakChildrenRssBytes() {
    return peakChildrenRssBytes;
  }

  /** Peak of the JVM's proportional set size plus its children's, summed at one sample. */
  synchronized long peakTotalPssBytes() {
    return peakTotalPssBytes;
  }

  /** Child processes seen over the run. */
  synchronized int processes() {
    return processes;
  }

  private void sampleUntilStopped() {
    var threads = ManagementFactory.getThreadMXBean();
    try {
      while (!stopped) {
        sample();
        try {
          Thread.sleep(PERIOD_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    } finally {
      // The thread is the sampler's alone since it started: all its CPU is the sampler's.
      samplerCpuNanos = Math.max(0, threads.getCurrentThreadCpuTime());
    }
  }

  private synchronized void sample() {
    boolean firstSample = samples == 0;
    long self = ProcessHandle.current().pid();
    // Finding the processes and threads to read walks all of /proc (every process's stat, every
    // thread of this JVM): done every SCAN_EVERYth sample only, the ones found read in between.
    boolean scan = samples % SCAN_EVERY == 0 || stopped;
    boolean readPss = samples++ % PSS_EVERY == 0 || stopped;
    if (scan) {
      jitThreads = jitTicks(self).keySet();
      children = ProcessHandle.current().descendants().map(ProcessHandle::pid).toList();
    }
    for (long tid : jitThreads) {
      long ticks = cpuTicks(Path.of("/proc", Long.toString(self), "task", Long.toString(tid), "stat"));
      if (ticks >= 0) {
        jitTicksByThread.computeIfAbsent(tid, t -> new long[] {firstSample ? ticks : 0, ticks})[1] = ticks;
      }
    }
    long childrenRss = 0;
    long pss = 0;
    for (long pid : children) {
      long ticks = cpuTicks(pid);
      if (ticks >= 0) {
        if (ticksByPid.put(pid, Math.max(ticks, ticksByPid.getOrDefault(pid, 0L))) == null) {
          processes++;
        }
        childrenRss += memoryBytes(pid, "status", "VmRSS:");
        pss += readPss ? memoryBytes(pid, "smaps_rollup", "Pss:") : 0;
      }
    }
    if (readPss) {
      pss += memoryBytes(self, "smaps_rollup", "Pss:");
      peakTotalPssBytes = Math.max(peakTotalPssBytes, pss);
    }
    long total = childrenRss + memoryBytes(self, "status", "VmRSS:");
    peakChildrenRssBytes = Math.max(peakChildrenRssBytes, childrenRss);
    peakTotalRssBytes = Math.max(peakTotalRssBytes, total);
  }

  /**
   * utime + stime of each JIT compiler thread of the JVM {@code pid} ({@code C1 CompilerThread0},
   * {@code C2 CompilerThread1}..., named in {@code /proc} by their first 15 characters), in clock
   * ticks by thread id; none for a process that has no such threads or is gone.
   */
  static Map<Long, Long> jitTicks(long pid) {
    Map<Long, Long> ticks = new HashMap<>();
    ThreadTicks.read(pid).forEach((tid, task) -> {
      if (task.name().startsWith("C1 CompilerThre") || task.name().startsWith("C2 CompilerThre")) {
        ticks.put(tid, task.ticks());
      }
    });
    return ticks;
  }

  /** utime + stime of {@code pid}, in clock ticks; -1 when it is gone. */
  private static long cpuTicks(long pid) {
    return cpuTicks(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /** utime + stime of the process or thread whose {@code stat} file this is, in clock ticks; -1 when it is gone. */
  private static long cpuTicks(Path statFile) {
    try {
      return ThreadTicks.ticksOf(Files.readString(statFile));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The kB figure of {@code field} in {@code /proc/<pid>/<file>}, in bytes; 0 when it is gone. */
  private static long memoryBytes(long pid, String file, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
