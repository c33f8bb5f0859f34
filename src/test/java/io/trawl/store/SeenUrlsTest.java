package io.trawl.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenUrlsTest {
  @Test
  void saysNewOnlyTheFirstTimeAUrlIsAdded() {
    SeenUrls seen = new SeenUrls(1 << 10);
    assertThat(seen.addIfAbsent("http://a.test/1")).isTrue();
    assertThat(seen.addIfAbsent("http://a.test/1")).isFalse();
    assertThat(seen.addIfAbsent("http://a.test/2")).isTrue();
    assertThat(seen.contains("http://a.test/1")).isTrue();
    assertThat(seen.contains("http://a.test/3")).isFalse();
    assertThat(seen.size()).isEqualTo(2);
  }

  @Test
  void aFullSetStopsLearningAndKeepsSayingNewForWhatItDoesNotHold() {
    SeenUrls seen = new SeenUrls(8);
    for (int i = 0; i < 6; i++) {
      assertThat(seen.addIfAbsent("http://a.test/" + i)).isTrue();
    }
    assertThat(seen.size()).isEqualTo(6);
    assertThat(seen.addIfAbsent("http://a.test/late")).isTrue();
    assertThat(seen.addIfAbsent("http://a.test/late")).isTrue();
    assertThat(seen.size()).isEqualTo(6);
    assertThat(seen.addIfAbsent("http://a.test/0")).isFalse();
  }

  @Test
  void growsAsItFillsAndStillHoldsEveryUrlAddedBefore() {
    SeenUrls seen = new SeenUrls(SeenUrls.INITIAL_SLOTS * 4);
    assertThat(seen.capacity()).isEqualTo(SeenUrls.INITIAL_SLOTS);
    int urls = SeenUrls.INITIAL_SLOTS * 2;
    for (int i = 0; i < urls; i++) {
      assertThat(seen.addIfAbsent("http://a.test/" + i)).isTrue();
    }
    assertThat(seen.capacity()).isEqualTo(SeenUrls.INITIAL_SLOTS * 4);
    assertThat(seen.size()).isEqualTo(urls);
    for (int i = 0; i < urls; i++) {
      assertThat(seen.addIfAbsent("http://a.test/" + i)).as("url %d after growing", i).isFalse();
    }
    assertThat(seen.contains("http://a.test/" + urls)).isFalse();
  }

  @Test
  void stopsGrowingAtItsLimitAndThenStopsLearning() {
    SeenUrls seen = new SeenUrls(SeenUrls.INITIAL_SLOTS * 2);
    int limit = SeenUrls.INITIAL_SLOTS * 2 / 4 * 3;
    for (int i = 0; i < limit; i++) {
      seen.addIfAbsent("http://a.test/" + i);
    }
    assertThat(seen.size()).isEqualTo(limit);
    assertThat(seen.addIfAbsent("http://a.test/late")).isTrue();
    assertThat(seen.addIfAbsent("http://a.test/late")).isTrue();
    assertThat(seen.capacity()).isEqualTo(SeenUrls.INITIAL_SLOTS * 2);
    assertThat(seen.size()).isEqualTo(limit);
    assertThat(seen.addIfAbsent("http://a.test/0")).isFalse();
  }

  @Test
  void fingerprintsAreNeverZeroAndDifferForNearlyEqualUrls() {
    assertThat(SeenUrls.fingerprint("")).isNotZero();
    assertThat(SeenUrls.fingerprint("http://a.test/page/1"))
        .isNotEqualTo(SeenUrls.fingerprint("http://a.test/page/2"));
  }
}
