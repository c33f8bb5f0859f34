package io.trawl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.testing.TrawlProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A 200 MB body and a 1 GB gzip bomb fetched by {@link HeapProbe} in a JVM with a 64 MB heap: each
 * ends as too_large, and the heap each took is logged (a measurement, not asserted as a bound: the
 * sum of the pools' peaks may read over -Xmx, as the crawl summary's does).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpFetcherMemoryTest {
  private static final Pattern LINE = Pattern.compile(
      "probe body=(\\S+) outcome=(\\S+) peakHeapMb=(\\d+) baselineMb=(\\d+) servedMb=(\\d+)");

  @TempDir Path dir;

  @Test
  void hostileBodiesEndAsTooLargeUnderA64MbHeap() throws Exception {
    Path log = dir.resolve("probe.log");

    String output;
    try (TrawlProcess probe = TrawlProcess.startMain("64m", log, HeapProbe.class.getName())) {
      assertThat(probe.exitCode(Duration.ofSeconds(90))).as(probe.output()).isZero();
      output = probe.output();
    }
    assertThat(output).doesNotContain("OutOfMemoryError");
    Map<String, String> outcomes = new LinkedHashMap<>();
    Map<String, Long> servedMb = new LinkedHashMap<>();
    for (Matcher m = LINE.matcher(output); m.find(); ) {
      outcomes.put(m.group(1), m.group(2));
      servedMb.put(m.group(1), Long.parseLong(m.group(5)));
      LoggerFactory.getLogger(HttpFetcherMemoryTest.class).warn("under -Xmx64m: {}", m.group());
    }
    assertThat(outcomes).as(output).containsExactly(
        Map.entry("kept-8MB", "ok"),
        Map.entry("announced-200MB", "too_large"),
        Map.entry("chunked-200MB", "too_large"),
        Map.entry("gzip-bomb-1GB", "too_large"));
    // Cut off, not read to the end and then refused.
    assertThat(servedMb.get("chunked-200MB")).isLessThan(100);
  }
}
