package io.trawl.frontier;

import io.trawl.bus.FrontierRow;
import io.trawl.core.UrlNormalizer;
import io.trawl.metrics.FrontierSnapshot;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * The in-memory window of the frontier: one queue per host, each with its politeness clock, and a
 * ready queue of hosts ordered by when each may next be asked. Hands out work only against free
 * credits ({@code concurrency} requests on the network), at most {@code perHostConcurrency} per
 * host, and no faster than each host's interval. A row whose response is in but not yet stored no
 * longer holds a request slot; nothing is handed out while {@code concurrency} such rows wait for
 * the store, so at most twice the credits are ever out and the pipeline stays bounded. Not thread-safe: the frontier verticle's event loop owns it.
 */
final class Frontier {
  private final int concurrency;
  private final int perHostConcurrency;
  private final long intervalNanos;
  private final long maxPages;
  private final LongSupplier nanoTime;
  private final LongSupplier currentMillis;
  private final Map<String, HostQueue> hosts = new HashMap<>();
  private final PriorityQueue<HostQueue> ready =
      new PriorityQueue<>(Comparator.comparingLong((HostQueue h) -> h.readyAtNanos));
  /** Hosts a breaker or a Retry-After held when last looked at; {@link #snapshot} drops those whose hold ended. */
  private final Set<HostQueue> paused = new HashSet<>();
  private int activeHosts;
  private int inFlight;
  private int storing;
  private long inMemory;
  private long stored;
  private long storedBefore;
  private long failed;
  private long retries;
  private boolean stopped;

  Frontier(int concurrency, int perHostConcurrency, long intervalNanos, long maxPages,
      LongSupplier nanoTime, LongSupplier currentMillis) {
    this.concurrency = concurrency;
    this.perHostConcurrency = perHostConcurrency;
    this.intervalNanos = intervalNanos;
    this.maxPages = maxPages;
    this.nanoTime = nanoTime;
    this.currentMillis = currentMillis;
  }

  /** Queues a row read from the frontier table. */
  void add(FrontierRow row) {
    HostQueue host = hosts.computeIfAbsent(UrlNormalizer.host(row.url()), h -> new HostQueue(h, intervalNanos));
    host.rows.add(row);
    inMemory++;
    schedule(host);
  }

  /** The next row that may be fetched now, or null when none may. Counts it as in flight. */
  FrontierRow next() {
    if (stopped || inFlight >= concurrency || storing >= concurrency || maxPagesReached()) {
      return null;
    }
    HostQueue host = ready.peek();
    long now = nanoTime.getAsLong();
    if (host == null || host.readyAtNanos > now) {
      return null;
    }
    ready.poll();
    host.scheduled = false;
    FrontierRow row = host.rows.poll();
    inMemory--;
    if (host.inFlight++ == 0) {
      activeHosts++;
    }
    inFlight++;
    host.nextAllowedNanos = Math.max(now, host.nextAllowedNanos) + host.intervalNanos;
    schedule(host);
    return row;
  }

  /**
   * The request of a handed-out row is over (its response is in, or it failed for good): the row
   * frees its request slot and waits for the store.
   */
  void fetched(FrontierRow row) {
    HostQueue host = release(row);
    storing++;
    schedule(host);
  }

  /** A handed-out row was stored, with or without an error. */
  void markDone(FrontierRow row, boolean withError, boolean wasFetched) {
    HostQueue host;
    if (wasFetched) {
      storing--;
      host = hosts.get(UrlNormalizer.host(row.url()));
    } else {
      host = release(row);
    }
    stored++;
    host.done++;
    if (withError) {
      failed++;
    }
    schedule(host);
  }

  /**
   * A handed-out row must be tried again, not before {@code notBeforeMs}; the whole host waits
   * until then, since a server that asks one URL to wait asks it of its host.
   */
  void reclaim(FrontierRow row, boolean wasFetched) {
    reclaim(row, wasFetched, false);
  }

  /** As {@link #reclaim(FrontierRow, boolean)}; {@code byBreaker} says the host's circuit breaker is what holds it. */
  void reclaim(FrontierRow row, boolean wasFetched, boolean byBreaker) {
    HostQueue host;
    if (wasFetched) {
      storing--;
      host = hosts.get(UrlNormalizer.host(row.url()));
    } else {
      host = release(row);
    }
    retries++;
    host.nextAllowedNanos = Math.max(host.nextAllowedNanos, nanosAt(row.notBeforeMs()));
    if (row.notBeforeMs() > 0) {
      host.pausedUntilNanos = host.nextAllowedNanos;
      host.pausedByBreaker = byBreaker;
      paused.add(host);
    }
    host.rows.add(row);
    inMemory++;
    reschedule(host);
  }

  /** The host of {@code row} asks (robots.txt Crawl-delay) for at least this spacing between requests. */
  void crawlDelay(FrontierRow row, long delayNanos) {
    HostQueue host = hosts.get(UrlNormalizer.host(row.url()));
    if (host != null && delayNanos > host.intervalNanos) {
      host.nextAllowedNanos += delayNanos - host.intervalNanos;
      host.intervalNanos = delayNanos;
      reschedule(host);
    }
  }

  /** Hands out nothing more; what is in flight may still come back. */
  void stop() {
    stopped = true;
  }

  boolean isStopped() {
    return stopped;
  }

  /**
   * Pages earlier runs of this crawl stored: they count toward {@code crawl.max_pages}, so a
   * resumed crawl stops at the same total as one that was never interrupted.
   */
  void storedBefore(long pages) {
    storedBefore = pages;
  }

  boolean maxPagesReached() {
    return maxPages > 0 && storedBefore + stored + inFlight + storing >= maxPages;
  }

  /** Nothing in flight and nothing waiting in memory (the table may still hold queued rows). */
  boolean isIdle() {
    return inFlight == 0 && storing == 0 && inMemory == 0;
  }

  /** System.nanoTime at which {@link #next()} may return a row again, or -1 if only a completion can change that. */
  long nextWakeNanos() {
    HostQueue host = ready.peek();
    return host == null || inFlight >= concurrency || storing >= concurrency ? -1 : host.readyAtNanos;
  }

  /** Rows handed out and not yet finished: on the network or waiting for the store. */
  int inFlight() {
    return inFlight + storing;
  }

  long inMemory() {
    return inMemory;
  }

  long stored() {
    return stored;
  }

  long failed() {
    return failed;
  }

  long retries() {
    return retries;
  }

  int hostCount() {
    return hosts.size();
  }

  /**
   * Where the frontier stands, for the metrics and the dashboard.
   *
   * @param queued rows queued in all (the verticle's count, the table's included)
   * @param topHosts how many hosts to list, most pages done first; 0 for none
   */
  FrontierSnapshot snapshot(long queued, int topHosts) {
    long now = nanoTime.getAsLong();
    paused.removeIf(host -> host.pausedUntilNanos <= now);
    int byBreaker = (int) paused.stream().filter(host -> host.pausedByBreaker).count();
    return new FrontierSnapshot(queued, inFlight, storing, hosts.size(), activeHosts, byBreaker,
        paused.size() - byBreaker, topHosts == 0 ? List.of() : HostRanking.top(hosts.values(), topHosts, now),
        currentMillis.getAsLong());
  }

  private HostQueue release(FrontierRow row) {
    HostQueue host = hosts.get(UrlNormalizer.host(row.url()));
    if (--host.inFlight == 0) {
      activeHosts--;
    }
    inFlight--;
    return host;
  }

  /** Re-keys a host whose clock moved while it waited in the ready queue. */
  private void reschedule(HostQueue host) {
    if (host.scheduled) {
      ready.remove(host);
      host.scheduled = false;
    }
    schedule(host);
  }

  private void schedule(HostQueue host) {
    if (host.scheduled || host.rows.isEmpty() || host.inFlight >= perHostConcurrency) {
      return;
    }
    host.readyAtNanos = Math.max(host.nextAllowedNanos, nanosAt(host.rows.peek().notBeforeMs()));
    host.scheduled = true;
    ready.add(host);
  }

  private long nanosAt(long epochMillis) {
    long now = nanoTime.getAsLong();
    if (epochMillis <= 0) {
      return now;
    }
    return now + Math.max(0, epochMillis - currentMillis.getAsLong()) * 1_000_000L;
  }
}
