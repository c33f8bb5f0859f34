package io.trawl.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantTextTest {
  @Test
  void writesWhatInstantToStringWrites() {
    InstantText text = new InstantText();
    Random random = new Random(5);
    long[] chosen = {0, 1, 10, 100, 999, 1000, 1001, -1, -999, -1000, -1001, 1_764_900_000_000L, 1_764_900_000_120L,
        253_402_300_799_999L, 253_402_300_800_000L, -62_167_219_200_001L};
    for (long ms : chosen) {
      assertThat(text.of(ms)).as("%d", ms).isEqualTo(Instant.ofEpochMilli(ms).toString());
    }
    long ms = 1_764_900_000_000L;
    for (int i = 0; i < 100_000; i++) {
      // Mostly a few ms on, as a batch's pages are; now and then anywhere.
      ms = i % 1000 == 0 ? random.nextLong() / 4_000 : ms + random.nextInt(40);
      assertThat(text.of(ms)).as("%d", ms).isEqualTo(Instant.ofEpochMilli(ms).toString());
    }
  }
}
