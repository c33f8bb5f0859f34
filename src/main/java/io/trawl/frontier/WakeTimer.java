package io.trawl.frontier;

import io.vertx.core.Vertx;

/**
 * One Vert.x timer set for the earliest time a queued row may go, so the frontier hands it out
 * then even if no reply comes meanwhile; set again only when that time moves earlier. Event loop.
 */
final class WakeTimer {
  private final Vertx vertx;
  private final Runnable wake;
  private long timerId = -1;
  private long atNanos = Long.MAX_VALUE;

  WakeTimer(Vertx vertx, Runnable wake) {
    this.vertx = vertx;
    this.wake = wake;
  }

  /** Wakes at {@code nanos} (System.nanoTime), unless already set no later; -1 changes nothing. */
  void setFor(long nanos) {
    if (nanos < 0 || nanos >= atNanos) {
      return;
    }
    vertx.cancelTimer(timerId);
    atNanos = nanos;
    timerId = vertx.setTimer(Math.max(1, (nanos - System.nanoTime() + 999_999) / 1_000_000), id -> {
      atNanos = Long.MAX_VALUE;
      wake.run();
    });
  }

  void cancel() {
    vertx.cancelTimer(timerId);
    atNanos = Long.MAX_VALUE;
  }
}
