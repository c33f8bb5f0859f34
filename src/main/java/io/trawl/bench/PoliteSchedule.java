package io.trawl.bench;

import io.trawl.fetch.HostClock;
import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * How soon a crawler that cost nothing could crawl the generated site, politely: the schedule
 * {@code bench --cold} holds a crawl's time against, beside the plain bound ({@code hosts × rate},
 * {@code concurrency / latency}), which no crawl of a site reached through its links can meet.
 *
 * <p>It starts, as a crawl does, with page 0 only and fetches every page as soon as all of these
 * allow: its link has been read (a page's links are known the moment its response is in), its
 * host's robots.txt has been answered, its host's interval has passed since the host's last request
 * (robots.txt's included, measured when each is sent, as {@link HostClock} spaces them; an interval
 * under the clock's millisecond is none), fewer than {@code perHostConcurrency} of its host's
 * requests and fewer than {@code concurrency} pages are in flight. Every response takes the latency
 * exactly; parsing and storing take no time. A page waiting for a slot is sent the moment one is
 * free; robots.txt requests do not take one. Page {@code i} is on host {@code i % hosts}, as on
 * {@link GeneratedSite}.
 */
public final class PoliteSchedule {
  private PoliteSchedule() {}

  /**
   * The schedule's outcome.
   *
   * @param pages pages fetched: the whole site
   * @param seconds from the first request (page 0's robots.txt) to the last page's response
   * @param firstPageSeconds from the first request to page 0's response
   */
  public record Result(int pages, double seconds, double firstPageSeconds) {
    public double pagesPerSecond() {
      return pages / seconds;
    }

    /** From the first page's response to the last's: what the cold bench's {@code fetching} column measures. */
    public double fetchingSeconds() {
      return seconds - firstPageSeconds;
    }
  }

  private static final byte NOT_ASKED = 0;
  private static final byte ASKING = 1;
  private static final byte ANSWERED = 2;

  private record Event(long nanos, long order, int kind, int host, int page) {}

  private static final int WAKE = 0;
  private static final int ROBOTS_DONE = 1;
  private static final int PAGE_DONE = 2;

  /**
   * Plays the crawl of the site out.
   *
   * @param pages the site's pages
   * @param linksPerPage links on each page ({@link GeneratedSite#link})
   * @param hosts hosts the pages are spread over
   * @param intervalNanos the per-host interval ({@code fetch.per_host_rate})
   * @param latencyNanos every response's delay
   * @param concurrency pages in flight at most ({@code fetch.concurrency})
   * @param perHostConcurrency one host's pages in flight at most
   */
  public static Result of(int pages, int linksPerPage, int hosts, long intervalNanos, long latencyNanos, int concurrency,
      int perHostConcurrency) {
    return new Run(pages, linksPerPage, hosts, intervalNanos < HostClock.RESOLUTION_NANOS ? 0 : intervalNanos,
        latencyNanos, concurrency, perHostConcurrency).play();
  }

  private static final class Run {
    private final int pages;
    private final int linksPerPage;
    private final int hosts;
    private final long interval;
    private final long latency;
    private final int concurrency;
    private final int perHostConcurrency;

    private final boolean[] seen;
    /** Each host's pages waiting, a list through {@link #nextWaiting}: first and last, -1 when none. */
    private final int[] firstWaiting;
    private final int[] lastWaiting;
    private final int[] nextWaiting;
    private final long[] nextSend;
    private final long[] wakeAt;
    private final byte[] robots;
    private final int[] inFlight;
    private final boolean[] wantsSlot;
    /** Hosts that have a page ready but no free slot, in the order they asked. */
    private final int[] slotQueue;
    private int slotHead;
    private int slotSize;
    private int pagesInFlight;

    private final PriorityQueue<Event> events = new PriorityQueue<>(
        (a, b) -> a.nanos != b.nanos ? Long.compare(a.nanos, b.nanos) : Long.compare(a.order, b.order));
    private long order;
    private int done;
    private long firstDone = -1;
    private long lastDone;

    Run(int pages, int linksPerPage, int hosts, long interval, long latency, int concurrency, int perHostConcurrency) {
      if (pages < 1 || linksPerPage < 3 || hosts < 1 || interval < 0 || latency < 0 || concurrency < 1
          || perHostConcurrency < 1) {
        throw new IllegalArgumentException("a schedule needs pages, 3 links a page, hosts and slots");
      }
      this.pages = pages;
      this.linksPerPage = linksPerPage;
      this.hosts = hosts;
      this.interval = interval;
      this.latency = latency;
      this.concurrency = concurrency;
      this.perHostConcurrency = perHostConcurrency;
      seen = new boolean[pages];
      firstWaiting = new int[hosts];
      lastWaiting = new int[hosts];
      nextWaiting = new int[pages];
      Arrays.fill(firstWaiting, -1);
      Arrays.fill(lastWaiting, -1);
      nextSend = new long[hosts];
      wakeAt = new long[hosts];
      Arrays.fill(wakeAt, -1);
      robots = new byte[hosts];
      inFlight = new int[hosts];
      wantsSlot = new boolean[hosts];
      slotQueue = new int[hosts];
    }

    Result play() {
      discover(0, 0);
      for (Event e = events.poll(); e != null; e = events.poll()) {
        long now = e.nanos;
        switch (e.kind) {
          case WAKE -> {
            if (wakeAt[e.host] == now) {
              wakeAt[e.host] = -1;
            }
            send(e.host, now);
          }
          case ROBOTS_DONE -> {
            robots[e.host] = ANSWERED;
            send(e.host, now);
          }
          default -> {
            pagesInFlight--;
            inFlight[e.host]--;
            done++;
            lastDone = now;
            if (firstDone < 0) {
              firstDone = now;
            }
            for (int j = 0; j < linksPerPage; j++) {
              discover(GeneratedSite.link(e.page, j, pages), now);
            }
            send(e.host, now);
            while (slotSize > 0 && pagesInFlight < concurrency) {
              int host = slotQueue[slotHead];
              slotHead = (slotHead + 1) % hosts;
              slotSize--;
              wantsSlot[host] = false;
              send(host, now);
            }
          }
        }
      }
      return new Result(done, lastDone / 1e9, firstDone / 1e9);
    }

    private void discover(int page, long now) {
      if (seen[page]) {
        return;
      }
      seen[page] = true;
      int host = page % hosts;
      nextWaiting[page] = -1;
      if (lastWaiting[host] < 0) {
        firstWaiting[host] = page;
      } else {
        nextWaiting[lastWaiting[host]] = page;
      }
      lastWaiting[host] = page;
      send(host, now);
    }

    /** Sends what the host may send now: robots.txt first, then its waiting pages. */
    private void send(int host, long now) {
      while (robots[host] != ASKING) {
        boolean robotsFirst = robots[host] == NOT_ASKED;
        if (!robotsFirst && (firstWaiting[host] < 0 || inFlight[host] >= perHostConcurrency)) {
          return;
        }
        if (!robotsFirst && pagesInFlight >= concurrency) {
          if (!wantsSlot[host]) {
            wantsSlot[host] = true;
            slotQueue[(slotHead + slotSize++) % hosts] = host;
          }
          return;
        }
        if (nextSend[host] > now) {
          if (wakeAt[host] != nextSend[host]) {
            wakeAt[host] = nextSend[host];
            events.add(new Event(nextSend[host], order++, WAKE, host, -1));
          }
          return;
        }
        nextSend[host] = now + interval;
        if (robotsFirst) {
          robots[host] = ASKING;
          events.add(new Event(now + latency, order++, ROBOTS_DONE, host, -1));
          return;
        }
        int page = firstWaiting[host];
        firstWaiting[host] = nextWaiting[page];
        if (firstWaiting[host] < 0) {
          lastWaiting[host] = -1;
        }
        inFlight[host]++;
        pagesInFlight++;
        events.add(new Event(now + latency, order++, PAGE_DONE, host, page));
      }
    }
  }
}
