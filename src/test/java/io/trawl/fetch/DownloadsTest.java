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

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          image/jpeg               | jpg
          image/png; q=1           | png
          Image/SVG+XML            | svg
          application/pdf          | pdf
          application/octet-stream | bin
          application/x-httpd-php  | bin
          text/html                | bin
          ''                       | bin
          """)
  void namesTheExtensionFromAKnownContentTypeElseBin(String contentType, String extension) {
    assertThat(Downloads.extension(contentType.isEmpty() ? null : contentType)).isEqualTo(extension);
  }

  @Test
  void neverTakesTheExtensionFromTheUrl() {
    // The server chooses both the URL and the type; only the type is looked up, in our own list.
    assertThat(Downloads.fileName("ab12", "application/octet-stream")).isEqualTo("ab12.bin");
    assertThat(Downloads.fileName("ab12", null)).isEqualTo("ab12.bin");
  }
}
