package io.trawl.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "1024, 1024",
    "0, 0",
    "100B, 100",
    "512KB, 524288",
    "10MB, 10485760",
    "1GB, 1073741824",
    "64KiB, 65536",
    "1.5KB, 1536",
    "' 10mb ', 10485760",
  })
  void parsesBytesOrANumberWithAUnit(String text, long bytes) {
    assertThat(DataSizes.parse(text)).contains(new DataSize(bytes));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "big", "MB", "-1", "-1KB", "10TB", "10 parsecs"})
  void refusesWhatIsNotASize(String text) {
    assertThat(DataSizes.parse(text)).isEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({"0, 0B", "100, 100B", "1536, 1536B", "524288, 512KB", "10485760, 10MB"})
  void formatsTheShortestExactSpelling(long bytes, String text) {
    assertThat(DataSizes.format(new DataSize(bytes))).isEqualTo(text);
    assertThat(DataSizes.parse(text)).contains(new DataSize(bytes));
  }
}
