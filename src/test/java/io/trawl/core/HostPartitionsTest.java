package io.trawl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostPartitionsTest {
  /**
   * The partitions are stored in {@code frontier.partition}: a build that hashed differently
   * would look for a resumed cluster crawl's rows in the wrong partitions. These values are pinned.
   */
  @Test
  void theHashOfAHostNeverChanges() {
    assertThat(HostPartitions.ofHost("example.com")).isEqualTo(PINNED_EXAMPLE_COM);
    assertThat(HostPartitions.ofHost("127.0.0.1:8080")).isEqualTo(PINNED_LOOPBACK_8080);
    assertThat(HostPartitions.ofHost("")).isEqualTo(PINNED_EMPTY);
  }

  @Test
  void aUrlIsInItsHostsPartitionPortIncluded() {
    assertThat(HostPartitions.ofUrl("https://example.com/a?b=c")).isEqualTo(HostPartitions.ofHost("example.com"));
    assertThat(HostPartitions.ofUrl("http://127.0.0.1:8080/x")).isEqualTo(HostPartitions.ofHost("127.0.0.1:8080"));
  }

  @Test
  void manySimilarHostsSpreadOverThePartitions() {
    long used = IntStream.range(0, 2000).map(i -> HostPartitions.ofHost("shop" + i + ".example.com")).distinct().count();
    // 2000 balls in 256 bins leave about 256 * e^-7.8 (0.1) bins empty
    assertThat(used).isGreaterThan(250);
    long ports = IntStream.range(0, 200).map(i -> HostPartitions.ofHost("127.0.0.1:" + (40000 + i))).distinct().count();
    assertThat(ports).isGreaterThan(120);
  }

  @Test
  void everyPartitionIsInRange() {
    IntStream.range(0, 10_000).forEach(i ->
        assertThat(HostPartitions.ofHost("h" + i)).isBetween(0, HostPartitions.COUNT - 1));
  }

  private static final int PINNED_EXAMPLE_COM = 153;
  private static final int PINNED_LOOPBACK_8080 = 28;
  private static final int PINNED_EMPTY = 38;
}
