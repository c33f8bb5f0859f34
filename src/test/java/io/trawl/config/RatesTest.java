package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RatesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "2/s, 2, 1000",
    "30/m, 30, 60000",
    "100/h, 100, 3600000",
    "1/5s, 1, 5000",
    "3/500ms, 3, 500",
    "' 4 / S ', 4, 1000",
  })
  void parsesPermitsPerPeriod(String text, int permits, long periodMs) {
    assertThat(Rates.parse(text)).contains(new Rate(permits, Duration.ofMillis(periodMs)));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "fast", "2", "2/", "/s", "0/s", "-1/s", "2/0", "2/5", "1.5/s", "2/s/s", "2/fortnight"})
  void refusesWhatIsNotARate(String text) {
    assertThat(Rates.parse(text)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"2/s", "30/m", "100/h", "1/5s", "3/500ms", "1/90s"})
  void formatsAsItIsWritten(String text) {
    Rate rate = Rates.parse(text).orElseThrow();

    assertThat(Rates.format(rate)).isEqualTo(text);
    assertThat(rate).hasToString(text);
  }
}
