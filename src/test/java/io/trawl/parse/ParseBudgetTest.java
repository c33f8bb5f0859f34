package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The parse budget's arithmetic and its queue, without Vert.x (the futures complete on release),
 * and shared by two event loops, as the fetchers share it.
 */
class ParseBudgetTest {
  private static final long MB = 1 << 20;

  @Test
  void aPageMayTake64TimesItsSizeAtLeast16MbAtMostTheWholeBudget() {
    ParseBudget budget = new ParseBudget(128 * MB);

    assertThat(budget.reservationFor(20_000)).isEqualTo(16 * MB);
    assertThat(budget.reservationFor(MB)).isEqualTo(64 * MB);
    assertThat(budget.reservationFor(10 * MB)).isEqualTo(128 * MB);
    assertThat(new ParseBudget(8 * MB).reservationFor(1)).as("a budget smaller than the floor").isEqualTo(8 * MB);
  }

  @Test
  void grantsWhatFitsAtOnceAndTheRestInOrderAsSharesComeBack() {
    ParseBudget budget = new ParseBudget(100);
    Future<Void> a = budget.acquire(60);
    Future<Void> b = budget.acquire(60);
    Future<Void> c = budget.acquire(10); // fits, but waits behind b: a large page is not starved

    assertThat(a.succeeded()).isTrue();
    assertThat(b.isComplete()).isFalse();
    assertThat(c.isComplete()).isFalse();
    assertThat(budget.waiting()).isEqualTo(2);

    budget.release(60);

    assertThat(b.succeeded()).isTrue();
    assertThat(c.succeeded()).isTrue();
    assertThat(budget.freeBytes()).isEqualTo(30);
    budget.release(60);
    budget.release(10);
    assertThat(budget.freeBytes()).isEqualTo(100);
    assertThat(budget.waiting()).isZero();
  }

  @Test
  void aPageThatWaitedResumesOnTheEventLoopItAskedFromWhoeverReleases() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ParseBudget budget = new ParseBudget(100);
      Context asker = vertx.getOrCreateContext();
      Context releaser = vertx.getOrCreateContext();
      Promise<Void> heldByReleaser = Promise.promise();
      releaser.runOnContext(v -> budget.acquire(100).onComplete(heldByReleaser));
      heldByReleaser.future().await(10, TimeUnit.SECONDS);
      Promise<Boolean> resumedOnAsker = Promise.promise();
      Promise<Void> waiting = Promise.promise();
      asker.runOnContext(v -> {
        budget.acquire(40).onComplete(ar -> resumedOnAsker.complete(Vertx.currentContext() == asker));
        waiting.complete();
      });
      waiting.future().await(10, TimeUnit.SECONDS);
      assertThat(budget.waiting()).isEqualTo(1);

      releaser.runOnContext(v -> budget.release(100));

      assertThat(resumedOnAsker.future().await(10, TimeUnit.SECONDS)).as("resumed on the asker's event loop").isTrue();
      assertThat(budget.freeBytes()).isEqualTo(60);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void refusesMoreThanTheWholeBudget() {
    ParseBudget budget = new ParseBudget(100);

    assertThatThrownBy(() -> budget.acquire(101)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ParseBudget(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBudgetIsAQuarterOfTheHeap() {
    assertThat(ParseBudget.ofHeap().totalBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
  }
}
