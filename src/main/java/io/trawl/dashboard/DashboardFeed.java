package io.trawl.dashboard;

import io.trawl.bus.Progress;
import io.trawl.metrics.CrawlMetrics;
import io.trawl.metrics.FrontierSnapshot;
import io.trawl.metrics.FrontierSnapshot.HostStatus;
import io.trawl.metrics.RecentFailures.Failure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's data: once a second, a frame of where the crawl stands (from the frontier's
 * {@link Progress} and the crawl's {@link CrawlMetrics}), with the rates since the frame before,
 * and the last {@value #HISTORY} frames for a page that opens late (their chart figures: some
 * 200 bytes a frame). The dashboard verticle's event
 * loop only.
 */
final class DashboardFeed {
  /** Frames kept: fifteen minutes of one a second. */
  static final int HISTORY = 900;

  private final CrawlMetrics metrics;
  private final ArrayDeque<JsonObject> history = new ArrayDeque<>();
  private Progress progress;
  private JsonObject latest;
  private long lastAtMs;
  private long lastStored;
  private Map<String, Long> lastErrors = Map.of();
  private Map<String, Long> lastDoneByHost = Map.of();
  private long lastSnapshotAtMs;
  private JsonArray lastHosts = new JsonArray();

  /** @param startedAtMs when the crawl started: the first frame's rates count from there */
  DashboardFeed(CrawlMetrics metrics, long startedAtMs) {
    this.metrics = metrics;
    this.lastAtMs = startedAtMs;
  }

  /** The frontier's latest progress. */
  void progress(Progress latest) {
    progress = latest;
  }

  /** The frame of now, also kept in the history. */
  JsonObject frame(long nowMs) {
    Map<String, Long> errors = metrics.pagesByError();
    long stored = errors.values().stream().mapToLong(Long::longValue).sum();
    long ok = errors.getOrDefault("none", 0L);
    double seconds = (nowMs - lastAtMs) / 1000.0;
    FrontierSnapshot frontier = metrics.lastFrontier();
    JsonObject frame = new JsonObject()
        .put("t", nowMs)
        .put("stored", stored)
        .put("failed", stored - ok)
        .put("bytes", metrics.bytes())
        .put("pagesPerSecond", seconds <= 0 ? 0 : (stored - lastStored) / seconds)
        .put("queued", frontier.queued())
        .put("inFlight", frontier.inFlight())
        .put("storing", frontier.storing())
        .put("hostsSeen", frontier.hostsSeen())
        .put("hostsActive", frontier.hostsActive())
        .put("hostsPaused", frontier.hostsPausedBreaker() + frontier.hostsPausedRetryAfter())
        .put("retries", progress == null ? 0 : progress.retries())
        .put("elapsedMs", progress == null ? 0 : progress.elapsedMs())
        .put("stopReason", progress == null ? null : progress.stopReason())
        .put("errors", errorRates(errors, seconds))
        .put("errorsTotal", errorTotals(errors))
        .put("hosts", hosts(frontier))
        .put("failures", failures(metrics.recentFailures()));
    lastAtMs = nowMs;
    lastStored = stored;
    lastErrors = errors;
    latest = frame;
    history.addLast(forCharts(frame));
    if (history.size() > HISTORY) {
      history.removeFirst();
    }
    return frame;
  }

  /**
   * The frames kept, oldest first: each with what the charts draw, the last one whole (its hosts
   * and failures too), so a page that opens late draws the same as one that was open all along.
   */
  JsonArray history() {
    JsonArray frames = new JsonArray(new ArrayList<>(history));
    if (latest != null) {
      frames.set(frames.size() - 1, latest);
    }
    return frames;
  }

  /** A frame without its tables: what an older point of the charts needs. */
  private static JsonObject forCharts(JsonObject frame) {
    JsonObject point = frame.copy();
    point.remove("hosts");
    point.remove("failures");
    point.remove("errorsTotal");
    return point;
  }

  /** Pages per second stored with each error since the last frame (every error seen so far, 0 included). */
  private JsonObject errorRates(Map<String, Long> errors, double seconds) {
    JsonObject rates = new JsonObject();
    errors.forEach((error, count) -> {
      if (!error.equals("none")) {
        long before = lastErrors.getOrDefault(error, 0L);
        rates.put(error, seconds <= 0 ? 0 : (count - before) / seconds);
      }
    });
    return rates;
  }

  private static JsonObject errorTotals(Map<String, Long> errors) {
    JsonObject totals = new JsonObject();
    errors.forEach((error, count) -> {
      if (!error.equals("none")) {
        totals.put(error, count);
      }
    });
    return totals;
  }

  /**
   * The top hosts, each with its pages per second between the frontier's last two snapshots
   * (which come about once a second, not in step with the frames).
   */
  private JsonArray hosts(FrontierSnapshot frontier) {
    if (frontier.takenAtMs() == lastSnapshotAtMs) {
      return lastHosts;
    }
    List<HostStatus> hosts = frontier.topHosts();
    double seconds = lastSnapshotAtMs == 0 ? 0 : (frontier.takenAtMs() - lastSnapshotAtMs) / 1000.0;
    lastSnapshotAtMs = frontier.takenAtMs();
    JsonArray list = new JsonArray();
    Map<String, Long> doneByHost = new HashMap<>();
    for (HostStatus host : hosts) {
      doneByHost.put(host.host(), host.done());
      Long before = lastDoneByHost.get(host.host());
      double rate = seconds <= 0 || before == null ? 0 : (host.done() - before) / seconds;
      list.add(new JsonObject()
          .put("host", host.host())
          .put("done", host.done())
          .put("pagesPerSecond", rate)
          .put("inFlight", host.inFlight())
          .put("queued", host.queued())
          .put("intervalMs", host.intervalMs())
          .put("state", host.state())
          .put("pausedForMs", host.pausedForMs()));
    }
    lastDoneByHost = doneByHost;
    lastHosts = list;
    return list;
  }

  private static JsonArray failures(List<Failure> failures) {
    JsonArray list = new JsonArray();
    for (Failure failure : failures) {
      list.add(new JsonObject()
          .put("at", failure.fetchedAtMs())
          .put("url", failure.url())
          .put("status", failure.status() == 0 ? null : failure.status())
          .put("error", failure.error()));
    }
    return list;
  }
}
