package io.trawl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time of the PostgreSQL server processes on this machine, for a bench run into a local
 * server: every process named {@code postgres} with its own CPU and that of its exited children
 * (the postmaster reaps the backends, so a connection that ended still counts). Linux only (reads
 * /proc); needs the right to read the server's /proc entries. The bench's main thread.
 */
final class PostgresCpu {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private PostgresCpu() {}

  /** Seconds of CPU so far, or NaN where /proc cannot tell. */
  static double seconds() {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return Double.NaN;
    }
    long ticks = 0;
    boolean found = false;
    try (Stream<Path> entries = Files.list(proc)) {
      for (Path entry : entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        long t = ticks(entry.resolve("stat"));
        if (t >= 0) {
          ticks += t;
          found = true;
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return found ? ticks / TICKS_PER_SECOND : Double.NaN;
  }

  /** utime + stime + cutime + cstime of a postgres process, or -1 for another process (or one gone). */
  private static long ticks(Path stat) {
    try {
      String line = Files.readString(stat);
      int open = line.indexOf('(');
      int close = line.lastIndexOf(')');
      if (open < 0 || close < 0 || !line.substring(open + 1, close).equals("postgres")) {
        return -1;
      }
      List<String> fields = List.of(line.substring(close + 2).split(" "));
      // After the name: state is field 3 of stat(5), so utime (14) is index 11 here.
      return Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12)) + Long.parseLong(fields.get(13))
          + Long.parseLong(fields.get(14));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
