package io.trawl.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trawl.bus.Addresses;
import io.trawl.bus.FrontierRow;
import io.trawl.bus.FrontierUpdate;
import io.trawl.bus.QueuedBatch;
import io.trawl.bus.QueuedRequest;
import io.trawl.bus.RecordCodec;
import io.trawl.config.ConfigLoader;
import io.trawl.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The frontier's claims reach the store one message per store answer, never out of order with its
 * other changes. The store here is a consumer of the store's addresses that answers only when the
 * test says, so what the frontier sends while a claim waits can be seen.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FrontierRequestsTest {
  private final List<Object> received = new CopyOnWriteArrayList<>();
  private final List<Message<?>> unanswered = new CopyOnWriteArrayList<>();
  private Context frontier;
  private FrontierRequests requests;

  @BeforeEach
  void start(Vertx vertx) {
    RecordCodec.registerAll(vertx);
    Await.result(vertx.eventBus().<FrontierUpdate>localConsumer(Addresses.STORE_FRONTIER, this::hold).completion());
    Await.result(vertx.eventBus().<QueuedRequest>localConsumer(Addresses.STORE_QUEUED, this::hold).completion());
    frontier = vertx.getOrCreateContext();
    requests = new FrontierRequests(vertx.eventBus(), ConfigLoader.fromYaml("", Map.of()), 1);
  }

  private void hold(Message<?> msg) {
    received.add(msg.body());
    unanswered.add(msg);
  }

  private void answerOldest() {
    Message<?> msg = unanswered.remove(0);
    msg.reply(msg.body() instanceof QueuedRequest ? new QueuedBatch(List.of(), 0, -1) : null);
  }

  private static List<FrontierRow> rows(long... ids) {
    return java.util.Arrays.stream(ids).mapToObj(id -> new FrontierRow(id, "http://a.test/" + id, 1, 0, 0)).toList();
  }

  private Future<?> onFrontier(java.util.function.Supplier<Future<?>> call) {
    return Future.future(p -> frontier.runOnContext(v -> call.get().onComplete(ar -> p.complete())));
  }

  @Test
  void claimsMadeWhileOneWaitsGoTogetherOnceItIsAnswered() {
    Future<?> first = onFrontier(() -> requests.claim(rows(1)));
    await().until(() -> received.size() == 1);
    Future<?> second = onFrontier(() -> requests.claim(rows(2)));
    Future<?> third = onFrontier(() -> requests.claim(rows(3, 4)));
    Await.result(Future.future(p -> frontier.runOnContext(v -> p.complete()))); // both calls made

    assertThat(received).hasSize(1);
    answerOldest();
    Await.result(first);
    await().until(() -> received.size() == 2);
    assertThat(((FrontierUpdate) received.get(1)).claimed()).containsExactly(2L, 3L, 4L);
    answerOldest();
    Await.result(Future.all(second, third));
  }

  @Test
  void heldClaimsGoBeforeAPutBackOrARead() {
    onFrontier(() -> requests.claim(rows(1)));
    await().until(() -> received.size() == 1);
    onFrontier(() -> requests.claim(rows(2)));
    onFrontier(() -> requests.putBack(new FrontierRow(2, "http://a.test/2", 1, 1, 5_000)));
    onFrontier(() -> requests.claim(rows(3)));
    onFrontier(() -> requests.read(new QueuedRequest(0, 10)));
    await().until(() -> received.size() == 5);

    assertThat(received.get(1)).isEqualTo(FrontierUpdate.ofClaims(List.of(2L)));
    assertThat(((FrontierUpdate) received.get(2)).putBack()).extracting(FrontierRow::id).containsExactly(2L);
    assertThat(received.get(3)).isEqualTo(FrontierUpdate.ofClaims(List.of(3L)));
    assertThat(received.get(4)).isInstanceOf(QueuedRequest.class);
    while (!unanswered.isEmpty()) {
      answerOldest();
    }
  }
}
