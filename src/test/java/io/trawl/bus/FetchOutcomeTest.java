package io.trawl.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FetchOutcomeTest {
  @Test
  void anOutcomeGetsTheHostsCrawlDelayAndKeepsTheRest() {
    FetchOutcome done = FetchOutcome.done(7, null, 2, 5);
    FetchOutcome delayed = done.withCrawlDelayMs(2000);

    assertThat(delayed).isEqualTo(new FetchOutcome(7, null, 0, 2, 5, 2000));
    assertThat(delayed.stored()).isTrue();
  }

  @Test
  void anOutcomeToTryAgainIsNotStored() {
    FetchOutcome later = FetchOutcome.retryAt(7, "http_503", 1_700_000_000_000L, 1);

    assertThat(later.stored()).isFalse();
    assertThat(later.retryAtMs()).isEqualTo(1_700_000_000_000L);
    assertThat(later.newUrls()).isZero();
  }
}
