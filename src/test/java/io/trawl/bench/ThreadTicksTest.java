package io.trawl.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadTicksTest {
  @Test
  void groupsHotSpotsAndTrawlsThreadsByTheirNamesInProc() {
    assertThat(ThreadTicks.group("C2 CompilerThre")).isEqualTo("C2 compiler");
    assertThat(ThreadTicks.group("C1 CompilerThre")).isEqualTo("C1 compiler");
    assertThat(ThreadTicks.group("trawl-store-/tm")).isEqualTo("store writer");
    assertThat(ThreadTicks.group("vert.x-eventloo")).isEqualTo("event loops");
    assertThat(ThreadTicks.group("trawl-parse-1")).isEqualTo("parse");
    assertThat(ThreadTicks.group("VM Thread")).isEqualTo("GC");
    assertThat(ThreadTicks.group("java")).isEqualTo("other");
  }

  @Test
  void countsALiveThreadsCpuInItsGroup() throws Exception {
    assumeThat(Files.isDirectory(Path.of("/proc/self/task"))).isTrue();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread parser = new Thread(() -> {
      var bean = ManagementFactory.getThreadMXBean();
      long x = 0;
      while (bean.getCurrentThreadCpuTime() < 100_000_000L) {
        x += Long.numberOfTrailingZeros(x + System.nanoTime());
      }
      busy.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "trawl-parse-test");
    parser.start();
    busy.await();
    try {
      ThreadTicks ticks = new ThreadTicks();
      ticks.sample(ProcessHandle.current().pid());
      // 100 ms of CPU is 10 clock ticks; /proc rounds down, so at least 0.05 s is certain.
      assertThat(ticks.secondsByGroup().get("parse")).isGreaterThanOrEqualTo(0.05);
      assertThat(ticks.secondsByGroup()).containsOnlyKeys(ThreadTicks.GROUPS);
    } finally {
      release.countDown();
      parser.join();
    }
  }

  @Test
  void aProcessThatIsGoneHasNoThreads() {
    assertThat(ThreadTicks.read(Long.MAX_VALUE)).isEmpty();
  }
}
