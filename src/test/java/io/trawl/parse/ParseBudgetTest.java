package io.trawl.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

/** The parse budget's arithmetic and its queue, without Vert.x: the futures complete on release. */
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
