package io.trawl.bus;

import io.trawl.core.FailureKind;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * How a handler fails a request so the requester gets a {@link FailureKind} back (the failure
 * message starts with the kind's word), and how long a requester waits for the store.
 */
public final class Replies {
  /** The failure code every trawl handler uses; the kind travels in the message. */
  public static final int FAILED = 1;
  /**
   * How long a request whose answer waits for the store may take (a page's parse and commit, a
   * frontier change, a read of queued rows), and the part of longer budgets that covers the store.
   * The one writer may be behind a long batch on a slow disk; past this the store is stuck, not slow.
   */
  public static final long STORE_REPLY_MS = 120_000;

  private Replies() {}

  public static void fail(Message<?> msg, FailureKind kind, String detail) {
    msg.fail(FAILED, kind.code() + " " + detail);
  }

  /** The kind a failed request carries: the handler's kind, or TIMEOUT / INTERNAL for bus trouble. */
  public static FailureKind kindOf(Throwable err) {
    if (err instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return FailureKind.TIMEOUT;
      }
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.getMessage() != null) {
        String message = reply.getMessage();
        int space = message.indexOf(' ');
        return FailureKind.fromCode(space < 0 ? message : message.substring(0, space));
      }
      return FailureKind.INTERNAL;
    }
    return FailureKind.of(err);
  }
}
