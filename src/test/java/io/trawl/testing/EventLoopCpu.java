package io.trawl.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Tells a blocked event loop that was busy from one that was only kept waiting. Vert.x's checker
 * measures wall-clock time, so on a 2-core VM shared with other builds a loop descheduled for a
 * few hundred milliseconds looks as blocked as one running Jsoup. This records every Vert.x
 * thread's CPU time every {@value #SAMPLE_MS} ms (a daemon thread, started with the first
 * verdict's JVM), so a warning can be judged by what the thread did during the block: it used the
 * CPU for at least the limit, or it sat in a call that waits (sleep, a lock, a future, file or
 * database I/O). Thread-safe.
 */
final class EventLoopCpu {
  /** What a blocked-thread warning turned out to be. */
  enum Verdict {
    /** The thread ran for the limit or more, or waited in a blocking call: a bug. */
    BLOCKING,
    /** The thread neither ran that long nor waited in a blocking call: the machine kept it waiting. */
    STARVED
  }

  static final long SAMPLE_MS = 20;
  private static final long REFRESH_MS = 100;
  private static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** Frames that mean the thread was waiting in a blocking call, not for a CPU. */
  private static final List<String> WAITING_FRAMES = List.of(
      "java.lang.Thread.sleep", "java.lang.Object.wait", "jdk.internal.misc.Unsafe.park", "sun.misc.Unsafe.park",
      "sun.nio.ch.FileDispatcherImpl", "sun.nio.ch.FileChannelImpl", "java.io.FileInputStream", "java.io.FileOutputStream",
      "java.io.RandomAccessFile", "sun.nio.fs.UnixNativeDispatcher", "org.sqlite.core.NativeDB",
      // A name lookup (the resolver's natives, or InetAddress asking them); not InetSocketAddress,
      // whose createUnresolved and getters every connect goes through without any I/O.
      "java.net.Inet4AddressImpl", "java.net.Inet6AddressImpl", "java.net.InetAddress.getAllByName",
      "java.net.InetAddress.getByName", "java.net.InetAddress.getLocalHost", "java.net.InetAddress$PlatformNameService",
      "java.net.InetAddress$NameServiceAddresses");

  /** A frame of a socket's read or write, which goes through the file dispatcher's natives. */
  private static final String SOCKET_IO = "sun.nio.ch.SocketDispatcher";

  /** Frames of loading, defining or spinning a class (a lambda's): file I/O once per class per JVM. */
  private static final List<String> CLASS_LOADING = List.of(
      "jdk.internal.loader.", "java.lang.ClassLoader.", "java.lang.System$2.defineClass", "java.lang.invoke.");

  /** A frame of handing a task to a thread pool's queue. */
  private static final String POOL_HAND_OFF = "java.util.concurrent.LinkedBlockingQueue.offer";

  private static final EventLoopCpu INSTANCE = new EventLoopCpu();

  private record Sample(long wallNanos, long cpuNanos) {}

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  /** Vert.x threads by name; two Vert.x instances in one JVM name their threads alike. */
  private final Map<String, List<Long>> idsByName = new HashMap<>();
  private final Map<Long, Deque<Sample>> samples = new HashMap<>();
  private boolean started;

  private EventLoopCpu() {}

  static EventLoopCpu get() {
    INSTANCE.startOnce();
    return INSTANCE;
  }

  private synchronized void startOnce() {
    if (started || !threads.isThreadCpuTimeSupported()) {
      return;
    }
    started = true;
    Thread sampler = new Thread(this::sampleForever, "trawl-test-event-loop-cpu");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sampleForever() {
    long refreshedAt = 0;
    while (true) {
      long now = System.nanoTime();
      if (now - refreshedAt > TimeUnit.MILLISECONDS.toNanos(REFRESH_MS)) {
        refreshIds();
        refreshedAt = now;
      }
      sample(now);
      try {
        Thread.sleep(SAMPLE_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void refreshIds() {
    idsByName.clear();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("vert.x-")) {
        idsByName.computeIfAbsent(info.getThreadName(), n -> new ArrayList<>()).add(info.getThreadId());
      }
    }
    Set<Long> alive = new HashSet<>();
    idsByName.values().forEach(alive::addAll);
    samples.keySet().retainAll(alive);
  }

  private synchronized void sample(long now) {
    for (List<Long> ids : idsByName.values()) {
      for (long id : ids) {
        long cpu = threads.getThreadCpuTime(id);
        if (cpu < 0) {
          continue;
        }
        Deque<Sample> history = samples.computeIfAbsent(id, k -> new ArrayDeque<>());
        history.addLast(new Sample(now, cpu));
        while (now - history.peekFirst().wallNanos() > KEEP_NANOS) {
          history.removeFirst();
        }
      }
    }
  }

  /**
   * The verdict on a warning that {@code threadName} has been blocked for {@code blockedMs} (as of
   * now), at {@code limitMs}, with the thread's topmost {@code frames} as the checker saw them.
   * When the thread cannot be found, the warning counts as blocking.
   */
  synchronized Verdict judge(String threadName, long blockedMs, long limitMs, List<String> frames) {
    if (waits(frames)) {
      return Verdict.BLOCKING;
    }
    long cpuMs = cpuMsDuring(threadName, blockedMs);
    return cpuMs < 0 || cpuMs >= limitMs ? Verdict.BLOCKING : Verdict.STARVED;
  }

  /**
   * At most the CPU time {@code threadName} used since its block began: since the sample taken
   * just before (up to {@value #SAMPLE_MS} ms of earlier work included), or, for a thread first
   * seen after the block began (a new Vert.x starts its loops as they get work), its whole CPU
   * time; of several threads so named, the most. -1 when no such thread is known.
   */
  synchronized long cpuMsDuring(String threadName, long blockedMs) {
    long blockBegan = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(blockedMs);
    long most = -1;
    for (long id : namedOrFound(threadName)) {
      long cpuNow = threads.getThreadCpuTime(id);
      if (cpuNow < 0) {
        continue;
      }
      long since = 0;
      for (Sample s : samples.getOrDefault(id, new ArrayDeque<>())) {
        if (s.wallNanos() <= blockBegan) {
          since = s.cpuNanos();
        }
      }
      most = Math.max(most, TimeUnit.NANOSECONDS.toMillis(cpuNow - since));
    }
    return most;
  }

  /** The ids of the threads named so, looked up again if the sampler has not seen one yet. */
  private List<Long> namedOrFound(String threadName) {
    if (!idsByName.containsKey(threadName)) {
      refreshIds();
    }
    return idsByName.getOrDefault(threadName, List.of());
  }

  /** Whether the topmost {@code frames} show the thread waiting in a blocking call (not one that only looks like it). */
  static boolean waits(List<String> frames) {
    if (handsOffToAPool(frames) || writesToASocket(frames) || loadsAClass(frames)) {
      return false;
    }
    // The topmost frames: where the thread is now, not what called it.
    return frames.stream().limit(3).anyMatch(frame -> WAITING_FRAMES.stream().anyMatch(frame::startsWith));
  }

  /**
   * Whether the thread is in a non-blocking socket read or write (Netty's channels are), which
   * shows {@code FileDispatcherImpl} on top like file I/O but returns at once: judged by its CPU.
   */
  private static boolean writesToASocket(List<String> frames) {
    return frames.stream().limit(4).anyMatch(frame -> frame.startsWith(SOCKET_IO));
  }

  /**
   * Whether the thread is loading a class its code touches for the first time: the JVM reads the
   * class file (from the page cache, as a rule) on whatever thread needs it, and no code can move
   * that off an event loop. On a machine under load that read waits for a CPU like anything else,
   * so it is judged by the thread's CPU; code that reads files itself still shows its own frames.
   */
  private static boolean loadsAClass(List<String> frames) {
    return frames.stream().limit(8).anyMatch(EventLoopCpu::isClassLoading)
        || frames.stream().dropWhile(EventLoopCpu::readsAFile).findFirst().filter(EventLoopCpu::isClassLoading).isPresent();
  }

  /**
   * A frame of the JDK reading a file or a jar's entry. A class read from a jar shows eight or more
   * of them (RandomAccessFile, ZipFile, InflaterInputStream) above the class loader's first frame.
   */
  private static boolean readsAFile(String frame) {
    return frame.startsWith("java.io.") || frame.startsWith("java.util.zip.");
  }

  private static boolean isClassLoading(String frame) {
    return CLASS_LOADING.stream().anyMatch(frame::startsWith);
  }

  /**
   * Whether the thread is parked on a worker pool's queue lock while handing it a task (what
   * {@code executeBlocking} does by design): that lock is held for a few instructions at a time,
   * so waiting on it means the holder was descheduled, which the CPU check judges like any other.
   */
  private static boolean handsOffToAPool(List<String> frames) {
    return frames.stream().limit(12).anyMatch(frame -> frame.startsWith(POOL_HAND_OFF));
  }
}
