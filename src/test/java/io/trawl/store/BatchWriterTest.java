package io.trawl.store;

import static io.trawl.store.StoreWriterTest.fetched;
import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.PageStored;
import io.trawl.config.ConfigLoader;
import io.trawl.testing.Await;
import io.trawl.testing.Db;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a real SQLite file through the store seam: every write submitted into one batch
 * completes only with that batch's transaction, and all of them fail together when it rolls back.
 * Driven on one event loop, as the store verticle drives it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BatchWriterTest {
  private static final RecrawlSchedule SCHEDULE = new RecrawlSchedule(ConfigLoader.defaults().recrawl(), Clock.systemUTC());
  private static final String SITE = "http://127.0.0.1:1";

  @TempDir Path dir;
  private String db;
  private Vertx vertx;
  private WorkerExecutor writerThread;
  private StoreWriter store;

  @BeforeEach
  void open(Vertx vertx) {
    this.vertx = vertx;
    db = dir.resolve("trawl.db").toString();
    writerThread = vertx.createSharedWorkerExecutor("trawl-store-test", 1);
    store = Await.result(writerThread.executeBlocking(() -> StoreBackends.of(db, "public").openWriter(false)));
    // In-flight rows 1, 2 and 3 for the pages below.
    BatchWriter setup = new BatchWriter(vertx, writerThread, store, SCHEDULE, 256, Duration.ZERO);
    onLoop(() -> setup.saveFrontier(FrontierUpdate.ofSeeds(List.of(SITE + "/1", SITE + "/2", SITE + "/3"))));
    onLoop(() -> setup.saveFrontier(new FrontierUpdate(List.of(), List.of(1L, 2L, 3L), List.of())));
  }

  @AfterEach
  void close() {
    Await.result(writerThread.executeBlocking(() -> {
      store.close();
      return null;
    }));
    Await.result(writerThread.close());
  }

  /** Runs {@code submit} on an event loop and waits for the future it returns. */
  private <T> T onLoop(Supplier<Future<T>> submit) {
    Promise<T> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> submit.get().onComplete(result));
    return Await.result(result.future());
  }

  @Test
  void failsEveryWriteOfABatchThatRolledBackAndStoresNoneOfIt() {
    // One batch of three pages (the second one's item has no rule, which the schema refuses) and a
    // frontier change submitted with them.
    BatchWriter writer = new BatchWriter(vertx, writerThread, store, SCHEDULE, 3, Duration.ofHours(1));
    List<Future<?>> writes = new ArrayList<>();
    onLoop(() -> {
      writes.add(writer.saveFrontier(FrontierUpdate.ofSeeds(List.of(SITE + "/4"))));
      writes.add(writer.savePage(fetched(1, SITE + "/1", "r")));
      writes.add(writer.savePage(fetched(2, SITE + "/2", null)));
      writes.add(writer.savePage(fetched(3, SITE + "/3", "r")));
      return Future.join(writes).transform(ar -> Future.succeededFuture());
    });

    assertThat(writes).hasSize(4).allMatch(Future::failed);
    assertThat(Db.count(db, "SELECT count(*) FROM pages")).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM links")).isZero();
    assertThat(Db.count(db, "SELECT count(*) FROM items")).isZero();
    assertThat(Db.rows(db, "SELECT url, state FROM frontier ORDER BY id")).containsExactly(
        Map.of("url", SITE + "/1", "state", "in_flight"),
        Map.of("url", SITE + "/2", "state", "in_flight"),
        Map.of("url", SITE + "/3", "state", "in_flight"));
  }

  @Test
  void answersEachPageOnlyOnceItsBatchHasCommitted() {
    BatchWriter writer = new BatchWriter(vertx, writerThread, store, SCHEDULE, 2, Duration.ofHours(1));

    long pagesWhenAnswered = onLoop(() -> {
      Future<PageStored> first = writer.savePage(fetched(1, SITE + "/1", "r"));
      writer.savePage(fetched(2, SITE + "/2", "r"));
      return first
          .onSuccess(stored -> assertThat(stored.newUrls()).isEqualTo(1))
          .compose(stored -> vertx.executeBlocking(() -> Db.count(db, "SELECT count(*) FROM pages")));
    });

    assertThat(pagesWhenAnswered).as("both pages of the batch were in the file once the first was answered")
        .isEqualTo(2);
  }
}
