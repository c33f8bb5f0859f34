package io.trawl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU of another process's threads, by group, from {@code /proc/<pid>/task/<tid>/stat}: each
 * thread's utime + stime as last seen (a thread that ends between two readings loses at most the
 * CPU since the last), grouped by its name as /proc gives it (its first 15 characters). This is
 * how {@code bench --cold} tells what a fresh crawl process spends its CPU on: the JIT compilers
 * (their threads are not Java threads, so JFR's and the JVM's own thread accounts miss them), the
 * store's writer, the event loops, the parse pool, GC. Linux only; elsewhere it reads nothing.
 */
final class ThreadTicks {
  /** The groups, in the order they are reported. */
  static final String[] GROUPS = {"C2 compiler", "C1 compiler", "store writer", "event loops", "parse", "GC", "other"};
  /** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on every Linux trawl runs on. The bench's one figure of it. */
  static final double TICKS_PER_SECOND = 100;

  /** One thread as read: its name in /proc and its CPU so far. */
  record Task(String name, long ticks) {}

  private final Map<Long, Task> lastSeen = new HashMap<>();

  /** Each thread of {@code pid} now, by thread id; none for a process that is gone. */
  static Map<Long, Task> read(long pid) {
    Map<Long, Task> tasks = new HashMap<>();
    try (var dir = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : dir) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          tasks.put(Long.parseLong(task.getFileName().toString()),
              new Task(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticksOf(stat)));
        } catch (IOException | RuntimeException e) {
          // The thread ended between the listing and the read.
        }
      }
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return tasks;
  }

  /** utime + stime in a {@code stat} file's text, in clock ticks. */
  static long ticksOf(String stat) {
    // The command (field 2) may hold spaces; the fields after its closing parenthesis do not.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** Reads {@code pid}'s threads and keeps each one's latest figure. */
  void sample(long pid) {
    lastSeen.putAll(read(pid));
  }

  /** CPU seconds by group, every group present, in {@link #GROUPS}' order. */
  Map<String, Double> secondsByGroup() {
    Map<String, Double> groups = new LinkedHashMap<>();
    for (String group : GROUPS) {
      groups.put(group, 0.0);
    }
    for (Task task : lastSeen.values()) {
      groups.merge(group(task.name()), task.ticks() / TICKS_PER_SECOND, Double::sum);
    }
    return groups;
  }

  /** The group of a thread named {@code name} in /proc (HotSpot's and trawl's thread names, cut to 15 characters). */
  static String group(String name) {
    if (name.startsWith("C2 CompilerThre")) {
      return "C2 compiler";
    } else if (name.startsWith("C1 CompilerThre")) {
      return "C1 compiler";
    } else if (name.startsWith("trawl-store-")) {
      return "store writer";
    } else if (name.startsWith("vert.x-eventloo")) {
      return "event loops";
    } else if (name.startsWith("trawl-parse")) {
      return "parse";
    } else if (name.equals("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ")) {
      return "GC";
    }
    return "other";
  }
}
