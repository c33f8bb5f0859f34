package io.trawl.render;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The frames of a headless shell's tabs, issued from here instead of by the browser's own clock
 * ({@code HeadlessExperimental.beginFrame} on tabs made with {@code enableBeginFrameControl}).
 * Left to itself the browser paints, rasterises and draws every tab up to 60 times a second while
 * its page changes, which nobody sees: a crawler reads the DOM. Here each tab gets a frame every
 * {@value #FRAME_MS} ms with {@code noDisplayUpdates}: its page's animation frame callbacks, layout,
 * intersection and resize observers run as in any browser, and nothing is painted; a screenshot is
 * the one frame drawn. That is 16-28 % of the browser's CPU a rendered page (BENCHMARKS.md,
 * "Frames on demand").
 *
 * <p>One frame at a time, across all the browser's tabs: the shell's GPU process takes a second
 * frame issued while another is pending as a bad message and exits (its log: "Got overlapping
 * IssueExternalBeginFrame"), and after six such crashes the browser gives up. So frames go out
 * in turn, each after the answer to the one before. A page whose script never yields holds its
 * frame, and every tab's frames, until its tab is closed at {@code render.timeout}; frames still
 * go out for the others after that. Event loop of the browser.
 */
final class FrameClock {
  /** Between rounds of frames: 20 frames a second at most for each tab. */
  static final long FRAME_MS = 50;
  /** How long closing a tab waits for its last frame before closing it anyway (its page never yields). */
  private static final long LAST_FRAME_WAIT_MS = 1_000;

  private final Vertx vertx;
  private final Set<CdpSession> ticking = new LinkedHashSet<>();
  /** The last frame sent: the next is sent once it is answered, whatever the answer. */
  private Future<?> tail = Future.succeededFuture();
  private boolean roundPending;
  private boolean stopped;

  FrameClock(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Gives {@code session}'s tab a frame every {@value #FRAME_MS} ms until {@link #pause} or {@link #remove}. */
  void resume(CdpSession session) {
    if (!stopped && ticking.add(session) && !roundPending) {
      scheduleRound();
    }
  }

  /** No more frames for {@code session}'s tab: nothing on it changes that anyone needs. */
  void pause(CdpSession session) {
    ticking.remove(session);
  }

  /**
   * No more frames for {@code session}'s tab, which is about to close; completes once the frames
   * already sent are answered (within {@value #LAST_FRAME_WAIT_MS} ms), so that the tab does not
   * close under a pending frame. Never fails.
   */
  Future<Void> remove(CdpSession session) {
    ticking.remove(session);
    return tail.<Void>transform(ar -> Future.succeededFuture())
        .timeout(LAST_FRAME_WAIT_MS, TimeUnit.MILLISECONDS)
        .recover(err -> Future.succeededFuture());
  }

  /**
   * Sends one frame to {@code session}'s tab after the frames before it: {@code params} are
   * {@code HeadlessExperimental.beginFrame}'s (a screenshot, say). The future holds the answer.
   */
  Future<JsonObject> frame(CdpSession session, JsonObject params) {
    return enqueue(() -> session.send("HeadlessExperimental.beginFrame", params));
  }

  /** No more frames for anyone: the browser is closing. */
  void stop() {
    stopped = true;
    ticking.clear();
  }

  private Future<JsonObject> enqueue(Supplier<Future<JsonObject>> send) {
    Promise<JsonObject> answered = Promise.promise();
    tail.onComplete(ar -> send.get().onComplete(answered));
    tail = answered.future();
    return answered.future();
  }

  private void scheduleRound() {
    roundPending = true;
    vertx.setTimer(FRAME_MS, id -> {
      roundPending = false;
      // A tab that went away (crashed, its browser gone) without being removed gets no more rounds.
      ticking.removeIf(session -> session.ended().isComplete());
      if (ticking.isEmpty()) {
        return;
      }
      List<CdpSession> round = new ArrayList<>(ticking);
      Future<?> last = null;
      for (CdpSession session : round) {
        last = enqueue(() -> ticking.contains(session) && !session.ended().isComplete()
            ? session.send("HeadlessExperimental.beginFrame", tickParams())
            : Future.succeededFuture(new JsonObject()));
      }
      last.onComplete(ar -> {
        if (!ticking.isEmpty() && !roundPending) {
          scheduleRound();
        }
      });
    });
  }

  private static JsonObject tickParams() {
    return new JsonObject().put("interval", FRAME_MS).put("noDisplayUpdates", true);
  }
}
