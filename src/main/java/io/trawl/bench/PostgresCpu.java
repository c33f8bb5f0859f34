package io.trawl.bench;

import io.trawl.store.StoreBackend;
import io.trawl.store.StoreReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the PostgreSQL server a bench crawled into, when it runs on this machine: its
 * postmaster's own CPU and that of its exited children (the postmaster reaps the backends, so a
 * connection that ended still counts), plus its live children's. Other servers on the machine (a
 * test's embedded one, a second cluster) are not counted: the server is the parent of the backend
 * that answers {@code pg_backend_pid()} on the crawl's database. Linux only (reads /proc); needs the
 * right to read the server's /proc entries. The bench's main thread.
 */
final class PostgresCpu {
  /** Every {@code postgres} process seen at one moment: pid to its parent's pid and its CPU ticks. */
  record Snapshot(Map<Long, long[]> processes) {}

  private PostgresCpu() {}

  /** The {@code postgres} processes now; empty where /proc cannot tell. */
  static Snapshot snapshot() {
    Map<Long, long[]> processes = new HashMap<>();
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return new Snapshot(processes);
    }
    try (Stream<Path> entries = Files.list(proc)) {
      for (Path entry : entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        long[] parentAndTicks = read(entry.resolve("stat"));
        if (parentAndTicks != null) {
          processes.put(Long.parseLong(entry.getFileName().toString()), parentAndTicks);
        }
      }
    } catch (IOException e) {
      processes.clear();
    }
    return new Snapshot(processes);
  }

  /**
   * Seconds of CPU the server behind {@code store} used between two snapshots, or NaN where it
   * cannot be told: the server is not on this machine, /proc is unreadable, or the store has no
   * tables yet (asked after the crawl, so it has).
   */
  static double between(Snapshot before, Snapshot after, StoreBackend store) {
    long postmaster = postmasterOf(store, after);
    if (postmaster < 0 || !before.processes().containsKey(postmaster)) {
      return Double.NaN;
    }
    return (ticksOf(after, postmaster) - ticksOf(before, postmaster)) / ThreadTicks.TICKS_PER_SECOND;
  }

  private static long ticksOf(Snapshot snapshot, long postmaster) {
    long ticks = 0;
    for (Map.Entry<Long, long[]> process : snapshot.processes().entrySet()) {
      if (process.getKey() == postmaster || process.getValue()[0] == postmaster) {
        ticks += process.getValue()[1];
      }
    }
    return ticks;
  }

  /** The pid of the postmaster serving {@code store}, if it is a local process; -1 if not. */
  private static long postmasterOf(StoreBackend store, Snapshot local) {
    long[] process;
    try (StoreReader reader = store.openReader(); ResultSet rs = reader.query("SELECT pg_backend_pid()")) {
      // Read while the connection is open: its backend ends with it. A remote server's backend pid
      // may name an unrelated local process: both it and its parent must be postgres processes here.
      process = rs.next() ? read(Path.of("/proc", String.valueOf(rs.getLong(1)), "stat")) : null;
    } catch (Exception e) {
      return -1;
    }
    if (process == null || !local.processes().containsKey(process[0])) {
      return -1;
    }
    return process[0];
  }

  /** {parent pid, utime + stime + cutime + cstime} of a postgres process, or null for another (or one gone). */
  private static long[] read(Path stat) {
    try {
      String line = Files.readString(stat);
      int open = line.indexOf('(');
      int close = line.lastIndexOf(')');
      if (open < 0 || close < 0 || !line.substring(open + 1, close).equals("postgres")) {
        return null;
      }
      List<String> fields = List.of(line.substring(close + 2).split(" "));
      // After the name: state is field 3 of stat(5), so ppid (4) is index 1 and utime (14) index 11.
      long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12)) + Long.parseLong(fields.get(13))
          + Long.parseLong(fields.get(14));
      return new long[] {Long.parseLong(fields.get(1)), ticks};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
