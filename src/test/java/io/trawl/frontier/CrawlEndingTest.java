package io.trawl.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.FrontierRow;
import io.trawl.bus.QueuedBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrawlEndingTest {
  private final Frontier frontier = frontier(0);
  private final FrontierWindow window = new FrontierWindow(frontier);
  private final CrawlEnding ending = new CrawlEnding(frontier, window);

  private static Frontier frontier(long maxPages) {
    return new Frontier(10, 10, 0, maxPages, () -> 1_000_000_000L, () -> 1_700_000_000_000L);
  }

  /** Reads the whole table into the window: {@code urls} are all the queued rows there are. */
  private static void readTable(FrontierWindow window, String... urls) {
    List<FrontierRow> rows = new ArrayList<>();
    for (int i = 0; i < urls.length; i++) {
      rows.add(new FrontierRow(i + 1, urls[i], 0, 0, 0));
    }
    window.nextLoad();
    window.loaded(new QueuedBatch(rows, rows.size(), -1));
  }

  @Test
  void endsDoneOnceNothingIsQueuedInFlightOrUnread() {
    readTable(window, "http://a.test/");
    FrontierRow row = window.claim((claimed, lane) -> {}).get(0);
    assertThat(ending.justEnded()).as("in flight").isFalse();

    frontier.markDone(row.id(), false);

    assertThat(ending.justEnded()).isTrue();
    assertThat(ending.reason()).isEqualTo(CrawlEnding.DONE);
    assertThat(ending.justEnded()).as("once").isFalse();
  }

  @Test
  void doesNotEndWhileTheTableMayStillHoldRows() {
    assertThat(ending.justEnded()).as("not read yet").isFalse();
    window.nextLoad();
    assertThat(ending.justEnded()).as("a read is out").isFalse();
    assertThat(ending.reason()).isNull();
  }

  @Test
  void doesNotEndWhileAHostsSitemapsAreRead() {
    List<String> asked = ending.awaitSitemaps(List.of("http://a.test/", "http://a.test/x", "http://b.test/"));
    assertThat(asked).as("one seed per host").containsExactly("http://a.test/", "http://b.test/");
    readTable(window);

    assertThat(ending.justEnded()).isFalse();
    ending.sitemapsRead();
    assertThat(ending.justEnded()).isFalse();
    ending.sitemapsRead();
    assertThat(ending.justEnded()).isTrue();
  }

  @Test
  void aStopEndsTheCrawlOnceWhatIsInFlightIsBackWhateverIsStillQueued() {
    readTable(window, "http://a.test/", "http://b.test/");
    FrontierRow row = frontier.next();

    ending.stop(CrawlEnding.STOPPED);
    assertThat(frontier.next()).as("nothing more handed out").isNull();
    assertThat(ending.justEnded()).isFalse();
    assertThat(ending.reason()).as("while it runs").isNull();

    frontier.markDone(row.id(), false);
    assertThat(ending.justEnded()).isTrue();
    assertThat(ending.reason()).isEqualTo(CrawlEnding.STOPPED);
  }

  @Test
  void theFirstStopReasonStands() {
    readTable(window, "http://a.test/");
    ending.stop(CrawlEnding.MAX_DURATION);
    ending.stop(CrawlEnding.STOPPED);

    assertThat(ending.justEnded()).isTrue();
    assertThat(ending.reason()).isEqualTo(CrawlEnding.MAX_DURATION);
  }

  @Test
  void aCrawlResumedAtItsPageLimitEndsAtOnceWithRowsStillQueued() {
    Frontier limited = frontier(5);
    FrontierWindow resumed = new FrontierWindow(limited);
    CrawlEnding limitedEnding = new CrawlEnding(limited, resumed);
    resumed.nextLoad();
    resumed.loaded(new QueuedBatch(List.of(new FrontierRow(9, "http://a.test/", 1, 0, 0)), 1, 5));

    assertThat(limitedEnding.justEnded()).isTrue();
    assertThat(limitedEnding.reason()).isEqualTo(CrawlEnding.MAX_PAGES);
    assertThat(limited.isStopped()).isTrue();
  }

  @Test
  void reachingMaxPagesEndsOnceTheLastPageIsStored() {
    Frontier limited = frontier(1);
    FrontierWindow window = new FrontierWindow(limited);
    CrawlEnding limitedEnding = new CrawlEnding(limited, window);
    readTable(window, "http://a.test/", "http://b.test/");
    FrontierRow row = window.claim((claimed, lane) -> {}).get(0);
    assertThat(limitedEnding.justEnded()).isFalse();

    limited.markDone(row.id(), false);

    assertThat(limitedEnding.justEnded()).isTrue();
    assertThat(limitedEnding.reason()).isEqualTo(CrawlEnding.MAX_PAGES);
  }

  @Test
  void aFailureEndsTheCrawlAtOnceEvenWithRowsInFlight() {
    readTable(window, "http://a.test/");
    frontier.next();

    assertThat(ending.fail()).isTrue();
    assertThat(ending.reason()).isEqualTo(CrawlEnding.FAILED);
    assertThat(frontier.isStopped()).isTrue();
    assertThat(ending.fail()).as("already over").isFalse();
    assertThat(ending.justEnded()).isFalse();
  }

  @Test
  void whoeverWaitsIsToldWhenTheEndIsAnnouncedOrAtOnceAfter() {
    List<String> told = new ArrayList<>();
    ending.whenAnnounced(() -> told.add("before"));
    readTable(window);
    assertThat(ending.justEnded()).isTrue();
    assertThat(told).as("ended, not yet announced").isEmpty();

    ending.announce();
    assertThat(told).containsExactly("before");

    ending.whenAnnounced(() -> told.add("after"));
    assertThat(told).containsExactly("before", "after");
  }
}
