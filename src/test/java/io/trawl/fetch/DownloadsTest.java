package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.config.DataSize;
import io.trawl.config.TrawlConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DownloadsTest {
  private static Downloads of(String... ranges) {
    return new Downloads(new TrawlConfig.Download(List.of(ranges), Path.of("d"), DataSize.ofMegabytes(1), List.of()));
  }

  @Test
  void matchesExactTypesAndWildcardsIgnoringCaseAndParameters() {
    Downloads downloads = of("application/pdf", "image/*");

    assertThat(downloads.matches("application/pdf")).isTrue();
    assertThat(downloads.matches("Application/PDF; charset=binary")).isTrue();
    assertThat(downloads.matches("image/svg+xml")).isTrue();
    assertThat(downloads.matches("text/html; charset=utf-8")).isFalse();
    assertThat(downloads.matches("imagery/png")).isFalse();
    assertThat(downloads.matches(null)).isFalse();
    assertThat(of("*/*").matches("anything/at-all")).isTrue();
    assertThat(Downloads.NONE.matches("application/pdf")).isFalse();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          image/jpeg               | http://h/photo           | jpg
          image/png; q=1           | http://h/x.bin           | png
          image/svg+xml            | http://h/logo            | svg
          application/pdf          | http://h/report          | pdf
          application/octet-stream | http://h/files/data.TAR.GZ?x=1 | gz
          application/octet-stream | http://h/v1.2/download   | bin
          application/octet-stream | http://h/archive.123     | bin
          application/octet-stream | http://h/.hidden         | bin
          ''                       | http://h/a.verylongextension | bin
          """)
  void namesTheExtensionFromTheTypeThenTheUrl(String contentType, String url, String extension) {
    assertThat(Downloads.extension(contentType.isEmpty() ? null : contentType, url)).isEqualTo(extension);
  }
}
