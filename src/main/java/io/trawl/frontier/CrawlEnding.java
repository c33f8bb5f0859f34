package io.trawl.frontier;

import io.trawl.core.UrlNormalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a crawl ends and why. Dispatching stops on a stop request, at {@code crawl.max_duration},
 * or at {@code crawl.max_pages} (the first reason stands); the crawl is over once nothing is in
 * flight and either dispatching stopped or nothing is left: no row in memory, none unread in the
 * table, no read out and no sitemap still being read ({@code done}). A crawl that fails as a whole
 * is over at once. Whoever waits for the end is told once it is announced, or at once when it
 * already was. On a node of a cluster crawl, nothing left means nothing left on any node. Not thread-safe: the frontier verticle's event loop owns it.
 */
final class CrawlEnding {
  static final String DONE = "done";
  static final String STOPPED = "stopped";
  static final String MAX_PAGES = "max_pages";
  static final String MAX_DURATION = "max_duration";
  static final String FAILED = "failed";
  private static final Logger log = LoggerFactory.getLogger(CrawlEnding.class);

  private final Frontier frontier;
  private final FrontierWindow window;
  private final List<Runnable> waiters = new ArrayList<>();
  private String stopReason;
  private boolean over;
  private boolean announced;
  private int sitemapsPending;
  /** A node of a cluster crawl: done only once the cluster is ({@link #clusterDone}). */
  private final boolean clustered;
  private boolean clusterDone;

  CrawlEnding(Frontier frontier, FrontierWindow window) {
    this(frontier, window, false);
  }

  CrawlEnding(Frontier frontier, FrontierWindow window, boolean clustered) {
    this.frontier = frontier;
    this.window = window;
    this.clustered = clustered;
  }

  /** No row is queued or in flight on any node of the cluster crawl. */
  void clusterDone() {
    clusterDone = true;
  }

  /** Stops handing out work; what is in flight may still finish. */
  void stop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
      log.info("crawl stopping reason={} inFlight={}", reason, frontier.inFlight());
    }
    frontier.stop();
  }

  /**
   * The seeds to have sitemaps read for, the first of each host: each host's sitemaps are pending
   * until {@link #sitemapsRead}, and the crawl does not end before.
   */
  List<String> awaitSitemaps(List<String> seeds) {
    Set<String> hosts = new HashSet<>();
    List<String> first = seeds.stream().filter(seed -> hosts.add(UrlNormalizer.host(seed))).toList();
    sitemapsPending += first.size();
    return first;
  }

  /** One host's sitemaps are read (or given up on). */
  void sitemapsRead() {
    sitemapsPending--;
  }

  /**
   * Whether the crawl is over now and was not before: true once. Stops at {@code crawl.max_pages}
   * first when it is reached with nothing in flight (a crawl resumed at a limit its earlier runs
   * reached stops at once).
   */
  boolean justEnded() {
    if (over) {
      return false;
    }
    if (frontier.maxPagesReached() && frontier.inFlight() == 0) {
      stop(MAX_PAGES);
    }
    if (frontier.inFlight() > 0) {
      return false;
    }
    boolean drained = frontier.isIdle() && window.isDrained() && sitemapsPending == 0 && (!clustered || clusterDone);
    if (stopReason == null && !drained) {
      return false;
    }
    over = true;
    if (stopReason == null) {
      stopReason = DONE;
    }
    return true;
  }

  /** The crawl failed as a whole and is over, whatever is in flight; false if it was already over. */
  boolean fail() {
    if (over) {
      return false;
    }
    over = true;
    stopReason = FAILED;
    frontier.stop();
    return true;
  }

  /** Runs {@code waiter} once the end is announced, or now if it was. */
  void whenAnnounced(Runnable waiter) {
    if (announced) {
      waiter.run();
    } else {
      waiters.add(waiter);
    }
  }

  /** The end is announced: whoever waited is told. */
  void announce() {
    announced = true;
    waiters.forEach(Runnable::run);
    waiters.clear();
  }

  /** Why the crawl ends or is ending (asked to stop, pages still in flight), or null while it runs on. */
  String requestedReason() {
    return stopReason;
  }

  /** Why the crawl ended ({@code done}, {@code stopped}, {@code max_pages}, ...), or null while it runs. */
  String reason() {
    return over ? stopReason : null;
  }
}
