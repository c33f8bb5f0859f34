package io.trawl.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.FrontierUpdate;
import io.trawl.testing.Db;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --resume} does with the rows a run that stopped abnormally left in flight: each goes
 * back to the queue, counting the stop, until it was in flight in three of them; then it fails as
 * {@code crashed}, with its pages row, so a page that takes the JVM down is not fetched forever.
 */
class SqliteWriterResumeTest {
  private static final String CULPRIT = "http://127.0.0.1/culprit";
  private static final String BYSTANDER = "http://127.0.0.1/bystander";

  @TempDir Path dir;

  /** A run that claims {@code urls} (their rows go in_flight) and then stops without a word, as kill -9 does. */
  private static void runThatCrashesWith(Path file, boolean resume, List<String> urls) throws Exception {
    try (SqliteWriter writer = SqliteWriter.open(file, resume)) {
      writer.openCrawl("{}");
      List<Long> ids = urls.stream().map(url -> (long) Db.count(file, "SELECT id FROM frontier WHERE url = '" + url + "'"))
          .toList();
      writer.write(List.of(new FrontierUpdate(List.of(), ids, List.of())), List.of(), List.of(), 0);
    }
  }

  @Test
  void aUrlInFlightDuringThreeAbnormalStopsFailsAsCrashedAndTheOthersGoBackToTheQueue() throws Exception {
    Path file = dir.resolve("trawl.db");
    try (SqliteWriter writer = SqliteWriter.open(file, false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(CULPRIT, BYSTANDER))), List.of(), List.of(), 0);
    }
    runThatCrashesWith(file, false, List.of(CULPRIT, BYSTANDER));
    runThatCrashesWith(file, true, List.of(CULPRIT));
    runThatCrashesWith(file, true, List.of(CULPRIT));
    assertThat(Db.rows(file, "SELECT url, state, crashes FROM frontier ORDER BY url")).containsExactly(
        Map.of("url", BYSTANDER, "state", "queued", "crashes", 1),
        Map.of("url", CULPRIT, "state", "in_flight", "crashes", 2));

    SqliteWriter.open(file, true).close();

    assertThat(Db.rows(file, "SELECT url, state, crashes FROM frontier ORDER BY url")).containsExactly(
        Map.of("url", BYSTANDER, "state", "queued", "crashes", 1),
        Map.of("url", CULPRIT, "state", "failed", "crashes", 3));
    long lastRun = Db.count(file, "SELECT max(id) FROM crawls");
    assertThat(Db.rows(file, "SELECT url, error, depth, bytes, crawl_id FROM pages")).containsExactly(
        Map.of("url", CULPRIT, "error", "crashed", "depth", 0, "bytes", 0, "crawl_id", (int) lastRun));
  }

  @Test
  void withoutResumeNothingInFlightIsTouched() throws Exception {
    Path file = dir.resolve("trawl.db");
    try (SqliteWriter writer = SqliteWriter.open(file, false)) {
      writer.write(List.of(FrontierUpdate.ofSeeds(List.of(CULPRIT))), List.of(), List.of(), 0);
    }
    runThatCrashesWith(file, false, List.of(CULPRIT));

    SqliteWriter.open(file, false).close();

    assertThat(Db.rows(file, "SELECT state, crashes FROM frontier"))
        .containsExactly(Map.of("state", "in_flight", "crashes", 0));
  }
}
