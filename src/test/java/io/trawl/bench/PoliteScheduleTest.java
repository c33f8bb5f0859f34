package io.trawl.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoliteScheduleTest {
  private static final long MS = 1_000_000;
  private static final long SECOND = 1_000_000_000;

  @Test
  void oneHostAtOneASecondSendsRobotsTxtThenAPageEachSecond() {
    // robots.txt at 0 (answered at 0.2 s), page 0 at 1 s, page i at 1 + i s: the last answered at 5.2 s
    PoliteSchedule.Result r = PoliteSchedule.of(5, 3, 1, SECOND, 200 * MS, 64, 64);

    assertThat(r.pages()).isEqualTo(5);
    assertThat(r.seconds()).isCloseTo(5.2, within(1e-9));
    assertThat(r.firstPageSeconds()).isCloseTo(1.2, within(1e-9));
    assertThat(r.fetchingSeconds()).isCloseTo(4.0, within(1e-9));
  }

  @Test
  void withoutARateAPageWaitsForTheLinkToItAndForASlot() {
    // robots.txt 0-0.1 s, page 0 0.1-0.2; it links to 1, 1, 2: both sent at 0.2, back at 0.3; page 1
    // links to 3, sent at 0.3, back at 0.4
    assertThat(PoliteSchedule.of(4, 3, 1, 0, 100 * MS, 2, 2).seconds()).isCloseTo(0.4, within(1e-9));
    // one slot: a page every 0.1 s after robots.txt
    assertThat(PoliteSchedule.of(4, 3, 1, 0, 100 * MS, 1, 1).seconds()).isCloseTo(0.5, within(1e-9));
    // one request of the host at a time, whatever the crawl's concurrency
    assertThat(PoliteSchedule.of(4, 3, 1, 0, 100 * MS, 64, 1).seconds()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void anIntervalUnderTheHostClocksMillisecondIsNone() {
    assertThat(PoliteSchedule.of(4, 3, 1, 500_000, 100 * MS, 2, 2).seconds()).isCloseTo(0.4, within(1e-9));
  }

  @Test
  void eachHostAsksForItsRobotsTxtWhenItsFirstPageIsFound() {
    // host 0: robots.txt 0-0.2, page 0 1.0-1.2 (links 1 on host 1, 2 on host 0), page 2 2.0-2.2 (links 3);
    // host 1: robots.txt 1.2-1.4, page 1 2.2-2.4, page 3 3.2-3.4
    PoliteSchedule.Result r = PoliteSchedule.of(4, 3, 2, SECOND, 200 * MS, 64, 64);

    assertThat(r.pages()).isEqualTo(4);
    assertThat(r.seconds()).isCloseTo(3.4, within(1e-9));
    assertThat(r.firstPageSeconds()).isCloseTo(1.2, within(1e-9));
  }

  @Test
  void neverBeatsThePlainBounds() {
    int[][] cases = {{20_000, 50, 1000, 1000, 200, 256}, {20_000, 50, 1, 0, 50, 64}, {5_000, 20, 250, 500, 100, 16},
        {3_000, 7, 7, 10, 5, 3}};
    for (int[] c : cases) {
      int pages = c[0];
      int hosts = c[2];
      long interval = c[3] * MS;
      long latency = c[4] * MS;
      int concurrency = c[5];
      PoliteSchedule.Result r = PoliteSchedule.of(pages, c[1], hosts, interval, latency, concurrency, concurrency);

      assertThat(r.pages()).as("every page is reached from page 0").isEqualTo(pages);
      double byRate = (double) pages / hosts * interval / 1e9;
      double byLatency = Math.ceil((double) pages / concurrency) * latency / 1e9;
      assertThat(r.seconds()).isGreaterThanOrEqualTo(Math.max(byRate, byLatency));
    }
  }

  @Test
  void theManyHostsCaseLosesItsFirstSecondsToDiscovery() {
    // 1,000 hosts at 1/s: every host's robots.txt, then 20 pages a host, once the links have reached it
    PoliteSchedule.Result r = PoliteSchedule.of(20_000, 50, 1000, SECOND, 200 * MS, 256, 256);

    assertThat(r.pages()).isEqualTo(20_000);
    assertThat(r.pagesPerSecond()).isBetween(800.0, 950.0);
  }

  @Test
  void refusesAScheduleWithoutPagesOrSlots() {
    assertThatThrownBy(() -> PoliteSchedule.of(0, 3, 1, 0, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PoliteSchedule.of(10, 3, 1, 0, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
