package io.trawl.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import io.trawl.bus.FetchOutcome;
import io.trawl.bus.FrontierRow;
import io.trawl.config.ConfigLoader;
import io.trawl.config.HostOverrides;
import io.trawl.core.HostPartitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrontierTest {
  private long nanos = 1_000_000_000L;
  private long millis = 1_700_000_000_000L;
  private long nextId = 1;

  private Frontier frontier(int concurrency, int perHost, long intervalMs, long maxPages) {
    return new Frontier(concurrency, perHost, intervalMs * 1_000_000L, maxPages, () -> nanos, () -> millis);
  }

  private FrontierRow row(String url) {
    return new FrontierRow(nextId++, url, 0, 0, 0);
  }

  private void advanceMs(long ms) {
    nanos += ms * 1_000_000L;
    millis += ms;
  }

  private List<FrontierRow> drain(Frontier frontier) {
    List<FrontierRow> out = new ArrayList<>();
    FrontierRow row;
    while ((row = frontier.next()) != null) {
      out.add(row);
    }
    return out;
  }

  @Test
  void handsOutNoMoreThanTheGlobalCredits() {
    Frontier frontier = frontier(3, 10, 0, 0);
    for (int i = 0; i < 10; i++) {
      frontier.add(row("http://h" + i + ".test/"));
    }
    assertThat(drain(frontier)).hasSize(3);
    assertThat(frontier.inFlight()).isEqualTo(3);
  }

  @Test
  void spacesRequestsToOneHostByItsInterval() {
    Frontier frontier = frontier(10, 10, 1000, 0);
    for (int i = 0; i < 3; i++) {
      frontier.add(row("http://a.test/" + i));
    }
    frontier.add(row("http://b.test/0"));
    List<FrontierRow> first = drain(frontier);
    assertThat(first).extracting(FrontierRow::url).containsExactlyInAnyOrder("http://a.test/0", "http://b.test/0");
    advanceMs(999);
    assertThat(frontier.next()).isNull();
    assertThat(frontier.nextWakeNanos()).isEqualTo(nanos + 1_000_000L);
    advanceMs(1);
    assertThat(frontier.next().url()).isEqualTo("http://a.test/1");
    assertThat(frontier.next()).isNull();
  }

  @Test
  void aHostWithOneRequestOutAtATimeKeepsItsLane() {
    Frontier frontier = frontier(10, 4, 1000, 0);
    for (int i = 0; i < 3; i++) {
      frontier.add(row("http://a.test/" + i));
    }
    int partition = HostPartitions.ofHost("a.test");
    List<Integer> lanes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      FrontierRow row = frontier.next();
      lanes.add(frontier.lastLane());
      assertThat(frontier.fetched(row.id())).isTrue();
      advanceMs(1000);
    }
    assertThat(lanes).containsExactly(partition, partition, partition);
  }

  @Test
  void requestsOutAtOnceToAHostTakeConsecutiveLanes() {
    Frontier frontier = frontier(10, 3, 0, 0);
    for (int i = 0; i < 4; i++) {
      frontier.add(row("http://a.test/" + i));
    }
    int partition = HostPartitions.ofHost("a.test");
    List<Integer> lanes = new ArrayList<>();
    FrontierRow first = frontier.next();
    lanes.add(frontier.lastLane());
    frontier.next();
    lanes.add(frontier.lastLane());
    frontier.next();
    lanes.add(frontier.lastLane());
    assertThat(frontier.next()).as("past the host's concurrency").isNull();
    frontier.fetched(first.id());
    frontier.next();
    lanes.add(frontier.lastLane());
    assertThat(lanes).containsExactly(partition, partition + 1, partition + 2, partition + 2);
  }

  @Test
  void keepsPerHostConcurrencyUntilARequestCompletes() {
    Frontier frontier = frontier(10, 1, 0, 0);
    frontier.add(row("http://a.test/0"));
    frontier.add(row("http://a.test/1"));
    FrontierRow first = frontier.next();
    assertThat(frontier.next()).isNull();
    frontier.markDone(first.id(), false);
    assertThat(frontier.next().url()).isEqualTo("http://a.test/1");
  }

  @Test
  void givesAHostWithAHostsEntryItsOwnRateAndConcurrency() {
    HostOverrides hosts = HostOverrides.of(ConfigLoader.fromYaml("""
        fetch: {per_host_rate: 1/s, per_host_concurrency: 1}
        hosts:
          fast.test: {per_host_rate: 10/s, per_host_concurrency: 2}
        """, Map.of()));
    Frontier frontier = new Frontier(10,
        host -> new Frontier.HostLimits(hosts.settings(host).rate().intervalNanos(), hosts.settings(host).concurrency()),
        0, () -> nanos, () -> millis);
    for (int i = 0; i < 3; i++) {
      frontier.add(row("http://fast.test/" + i));
      frontier.add(row("http://slow.test/" + i));
    }
    assertThat(drain(frontier)).extracting(FrontierRow::url)
        .containsExactlyInAnyOrder("http://fast.test/0", "http://slow.test/0");
    advanceMs(100);
    assertThat(drain(frontier)).extracting(FrontierRow::url).containsExactly("http://fast.test/1");
    advanceMs(100);
    assertThat(drain(frontier)).as("two in flight: fast.test's concurrency").isEmpty();
  }

  @Test
  void aReclaimedRowPausesItsWholeHostUntilItsNotBefore() {
    Frontier frontier = frontier(10, 2, 0, 0);
    frontier.add(row("http://a.test/0"));
    frontier.add(row("http://a.test/1"));
    frontier.add(row("http://b.test/0"));
    FrontierRow first = frontier.next();
    frontier.reclaim(first.id(), 1, millis + 5000, false, null);
    assertThat(frontier.retries()).isEqualTo(1);
    assertThat(drain(frontier)).extracting(FrontierRow::url).containsExactly("http://b.test/0");
    advanceMs(4999);
    assertThat(frontier.next()).isNull();
    advanceMs(1);
    assertThat(frontier.next().url()).isEqualTo("http://a.test/0");
    assertThat(frontier.next().url()).isEqualTo("http://a.test/1");
  }

  @Test
  void handsOutShallowerRowsOfAHostFirst() {
    Frontier frontier = frontier(1, 1, 0, 0);
    frontier.add(new FrontierRow(1, "http://a.test/deep", 3, 0, 0));
    frontier.add(new FrontierRow(2, "http://a.test/shallow", 1, 0, 0));
    assertThat(frontier.next().url()).isEqualTo("http://a.test/shallow");
  }

  @Test
  void aCrawlDelayLongerThanTheRateSpacesTheHost() {
    Frontier frontier = frontier(10, 10, 100, 0);
    frontier.add(row("http://a.test/0"));
    frontier.add(row("http://a.test/1"));
    FrontierRow first = frontier.next();
    frontier.crawlDelay(first.id(), 2_000_000_000L);
    advanceMs(1999);
    assertThat(frontier.next()).isNull();
    advanceMs(1);
    assertThat(frontier.next().url()).isEqualTo("http://a.test/1");
  }

  @Test
  void stopsHandingOutAtMaxPagesCountingWhatIsInFlight() {
    Frontier frontier = frontier(10, 10, 0, 2);
    for (int i = 0; i < 5; i++) {
      frontier.add(row("http://h" + i + ".test/"));
    }
    List<FrontierRow> out = drain(frontier);
    assertThat(out).hasSize(2);
    frontier.markDone(out.get(0).id(), false);
    frontier.markDone(out.get(1).id(), true);
    assertThat(frontier.next()).isNull();
    assertThat(frontier.maxPagesReached()).isTrue();
    assertThat(frontier.stored()).isEqualTo(2);
    assertThat(frontier.failed()).isEqualTo(1);
  }

  @Test
  void pagesEarlierRunsStoredCountTowardMaxPages() {
    Frontier frontier = frontier(10, 10, 0, 5);
    frontier.storedBefore(3);
    for (int i = 0; i < 5; i++) {
      frontier.add(row("http://h" + i + ".test/"));
    }
    assertThat(drain(frontier)).hasSize(2);
    assertThat(frontier.maxPagesReached()).isTrue();

    Frontier reached = frontier(10, 10, 0, 5);
    reached.storedBefore(5);
    reached.add(row("http://a.test/"));
    assertThat(reached.next()).isNull();
    assertThat(reached.maxPagesReached()).isTrue();
  }

  @Test
  void aStoppedFrontierHandsOutNothingAndBecomesIdleWhenDrained() {
    Frontier frontier = frontier(10, 10, 0, 0);
    frontier.add(row("http://a.test/0"));
    FrontierRow row = frontier.next();
    frontier.add(row("http://a.test/1"));
    frontier.stop();
    assertThat(frontier.next()).isNull();
    frontier.markDone(row.id(), false);
    assertThat(frontier.inFlight()).isZero();
    assertThat(frontier.inMemory()).isEqualTo(1);
  }

  @Test
  void aRowWhoseResponseIsInFreesItsRequestSlotWhileItIsStored() {
    Frontier frontier = frontier(2, 1, 0, 0);
    for (int i = 0; i < 5; i++) {
      frontier.add(row("http://a.test/" + i));
    }
    FrontierRow first = frontier.next();
    assertThat(frontier.next()).as("one request at a time to a.test").isNull();
    frontier.fetched(first.id());
    FrontierRow second = frontier.next();
    assertThat(second.url()).isEqualTo("http://a.test/1");
    assertThat(frontier.inFlight()).as("on the network or waiting for the store").isEqualTo(2);
    assertThat(frontier.isIdle()).isFalse();
    frontier.markDone(first.id(), false);
    assertThat(frontier.inFlight()).isEqualTo(1);
    assertThat(frontier.stored()).isEqualTo(1);
  }

  @Test
  void rowsWaitingForTheStoreAreBoundedByTheCredits() {
    Frontier frontier = frontier(2, 2, 0, 0);
    for (int i = 0; i < 10; i++) {
      frontier.add(row("http://h" + i + ".test/"));
    }
    List<FrontierRow> out = drain(frontier);
    assertThat(out).hasSize(2);
    out.forEach(row -> frontier.fetched(row.id()));
    assertThat(frontier.next()).as("two rows already wait for the store").isNull();
    assertThat(frontier.nextWakeNanos()).isEqualTo(-1);
    frontier.markDone(out.get(0).id(), false);
    assertThat(drain(frontier)).as("network credits are free again").hasSize(2);
    assertThat(frontier.inFlight()).as("never more than twice the credits handed out").isEqualTo(3);
  }

  @Test
  void maxPagesCountsRowsWaitingForTheStore() {
    Frontier frontier = frontier(10, 10, 0, 3);
    for (int i = 0; i < 10; i++) {
      frontier.add(row("http://h" + i + ".test/"));
    }
    List<FrontierRow> out = drain(frontier);
    assertThat(out).hasSize(3);
    out.forEach(row -> frontier.fetched(row.id()));
    assertThat(frontier.next()).isNull();
    assertThat(frontier.maxPagesReached()).isTrue();
  }

  @Test
  void aRequestOverReportedTwiceOrForARowNeverHandedOutChangesNothing() {
    Frontier frontier = frontier(3, 1, 0, 0);
    for (int i = 0; i < 5; i++) {
      frontier.add(row("http://h" + i + ".test/"));
    }
    FrontierRow first = frontier.next();
    frontier.next();
    frontier.next();

    assertThat(frontier.fetched(first.id())).isTrue();
    assertThat(frontier.next()).as("the freed slot").isNotNull();
    assertThat(frontier.fetched(first.id())).isFalse();
    assertThat(frontier.fetched(999)).isFalse();
    assertThat(frontier.next()).as("no slot freed twice").isNull();
    assertThat(frontier.inFlight()).isEqualTo(4);
  }

  @Test
  void anOutcomeToTryAgainPutsTheRowBackWithItsNewAttemptsAndItsDepth() {
    Frontier frontier = frontier(10, 10, 0, 0);
    frontier.add(new FrontierRow(1, "http://a.test/0", 3, 0, 0));
    FrontierRow row = frontier.next();

    FrontierRow back = frontier.complete(row.id(), FetchOutcome.retryAt(row.id(), "http_503", millis + 1000, 1));

    assertThat(back).isEqualTo(new FrontierRow(1, "http://a.test/0", 3, 1, millis + 1000));
    assertThat(frontier.inMemory()).isEqualTo(1);
    assertThat(frontier.stored()).isZero();
    assertThat(frontier.next()).isNull();
    advanceMs(1000);
    assertThat(frontier.next()).isEqualTo(back);
  }

  @Test
  void aStoredOutcomeIsDoneAndItsCrawlDelaySpacesTheHost() {
    Frontier frontier = frontier(10, 10, 100, 0);
    frontier.add(row("http://a.test/0"));
    frontier.add(row("http://a.test/1"));
    FrontierRow first = frontier.next();

    assertThat(frontier.complete(first.id(), FetchOutcome.done(first.id(), null, 1, 0).withCrawlDelayMs(2000))).isNull();

    assertThat(frontier.stored()).isEqualTo(1);
    advanceMs(1999);
    assertThat(frontier.next()).isNull();
    advanceMs(1);
    assertThat(frontier.next().url()).isEqualTo("http://a.test/1");
  }

  @Test
  void aStoppedFrontierOrOneAtMaxPagesHasNoTimeToWakeUpFor() {
    Frontier stopped = frontier(10, 1, 1000, 0);
    stopped.add(row("http://a.test/0"));
    stopped.add(row("http://b.test/0"));
    stopped.next();
    assertThat(stopped.nextWakeNanos()).isPositive();
    stopped.stop();
    assertThat(stopped.nextWakeNanos()).isEqualTo(-1);

    Frontier atLimit = frontier(10, 10, 0, 1);
    atLimit.add(row("http://a.test/0"));
    atLimit.add(row("http://b.test/0"));
    atLimit.next();
    assertThat(atLimit.nextWakeNanos()).isEqualTo(-1);
  }

  /** Two hosts in different partitions. */
  private static String[] hostsInTwoPartitions() {
    String a = "a.test";
    for (int i = 0; ; i++) {
      String b = "b" + i + ".test";
      if (HostPartitions.ofHost(b) != HostPartitions.ofHost(a)) {
        return new String[] {a, b};
      }
    }
  }

  @Test
  void aClusterNodeKeepsAndHandsOutOnlyRowsOfThePartitionsItOwns() {
    String[] hosts = hostsInTwoPartitions();
    Frontier frontier = frontier(10, 10, 0, 0);
    frontier.own(Set.of(HostPartitions.ofHost(hosts[0])));

    assertThat(frontier.add(row("http://" + hosts[0] + "/1"))).isTrue();
    assertThat(frontier.add(row("http://" + hosts[1] + "/1"))).isFalse();

    assertThat(drain(frontier)).extracting(FrontierRow::url).containsExactly("http://" + hosts[0] + "/1");
  }

  @Test
  void givingUpAPartitionDropsItsQueuedRowsAndReportsItInFlightUntilItsRowIsDone() {
    String[] hosts = hostsInTwoPartitions();
    int a = HostPartitions.ofHost(hosts[0]);
    int b = HostPartitions.ofHost(hosts[1]);
    Frontier frontier = frontier(10, 1, 0, 0);
    frontier.own(Set.of(a, b));
    frontier.add(row("http://" + hosts[0] + "/1"));
    frontier.add(row("http://" + hosts[1] + "/1"));
    frontier.add(row("http://" + hosts[1] + "/2"));
    FrontierRow outB = drain(frontier).stream().filter(r -> r.url().contains(hosts[1])).findFirst().orElseThrow();

    assertThat(frontier.own(Set.of(a))).as("queued rows of b dropped").isEqualTo(1);
    assertThat(frontier.partitionsInFlight()).contains(b);
    frontier.markDone(outB.id(), false);

    assertThat(frontier.partitionsInFlight()).doesNotContain(b);
    assertThat(frontier.inMemory()).isZero();
    assertThat(frontier.next()).isNull();
  }

  @Test
  void handsOutNothingOnceTheNodesLeaseHasRunOut() {
    Frontier frontier = frontier(10, 10, 0, 0);
    frontier.dispatchUntil(nanos + 1_000_000_000L);
    frontier.add(row("http://a.test/1"));
    frontier.add(row("http://b.test/1"));
    assertThat(frontier.next()).isNotNull();

    advanceMs(1000);

    assertThat(frontier.next()).isNull();
    assertThat(frontier.nextWakeNanos()).isEqualTo(-1);
    frontier.dispatchUntil(nanos + 1_000_000_000L);
    assertThat(frontier.next()).isNotNull();
  }

  @Test
  void handsOutOnlyThePagesTheClusterGrantedAndGetsARetriedOnesBack() {
    Frontier frontier = frontier(10, 10, 0, 0);
    frontier.addBudget(0);
    for (int i = 0; i < 5; i++) {
      frontier.add(row("http://h" + i + ".test/"));
    }
    assertThat(frontier.next()).isNull();
    assertThat(frontier.wantsBudget()).isTrue();

    frontier.addBudget(2);
    List<FrontierRow> out = drain(frontier);

    assertThat(out).hasSize(2);
    assertThat(frontier.wantsBudget()).isTrue();
    frontier.reclaim(out.get(0).id(), 1, 0, false, null);
    assertThat(frontier.budget()).isEqualTo(1);
    assertThat(drain(frontier)).hasSize(1);
  }

  @Test
  void aPagePutBackToBeRenderedIsNoRetryAndDoesNotPauseItsHost() {
    Frontier frontier = frontier(10, 1, 1000, 0);
    frontier.add(row("http://a.test/1"));
    frontier.add(row("http://a.test/2"));
    FrontierRow first = frontier.next();

    // What FetchOutcome.toRender sends: not before now, so the row waits only for its host's turn.
    FrontierRow back = frontier.complete(first.id(), new FetchOutcome(first.id(), null, millis, 0, 0, 0, "auto"));

    assertThat(back.render()).isEqualTo("auto");
    assertThat(frontier.retries()).isZero();
    var snapshot = frontier.snapshot(2, 1);
    assertThat(snapshot.hostsPausedRetryAfter()).isZero();
    assertThat(snapshot.hostsPausedBreaker()).isZero();
    assertThat(snapshot.topHosts().get(0).state()).doesNotStartWith("paused");
  }

  @Test
  void snapshotCountsHostsActivePausedByTheirBreakerOrARetryAfterAndRanksTheMostDone() {
    Frontier frontier = frontier(10, 1, 0, 0);
    for (String host : List.of("a", "b", "c")) {
      for (int i = 0; i < 3; i++) {
        frontier.add(row("http://" + host + ".test/" + i));
      }
    }
    List<FrontierRow> first = drain(frontier);
    assertThat(first).hasSize(3);
    assertThat(frontier.snapshot(9, 0).hostsActive()).isEqualTo(3);
    FrontierRow a = first.stream().filter(r -> r.url().startsWith("http://a.")).findFirst().orElseThrow();
    FrontierRow b = first.stream().filter(r -> r.url().startsWith("http://b.")).findFirst().orElseThrow();
    FrontierRow c = first.stream().filter(r -> r.url().startsWith("http://c.")).findFirst().orElseThrow();
    frontier.markDone(a.id(), false);
    frontier.complete(b.id(), FetchOutcome.retryAt(b.id(), "circuit_open", millis + 5000, 0));
    frontier.complete(c.id(), FetchOutcome.retryAt(c.id(), "http_429", millis + 2000, 1));

    var snapshot = frontier.snapshot(9, 2);
    assertThat(snapshot.hostsActive()).isZero();
    assertThat(snapshot.hostsPausedBreaker()).isEqualTo(1);
    assertThat(snapshot.hostsPausedRetryAfter()).isEqualTo(1);
    assertThat(snapshot.hostsSeen()).isEqualTo(3);
    assertThat(snapshot.topHosts()).hasSize(2);
    assertThat(snapshot.topHosts().get(0).host()).isEqualTo("a.test");
    assertThat(snapshot.topHosts().get(0).done()).isEqualTo(1);
    assertThat(snapshot.topHosts().get(1).state()).isEqualTo("paused_breaker");
    assertThat(snapshot.topHosts().get(1).pausedForMs()).isEqualTo(5000);

    advanceMs(2000);
    assertThat(frontier.snapshot(9, 0).hostsPausedRetryAfter()).as("the Retry-After is over").isZero();
    advanceMs(3000);
    assertThat(frontier.snapshot(9, 0).hostsPausedBreaker()).as("the breaker's pause is over").isZero();
  }
}
