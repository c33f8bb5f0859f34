package io.trawl.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.FrontierUpdate;
import io.trawl.testing.Db;
import io.trawl.testing.TestBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What {@code --resume} does with the rows a run that stopped abnormally left in flight: each goes
 * back to the queue, counting the stop, until it was in flight in three of them; then it fails as
 * {@code crashed}, with its pages row, so a page that takes the JVM down is not fetched forever.
 * On both backends, through the store seam.
 */
@ParameterizedClass
@EnumSource(TestBackend.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreWriterResumeTest {
  private static final String CULPRIT = "http://127.0.0.1/culprit";
  private static final String BYSTANDER = "http://127.0.0.1/bystander";

  @Parameter TestBackend backend;
  @TempDir Path dir;
  private String file;
  private StoreBackend store;

  @BeforeEach
  void freshDatabase() {
    file = backend.freshDatabase(dir);
    store = StoreBackends.of(file, "public");
  }

  /** A run that claims {@code urls} (their rows go in_flight) and then stops without a word, as kill -9 does. */
  private void runThatCrashesWith(boolean resume, List<String> urls) {
    try (StoreWriter writer = store.openWriter(resume)) {
      writer.openCrawl("{}", RunKind.CRAWL, 0);
      List<Long> ids = urls.stream().map(url -> (long) Db.count(file, "SELECT id FROM frontier WHERE url = '" + url + "'"))
          .toList();
      writer.write(List.of(new FrontierUpdate(List.of(), ids, List.of())), List.of(), List.of(), List.of(), 0);
    }
  }

  @Test
  void aUrlInFlightDuringThreeAbnormalStopsFailsAsCrashedAndTheOthersGoBackToTheQueue() throws Exception {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(CULPRIT, BYSTANDER))), List.of(), List.of(), List.of(), 0);
    }
    runThatCrashesWith(false, List.of(CULPRIT, BYSTANDER));
    runThatCrashesWith(true, List.of(CULPRIT));
    runThatCrashesWith(true, List.of(CULPRIT));
    assertThat(rows("SELECT url, state, crashes FROM frontier ORDER BY url")).containsExactly(
        Map.of("url", BYSTANDER, "state", "queued", "crashes", 1L),
        Map.of("url", CULPRIT, "state", "in_flight", "crashes", 2L));

    store.openWriter(true).close();

    assertThat(rows("SELECT url, state, crashes FROM frontier ORDER BY url")).containsExactly(
        Map.of("url", BYSTANDER, "state", "queued", "crashes", 1L),
        Map.of("url", CULPRIT, "state", "failed", "crashes", 3L));
    long lastRun = Db.count(file, "SELECT max(id) FROM crawls");
    assertThat(rows("SELECT url, error, depth, bytes, crawl_id FROM pages")).containsExactly(
        Map.of("url", CULPRIT, "error", "crashed", "depth", 0L, "bytes", 0L, "crawl_id", lastRun));
  }

  @Test
  void theRowsAGracefulStopLeftInFlightGoBackWithoutCountingACrash() throws Exception {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(CULPRIT, BYSTANDER))), List.of(), List.of(), List.of(), 0);
    }
    runThatCrashesWith(false, List.of(CULPRIT));
    runThatCrashesWith(true, List.of(CULPRIT));
    // Ctrl-C whose grace ran out: the run is recorded as interrupted with its pages still in flight.
    try (StoreWriter writer = store.openWriter(true)) {
      long id = writer.openCrawl("{}", RunKind.RESUME, 0);
      long culprit = Db.count(file, "SELECT id FROM frontier WHERE url = '" + CULPRIT + "'");
      long bystander = Db.count(file, "SELECT id FROM frontier WHERE url = '" + BYSTANDER + "'");
      writer.write(List.of(new FrontierUpdate(List.of(), List.of(culprit, bystander), List.of())),
          List.of(), List.of(), List.of(), 0);
      writer.closeCrawl(id, "interrupted", "{}");
    }

    store.openWriter(true).close();

    assertThat(rows("SELECT url, state, crashes FROM frontier ORDER BY url")).containsExactly(
        Map.of("url", BYSTANDER, "state", "queued", "crashes", 0L),
        Map.of("url", CULPRIT, "state", "queued", "crashes", 2L));
    assertThat(rows("SELECT url FROM pages")).isEmpty();
  }

  @Test
  void withoutResumeNothingInFlightIsTouched() throws Exception {
    try (StoreWriter writer = store.openWriter(false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(CULPRIT))), List.of(), List.of(), List.of(), 0);
    }
    runThatCrashesWith(false, List.of(CULPRIT));

    store.openWriter(false).close();

    assertThat(rows("SELECT state, crashes FROM frontier"))
        .containsExactly(Map.of("state", "in_flight", "crashes", 0L));
  }

  /** Rows with their integers as longs, whatever width each backend gives them. */
  private List<Map<String, Object>> rows(String sql) {
    return Db.rows(file, sql).stream().map(row -> {
      Map<String, Object> copy = new java.util.LinkedHashMap<>();
      row.forEach((k, v) -> copy.put(k, v instanceof Number n ? (Object) n.longValue() : v));
      return copy;
    }).toList();
  }
}
