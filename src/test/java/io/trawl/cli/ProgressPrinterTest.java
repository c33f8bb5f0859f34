package io.trawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.ClusterProgress;
import io.trawl.bus.Progress;
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
}
