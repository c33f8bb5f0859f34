package io.trawl.fetch;

import io.trawl.config.Durations;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crawl's proxies ({@code fetch.proxy} or {@code fetch.proxies}, and those of {@code hosts:}
 * entries): which one a request goes through, and which sit benched. {@code per_request} takes
 * the next in turn; {@code per_host} keeps a host on one proxy while that proxy works (the last
 * {@value #STICKY_HOSTS} hosts are remembered). A proxy that cannot be connected to, answers
 * 407, or whose last {@value #BAN_WINDOW} answers hold more {@code 403}/{@code 429} than {@code
 * fetch.proxy_ban_rate} percent, is benched for {@code fetch.proxy_bench}: no request goes
 * through it until then, and the one that found it failing is tried through another. Thread-safe:
 * shared by every fetcher of the crawl.
 */
public final class ProxyPool {
  private static final Logger log = LoggerFactory.getLogger(ProxyPool.class);
  static final int BAN_WINDOW = 10;
  static final int STICKY_HOSTS = 10_000;

  /** One proxy's standing. */
  private static final class State {
    long benchedUntilNanos = Long.MIN_VALUE;
    String why = "";
    final boolean[] bans = new boolean[BAN_WINDOW];
    int answers;
  }

  private final List<TrawlConfig.Proxy> proxies;
  private final boolean perHost;
  private final long benchNanos;
  private final int banRatePercent;
  private final LongSupplier nanoTime;
  private final Map<TrawlConfig.Proxy, State> states = new HashMap<>();
  private final Map<String, TrawlConfig.Proxy> stickyByHost = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TrawlConfig.Proxy> eldest) {
      return size() > STICKY_HOSTS;
    }
  };
  private int next;

  ProxyPool(List<TrawlConfig.Proxy> proxies, String rotation, Duration bench, int banRatePercent, LongSupplier nanoTime) {
    this.proxies = List.copyOf(proxies);
    this.perHost = rotation.equals(TrawlConfig.Fetch.PER_HOST);
    this.benchNanos = bench.toNanos();
    this.banRatePercent = banRatePercent;
    this.nanoTime = nanoTime;
  }

  /** The proxies of {@code fetch}: {@code fetch.proxy} or {@code fetch.proxies}; none is direct. */
  public static ProxyPool of(TrawlConfig.Fetch fetch) {
    List<TrawlConfig.Proxy> proxies = fetch.proxy().map(List::of).orElse(fetch.proxies());
    return new ProxyPool(proxies, fetch.proxyRotation(), fetch.proxyBench(), fetch.proxyBanRate(), System::nanoTime);
  }

  /**
   * The proxy for a request to {@code host} (host and port), or null for a direct one.
   *
   * @param hostProxy the host's own ({@code hosts.<pattern>.proxy}; {@link TrawlConfig.Proxy#DIRECT} for none)
   * @param tried proxies this request already failed through
   * @param url the URL, for the error
   * @throws CrawlException {@link FailureKind#PROXY} when every proxy it may use is benched or tried
   */
  public synchronized TrawlConfig.Proxy choose(String host, Optional<TrawlConfig.Proxy> hostProxy,
      Set<TrawlConfig.Proxy> tried, String url) {
    long now = nanoTime.getAsLong();
    if (hostProxy.isPresent()) {
      TrawlConfig.Proxy own = hostProxy.get();
      if (own.isDirect()) {
        return null;
      }
      if (tried.contains(own) || benched(own, now)) {
        throw unusable(List.of(own), url);
      }
      return own;
    }
    if (proxies.isEmpty()) {
      return null;
    }
    if (perHost) {
      TrawlConfig.Proxy sticky = stickyByHost.get(host);
      if (sticky != null && !tried.contains(sticky) && !benched(sticky, now)) {
        return sticky;
      }
    }
    for (int i = 0; i < proxies.size(); i++) {
      TrawlConfig.Proxy candidate = proxies.get(Math.floorMod(next + i, proxies.size()));
      if (!tried.contains(candidate) && !benched(candidate, now)) {
        next = Math.floorMod(next + i + 1, proxies.size());
        if (perHost) {
          stickyByHost.put(host, candidate);
        }
        return candidate;
      }
    }
    throw unusable(proxies, url);
  }

  /** Benches {@code proxy} for {@code fetch.proxy_bench}: it could not be reached, or refused us. */
  public synchronized void bench(TrawlConfig.Proxy proxy, String why) {
    State state = states.computeIfAbsent(proxy, p -> new State());
    long now = nanoTime.getAsLong();
    if (state.benchedUntilNanos <= now) {
      log.warn("proxy benched proxy={} for={} why={}", proxy, Durations.format(Duration.ofNanos(benchNanos)), why);
    }
    state.benchedUntilNanos = now + benchNanos;
    state.why = why;
    state.answers = 0;
    Arrays.fill(state.bans, false);
  }

  /**
   * A response came through {@code proxy} with {@code status}; true when this answer benched it
   * (too many bans among its last {@value #BAN_WINDOW}).
   */
  public synchronized boolean answered(TrawlConfig.Proxy proxy, int status) {
    State state = states.computeIfAbsent(proxy, p -> new State());
    boolean ban = status == 403 || status == 429;
    state.bans[state.answers % BAN_WINDOW] = ban;
    state.answers++;
    int bans = 0;
    for (boolean b : state.bans) {
      bans += b ? 1 : 0;
    }
    if (ban && bans * 100 > banRatePercent * BAN_WINDOW) {
      bench(proxy, bans + " of its last " + Math.min(state.answers, BAN_WINDOW) + " answers were 403 or 429");
      return true;
    }
    return false;
  }

  /** Whether {@code proxy} sits benched now. */
  public synchronized boolean isBenched(TrawlConfig.Proxy proxy) {
    return benched(proxy, nanoTime.getAsLong());
  }

  private boolean benched(TrawlConfig.Proxy proxy, long now) {
    State state = states.get(proxy);
    return state != null && state.benchedUntilNanos > now;
  }

  private CrawlException unusable(List<TrawlConfig.Proxy> candidates, String url) {
    List<String> why = new ArrayList<>();
    for (TrawlConfig.Proxy proxy : candidates) {
      State state = states.get(proxy);
      why.add(proxy + (state == null || state.why.isEmpty() ? ": failed for this request" : ": " + state.why));
    }
    return new CrawlException(FailureKind.PROXY, url, "no proxy to go through (" + String.join("; ", why) + ")");
  }

  /** Whether any request of this crawl may go through a proxy of this pool. */
  public boolean isEmpty() {
    return proxies.isEmpty();
  }
}
