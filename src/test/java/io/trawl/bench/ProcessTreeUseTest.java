package io.trawl.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the render bench reads of this JVM besides its children: its JIT compilers' CPU and the sampler's own. Linux. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessTreeUseTest {
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void readsTheCpuOfThisJvmsJitCompilerThreadsAndOfNoOtherThread() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
    Map<Long, Long> jit = ProcessTreeUse.jitTicks(SELF);

    assertThat(jit).isNotEmpty();
    for (long tid : jit.keySet()) {
      assertThat(Files.readString(Path.of("/proc", Long.toString(SELF), "task", Long.toString(tid), "comm")))
          .matches("C[12] CompilerThre.*\\n");
    }
    // This JVM compiled the test framework and the code above before this line: some CPU went to it.
    assertThat(jit.values().stream().mapToLong(Long::longValue).sum()).isPositive();
  }

  @Test
  void findsNoJitThreadsInAProcessThatIsNotAJvm() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
    Process sleep = new ProcessBuilder("sleep", "30").start();
    try {
      assertThat(ProcessTreeUse.jitTicks(sleep.pid())).isEmpty();
    } finally {
      sleep.destroyForcibly().waitFor();
    }
    assertThat(ProcessTreeUse.jitTicks(sleep.pid())).as("a process gone").isEmpty();
  }

  @Test
  void countsTheJitFromItsStartAndItsOwnSamplingApart() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
    Process sleep = new ProcessBuilder("sleep", "30").start();
    ProcessTreeUse use;
    try {
      use = new ProcessTreeUse().start();
      use.stop();
    } finally {
      sleep.destroyForcibly().waitFor();
    }
    long sinceJvmStart = ProcessTreeUse.jitTicks(SELF).values().stream().mapToLong(Long::longValue).sum();

    assertThat(use.processes()).isEqualTo(1);
    // Counted from the sampler's start, not from the JVM's: less than all the JIT did before it.
    assertThat(use.jitCpuSeconds()).isGreaterThanOrEqualTo(0).isLessThan(sinceJvmStart / 100.0);
    assertThat(use.samplerCpuSeconds()).isPositive();
  }
}
