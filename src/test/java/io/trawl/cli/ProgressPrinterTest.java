package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.trawl.bus.ClusterProgress;
import io.trawl.bus.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  private static final Progress NODE = new Progress(120, 3, 16, 400, 2, 10_000, 5, null);

  @Test
  void aCrawlOnOneMachineShowsItsOwnFigures() {
    assertThat(ProgressPrinter.line(NODE, 12.0, null, 0))
        .isEqualTo("pages 120  12.0 pages/s  queued 400  in flight 16  errors 3  hosts 5");
  }

  @Test
  void aClusterNodeShowsTheClustersTotalsAndItsShareOfThePages() {
    ClusterProgress cluster = new ClusterProgress(400, 7, 1_000, 48, 3, 120);

    assertThat(ProgressPrinter.line(NODE, 12.0, cluster, 40.0)).isEqualTo(
        "pages 120  12.0 pages/s  queued 400  in flight 16  errors 3  hosts 5"
            + "  | cluster: pages 400 (this node 30%)  40.0 pages/s  queued 1000  in flight 48  errors 7  nodes 3");
  }

  @Test
  void knowsATerminalFromAFileOrAPipeByWhatTheDescriptorLinksTo() {
    assertThat(ProgressPrinter.isTerminalDevice("/dev/pts/3")).isTrue();
    assertThat(ProgressPrinter.isTerminalDevice("/dev/tty1")).isTrue();
    assertThat(ProgressPrinter.isTerminalDevice("/dev/console")).isTrue();
    assertThat(ProgressPrinter.isTerminalDevice("/home/me/crawl.log")).isFalse();
    assertThat(ProgressPrinter.isTerminalDevice("pipe:[123456]")).isFalse();
    assertThat(ProgressPrinter.isTerminalDevice("socket:[98765]")).isFalse();
    assertThat(ProgressPrinter.isTerminalDevice("/dev/null")).isFalse();
  }

  @Test
  void takesTheLaunchersWordForStandardErrorAndOtherwiseAsksTheSystem() throws Exception {
    String before = System.getProperty("trawl.stderr.tty");
    try {
      System.setProperty("trawl.stderr.tty", "true");
      assertThat(ProgressPrinter.stderrIsTerminal()).isTrue();
      System.setProperty("trawl.stderr.tty", "false");
      assertThat(ProgressPrinter.stderrIsTerminal()).isFalse();
      System.clearProperty("trawl.stderr.tty");
      // surefire's forked JVMs write standard error to a pipe: no terminal, whatever stdin and stdout are
      Path stderr = Path.of("/proc/self/fd/2");
      assumeThat(Files.isSymbolicLink(stderr)).isTrue();
      assumeThat(Files.readSymbolicLink(stderr).toString()).startsWith("pipe:");
      assertThat(ProgressPrinter.stderrIsTerminal()).isFalse();
    } finally {
      if (before == null) {
        System.clearProperty("trawl.stderr.tty");
      } else {
        System.setProperty("trawl.stderr.tty", before);
      }
    }
  }
}
