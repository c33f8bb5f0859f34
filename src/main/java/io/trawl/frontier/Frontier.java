package io.trawl.frontier;

import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FrontierRow;
import io.trawl.core.FailureKind;
import io.trawl.core.UrlNormalizer;
import io.trawl.metrics.FrontierSnapshot;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The in-memory window of the frontier: one queue per host, each with its politeness clock, and a
 * ready queue of hosts ordered by when each may next be asked. Hands out work only against free
 * credits ({@code concurrency} requests on the network), at most the host's {@code
 * per_host_concurrency}, and no faster than the host's interval ({@code per_host_rate}; both may
 * be the host's own, from {@code hosts:}). A row whose response is in but not yet stored no
 * longer holds a request slot; nothing is handed out while {@code concurrency} such rows wait for
 * the store, so at most twice the credits are ever out and the pipeline stays bounded. Rows handed
 * out are known by id until they are done or reclaimed.
 *
 * <p>On a node of a cluster crawl it also keeps to what the cluster allows: only the host
 * partitions the node owns ({@link #own}), only until the node's lease runs out ({@link
 * #dispatchUntil}), and only as many pages as the cluster's share of {@code crawl.max_pages} it
 * was granted ({@link #addBudget}). Not thread-safe: the frontier verticle's event loop owns it.
 */
final class Frontier {
  private final int concurrency;
  private final Function<String, HostLimits> limitsOf;
  private final long maxPages;
  private final LongSupplier nanoTime;
  private final LongSupplier currentMillis;
  private final Map<String, HostQueue> hosts = new HashMap<>();
  private final PriorityQueue<HostQueue> ready =
      new PriorityQueue<>(Comparator.comparingLong((HostQueue h) -> h.readyAtNanos));
  /** Rows handed out, by id; and of those, the ones whose request is over and that wait for the store. */
  private final Map<Long, FrontierRow> handedOut = new HashMap<>();
  private final Set<Long> awaitingStore = new HashSet<>();
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
  /** The partitions whose rows may be kept and handed out; null for all (one machine). */
  private Set<Integer> owned;
  /** Whether a cluster node's lease bounds dispatching, and System.nanoTime after which nothing is handed out. */
  private boolean leaseBound;
  private long dispatchUntilNanos;
  /** Pages this node may still hand out of the cluster's crawl.max_pages; -1 for no such limit. */
  private long budget = -1;
  /** The lane of the row {@link #next} handed out last. */
  private int lastLane;

  /** The pace of one host: the spacing of its request starts, and how many may be out at once. */
  record HostLimits(long intervalNanos, int concurrency) {}

  /** A frontier whose hosts all have {@code perHostConcurrency} and {@code intervalNanos}. */
  Frontier(int concurrency, int perHostConcurrency, long intervalNanos, long maxPages,
      LongSupplier nanoTime, LongSupplier currentMillis) {
    this(concurrency, host -> new HostLimits(intervalNanos, perHostConcurrency), maxPages, nanoTime, currentMillis);
  }

  /** @param limitsOf the limits of a host (its queue's key), asked once when its queue is made */
  Frontier(int concurrency, Function<String, HostLimits> limitsOf, long maxPages,
      LongSupplier nanoTime, LongSupplier currentMillis) {
    this.concurrency = concurrency;
    this.limitsOf = limitsOf;
    this.maxPages = maxPages;
    this.nanoTime = nanoTime;
    this.currentMillis = currentMillis;
  }

  /** Queues a row read from the frontier table; false, keeping nothing, for a row of a partition this node does not own. */
  boolean add(FrontierRow row) {
    HostQueue host = hosts.computeIfAbsent(UrlNormalizer.host(row.url()), h -> new HostQueue(h, limitsOf.apply(h)));
    if (owned != null && !owned.contains(host.partition)) {
      return false;
    }
    host.rows.add(row);
    inMemory++;
    schedule(host);
    return true;
  }

  /**
   * From now on only rows of {@code partitions} are kept and handed out: the queued rows of the
   * others leave memory (they stay queued in the table for their new owner); rows of theirs in
   * flight finish here. Returns how many rows left memory.
   */
  int own(Set<Integer> partitions) {
    owned = Set.copyOf(partitions);
    int dropped = 0;
    for (HostQueue host : hosts.values()) {
      if (!owned.contains(host.partition) && !host.rows.isEmpty()) {
        dropped += host.rows.size();
        inMemory -= host.rows.size();
        host.rows.clear();
        if (host.scheduled) {
          ready.remove(host);
          host.scheduled = false;
        }
      }
    }
    return dropped;
  }

  /** Nothing is handed out after {@code nanos} (System.nanoTime), until a later deadline is set. */
  void dispatchUntil(long nanos) {
    leaseBound = true;
    dispatchUntilNanos = nanos;
  }

  /** Whether a cluster node's lease, as last renewed, has run out for dispatching. */
  private boolean leaseExpired(long now) {
    return leaseBound && now - dispatchUntilNanos >= 0;
  }

  /** {@code pages} more of the cluster's {@code crawl.max_pages} may be handed out. */
  void addBudget(long pages) {
    budget = Math.max(0, budget) + pages;
  }

  /** Pages this node may still hand out of the cluster's {@code crawl.max_pages}; -1 without such a limit. */
  long budget() {
    return budget;
  }

  /** Whether rows wait and the cluster's page budget is spent (the next may not be ready yet). */
  boolean wantsBudget() {
    return budget == 0 && !stopped && ready.peek() != null;
  }

  /** The partitions of the rows handed out and not yet finished. */
  Set<Integer> partitionsInFlight() {
    Set<Integer> partitions = new HashSet<>();
    for (FrontierRow row : handedOut.values()) {
      partitions.add(hosts.get(UrlNormalizer.host(row.url())).partition);
    }
    return partitions;
  }

  /** The next row that may be fetched now, or null when none may. Counts it as in flight. */
  FrontierRow next() {
    if (stopped || inFlight >= concurrency || storing >= concurrency || maxPagesReached() || budget == 0) {
      return null;
    }
    HostQueue host = ready.peek();
    long now = nanoTime.getAsLong();
    if (host == null || host.readyAtNanos > now || leaseExpired(now)) {
      return null;
    }
    if (budget > 0) {
      budget--;
    }
    ready.poll();
    host.scheduled = false;
    FrontierRow row = host.rows.poll();
    inMemory--;
    lastLane = host.partition + host.inFlight;
    if (host.inFlight++ == 0) {
      activeHosts++;
    }
    inFlight++;
    host.nextAllowedNanos = Math.max(now, host.nextAllowedNanos) + host.intervalNanos;
    schedule(host);
    handedOut.put(row.id(), row);
    return row;
  }

  /**
   * The lane of the row {@link #next} handed out last: its host's partition plus the host's
   * requests that were out before it. The frontier sends a row to the fetcher its lane names
   * (modulo their count), so a host with one request out at a time, whatever its rate, always has
   * the same fetcher, one connection pool and its kept-alive connection; a host with several out at
   * once spreads them over as many fetchers.
   */
  int lastLane() {
    return lastLane;
  }

  /**
   * The request of handed-out row {@code id} is over (its response is in, or it failed for good):
   * the row frees its request slot and waits for the store. False, changing nothing, for an id
   * not handed out or already reported.
   */
  boolean fetched(long id) {
    FrontierRow row = handedOut.get(id);
    if (row == null || !awaitingStore.add(id)) {
      return false;
    }
    HostQueue host = release(row);
    storing++;
    schedule(host);
    return true;
  }

  /** Handed-out row {@code id} was stored, with or without an error. */
  void markDone(long id, boolean withError) {
    HostQueue host = finish(id);
    stored++;
    host.done++;
    if (withError) {
      failed++;
    }
    schedule(host);
  }

  /**
   * Handed-out row {@code id} must be tried again, not before {@code notBeforeMs}; the whole host
   * waits until then, since a server that asks one URL to wait asks it of its host.
   *
   * @param attempts the row's tries so far
   * @param byBreaker whether the host's circuit breaker is what holds it (else a Retry-After or a
   *     robots.txt that could not be read), for {@link #snapshot}
   * @param render why it goes back to be rendered in the browser (not a retry), or null
   * @return the row as it goes back to the queue
   */
  FrontierRow reclaim(long id, int attempts, long notBeforeMs, boolean byBreaker, String render) {
    FrontierRow out = handedOut.get(id);
    HostQueue host = finish(id);
    FrontierRow row = new FrontierRow(id, out.url(), out.depth(), attempts, notBeforeMs, out.revisit(), render);
    if (render == null) {
      retries++;
    }
    if (budget >= 0) {
      budget++; // the page was not stored: its share of crawl.max_pages comes back
    }
    host.nextAllowedNanos = Math.max(host.nextAllowedNanos, nanosAt(row.notBeforeMs()));
    if (row.notBeforeMs() > 0 && render == null) {
      // A page put back to be rendered waits for its host's turn, not for a pause.
      host.pausedUntilNanos = host.nextAllowedNanos;
      host.pausedByBreaker = byBreaker;
      paused.add(host);
    }
    if (owned == null || owned.contains(host.partition)) {
      host.rows.add(row);
      inMemory++;
    }
    reschedule(host);
    return row;
  }

  /**
   * What the fetcher made of handed-out row {@code id}: the host's Crawl-delay applies, and the row
   * is done, or reclaimed to be tried again not before the outcome's time.
   *
   * @return the row as it goes back to the queue, or null when it is done
   */
  FrontierRow complete(long id, FetchOutcome outcome) {
    if (outcome.crawlDelayMs() > 0) {
      crawlDelay(id, outcome.crawlDelayMs() * 1_000_000L);
    }
    if (outcome.stored()) {
      markDone(id, outcome.error() != null);
      return null;
    }
    return reclaim(id, outcome.attempts(), outcome.retryAtMs(), FailureKind.CIRCUIT_OPEN.code().equals(outcome.error()),
        outcome.render());
  }

  /**
   * The host of handed-out row {@code id} asks for this spacing between requests now (robots.txt
   * Crawl-delay, autothrottle's pace, which may shrink again), never less than its rate's.
   */
  void crawlDelay(long id, long delayNanos) {
    FrontierRow row = handedOut.get(id);
    HostQueue host = row == null ? null : hosts.get(UrlNormalizer.host(row.url()));
    long interval = host == null ? 0 : Math.max(host.rateIntervalNanos, delayNanos);
    if (host != null && interval != host.intervalNanos) {
      host.nextAllowedNanos += interval - host.intervalNanos;
      host.intervalNanos = interval;
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
    boolean blocked = stopped || inFlight >= concurrency || storing >= concurrency || maxPagesReached() || budget == 0
        || leaseExpired(nanoTime.getAsLong());
    return host == null || blocked ? -1 : host.readyAtNanos;
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
   * @param queued rows queued in all (the window's count, the table's included)
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

  /** Forgets handed-out row {@code id}, freeing its request slot or its place among the rows awaiting the store. */
  private HostQueue finish(long id) {
    FrontierRow row = handedOut.remove(id);
    if (row == null) {
      throw new IllegalStateException("frontier row " + id + " was not handed out");
    }
    if (awaitingStore.remove(id)) {
      storing--;
      return hosts.get(UrlNormalizer.host(row.url()));
    }
    return release(row);
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
    if (host.scheduled || host.rows.isEmpty() || host.inFlight >= host.concurrency) {
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
