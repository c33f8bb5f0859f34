package io.trawl.fetch;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The politeness clock every request of a crawl to a host goes by, pages, redirect hops,
 * robots.txt, sitemaps and logins alike: two requests to one host (host and port, as the
 * frontier's queues) are sent at least the host's interval apart, measured when each is sent.
 * A request takes a {@link Turn} ({@link #turn}): one request per host holds the turn at a time,
 * from the moment its slot comes until it is sent ({@link Turn#sent}, which starts the next
 * interval) or given up unsent ({@link Turn#release}); the others wait in line, each woken on its
 * own context when its slot comes. Timers tick in milliseconds: a host whose interval is shorter
 * than {@link #RESOLUTION_NANOS} is not spaced here at all (the frontier's hand-out paces it), and a
 * wait under a millisecond is not waited. Thread-safe: the fetchers of every event loop share one clock;
 * each call holds its lock for a map lookup. Hosts with nobody waiting and whose slot has passed
 * are forgotten once more than {@value #PRUNE_ABOVE} are known, which bounds its memory by the
 * hosts being fetched.
 */
public final class HostClock {
  static final int PRUNE_ABOVE = 10_000;
  /** The shortest interval the clock keeps: a millisecond, its timers' resolution. */
  public static final long RESOLUTION_NANOS = 1_000_000;

  /** One request's place on its host's clock. Release it, or report it sent, exactly once. */
  public final class Turn {
    private final String host;
    private final long intervalNanos;
    private final Context context;
    private final Promise<Turn> granted = Promise.promise();
    private boolean over;

    private Turn(String host, long intervalNanos, Context context) {
      this.host = host;
      this.intervalNanos = intervalNanos;
      this.context = context;
    }

    /** The request goes out now: the host's next may not be sent before this turn's interval from now. */
    public void sent() {
      HostClock.this.over(this, true);
    }

    /** The request gives up its turn without being sent (it failed first, or goes through another proxy). */
    public void release() {
      HostClock.this.over(this, false);
    }
  }

  /** One host's clock. */
  private static final class Host {
    /** When the next request may be sent; now, for a host not yet asked. */
    long nextNanos;
    Turn holder;
    final ArrayDeque<Turn> waiting = new ArrayDeque<>();

    Host(long nowNanos) {
      this.nextNanos = nowNanos;
    }
  }

  private final LongSupplier nanoTime;
  private final Map<String, Host> hosts = new HashMap<>();
  private int pruneAt = PRUNE_ABOVE;

  public HostClock() {
    this(System::nanoTime);
  }

  HostClock(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * A turn for a request to {@code host}; completes on the caller's context (an event loop) once
   * the host's slot has come and the requests before it were sent or gave up.
   *
   * @param intervalNanos the spacing this request asks of the next one
   */
  public Future<Turn> turn(Vertx vertx, String host, long intervalNanos) {
    Turn turn = new Turn(host, intervalNanos, vertx.getOrCreateContext());
    long readyNanos;
    synchronized (this) {
      Host clock = hosts.get(host);
      if (clock == null) {
        if (hosts.size() >= pruneAt) {
          prune(nanoTime.getAsLong());
          pruneAt = Math.max(PRUNE_ABOVE, 2 * hosts.size());
        }
        clock = new Host(nanoTime.getAsLong());
        hosts.put(host, clock);
      }
      if (clock.holder != null) {
        clock.waiting.add(turn);
        return turn.granted.future();
      }
      clock.holder = turn;
      readyNanos = clock.nextNanos;
    }
    if (readyNanos - nanoTime.getAsLong() < RESOLUTION_NANOS && Vertx.currentContext() == turn.context) {
      turn.granted.complete(turn); // its slot has come, and the caller is where it completes
    } else {
      grant(turn, readyNanos);
    }
    return turn.granted.future();
  }

  /** Hosts known now (with a clock running or requests waiting). */
  synchronized int hosts() {
    return hosts.size();
  }

  private void over(Turn turn, boolean sent) {
    Turn next;
    long readyNanos;
    synchronized (this) {
      if (turn.over) {
        return;
      }
      turn.over = true;
      Host clock = hosts.get(turn.host);
      if (clock.holder != turn) {
        clock.waiting.remove(turn); // given up before its slot came
        return;
      }
      if (sent) {
        clock.nextNanos = Math.max(clock.nextNanos, nanoTime.getAsLong() + turn.intervalNanos);
      }
      next = clock.waiting.poll();
      clock.holder = next;
      readyNanos = clock.nextNanos;
    }
    if (next != null) {
      grant(next, readyNanos);
    }
  }

  /** Completes {@code turn} on its own context once {@code readyNanos} has come. */
  private void grant(Turn turn, long readyNanos) {
    turn.context.runOnContext(v -> {
      long waitNanos = readyNanos - nanoTime.getAsLong();
      if (waitNanos < RESOLUTION_NANOS) {
        turn.granted.complete(turn);
      } else {
        turn.context.owner().setTimer(Math.max(1, (waitNanos + 999_999) / 1_000_000),
            id -> turn.granted.complete(turn));
      }
    });
  }

  private void prune(long now) {
    for (Iterator<Host> it = hosts.values().iterator(); it.hasNext(); ) {
      Host clock = it.next();
      if (clock.holder == null && clock.waiting.isEmpty() && clock.nextNanos <= now) {
        it.remove();
      }
    }
  }
}
