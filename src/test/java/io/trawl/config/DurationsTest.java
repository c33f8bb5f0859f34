package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "500ms, 500",
    "30s, 30000",
    "5m, 300000",
    "2h, 7200000",
    "1d, 86400000",
    "1.5s, 1500",
    "0, 0",
    "0s, 0",
    "' 10S ', 10000",
  })
  void parsesANumberWithAUnit(String text, long millis) {
    assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "30", "1.5", "soon", "s", "-5s", "5 parsecs", "1:30", "1.2.3s"})
  void refusesABareNumberOrAnUnknownUnit(String text) {
    assertThat(Durations.parse(text)).isEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({"0, 0", "250, 250ms", "1500, 1500ms", "30000, 30s", "120000, 2m", "7200000, 2h", "86400000, 1d", "2592000000, 30d", "90000000, 25h"})
  void formatsTheShortestExactSpelling(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    assertThat(Durations.parse(text)).contains(Duration.ofMillis(millis));
  }
}
