package io.trawl.cluster;

import io.trawl.bus.ClusterProgress;
import io.trawl.bus.NodeProgress;
import io.trawl.bus.Progress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last progress each node of a cluster crawl published, summed into the cluster's: the live
 * nodes' counts, and the pages of the nodes no longer heard from (left or dead) as they last said
 * them. A node that joined after some left learns of their pages from the others' reports ({@link
 * NodeProgress#goneNodes}), and passes them on. Counts are as fresh as the reports, about a second.
 * Not thread-safe: the cluster verticle's event loop owns it.
 */
final class ProgressBoard {
  /** A node not heard from for this long is gone: its pages count, its queue and requests do not. */
  static final long QUIET_NANOS = 5_000_000_000L;

  private record Seen(NodeProgress report, long atNanos) {}

  private record Count(long stored, long failed) {}

  private final String self;
  private final Map<String, Seen> heard = new HashMap<>();
  /** Gone nodes other nodes told of, with the most pages any said. */
  private final Map<String, Count> toldGone = new HashMap<>();

  ProgressBoard(String self) {
    this.self = self;
  }

  /** Keeps {@code report} as its node's latest, received at {@code nowNanos} (System.nanoTime). */
  void record(NodeProgress report, long nowNanos) {
    heard.put(report.node(), new Seen(report, nowNanos));
    for (int i = 0; i < report.goneNodes().size(); i++) {
      Count count = new Count(report.goneStored().get(i), report.goneFailed().get(i));
      toldGone.merge(report.goneNodes().get(i), count, (a, b) -> a.stored() >= b.stored() ? a : b);
    }
  }

  /** This node's report of {@code own}, with the gone nodes it knows of. */
  NodeProgress report(Progress own, long nowNanos) {
    Map<String, Count> gone = gone(nowNanos);
    List<String> names = new ArrayList<>(gone.keySet());
    return new NodeProgress(self, own, names, names.stream().map(n -> gone.get(n).stored()).toList(),
        names.stream().map(n -> gone.get(n).failed()).toList());
  }

  /** The cluster's progress as of {@code nowNanos}. */
  ClusterProgress totals(long nowNanos) {
    long stored = 0;
    long failed = 0;
    long queued = 0;
    int inFlight = 0;
    int live = 0;
    long ownStored = 0;
    for (Seen seen : heard.values()) {
      if (quiet(seen, nowNanos)) {
        continue;
      }
      Progress p = seen.report().progress();
      live++;
      stored += p.stored();
      failed += p.failed();
      queued += p.queued();
      inFlight += p.inFlight();
      if (seen.report().node().equals(self)) {
        ownStored = p.stored();
      }
    }
    for (Count count : gone(nowNanos).values()) {
      stored += count.stored();
      failed += count.failed();
    }
    return new ClusterProgress(stored, failed, queued, inFlight, live, ownStored);
  }

  /** The nodes gone as of {@code nowNanos}: quiet here, or told of by others and not heard from since. */
  private Map<String, Count> gone(long nowNanos) {
    Map<String, Count> gone = new HashMap<>();
    toldGone.forEach((node, count) -> {
      Seen seen = heard.get(node);
      if (!node.equals(self) && (seen == null || quiet(seen, nowNanos))) {
        gone.put(node, count);
      }
    });
    for (Seen seen : heard.values()) {
      if (quiet(seen, nowNanos)) {
        Progress p = seen.report().progress();
        gone.merge(seen.report().node(), new Count(p.stored(), p.failed()), (a, b) -> a.stored() >= b.stored() ? a : b);
      }
    }
    return gone;
  }

  private boolean quiet(Seen seen, long nowNanos) {
    return !seen.report().node().equals(self) && nowNanos - seen.atNanos() > QUIET_NANOS;
  }
}
