package io.trawl.fetch;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import io.trawl.bus.Addresses;
import io.trawl.bus.RobotsAnswer;
import io.trawl.bus.RobotsQuery;
import io.trawl.bus.RobotsSitemaps;
import io.trawl.bus.Replies;
import io.trawl.config.DataSize;
import io.trawl.config.TrawlConfig;
import io.trawl.core.FailureKind;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robots.txt cache: fetches each host's robots.txt once (one fetch shared by every URL that
 * waits for it; its first 500 KiB are obeyed, the rest ignored), keeps the rules of the most
 * recently asked hosts, at most {@value #MAX_HOSTS} of them and {@link #maxWeightBytes()} of
 * parsed rules ({@link RobotsCache}), and answers whether a URL may be fetched. RFC 9309: a 4xx
 * robots.txt allows everything; a 5xx makes the host disallowed for now and an unreachable host
 * is reported as the fetch failure it is, both answers standing for {@link #holdMs}, after which
 * robots.txt is asked again. Event loop; parsing runs on a worker.
 */
public final class RobotsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RobotsVerticle.class);
  static final int MAX_HOSTS = 10_000;
  /** The share of the heap the cached rules may hold: a sixteenth, 32 MB under the launcher's 512 MB. */
  static final int HEAP_SHARE = 16;
  /** What an entry costs beyond its rules: the record, the future, the map's node, the host key. */
  private static final long ENTRY_BYTES = 512;
  private static final DataSize MAX_ROBOTS_SIZE = new DataSize(500 * 1024);

  private final TrawlConfig.Fetch fetchConfig;
  private final FetchContext context;
  private final long unavailableTtlMs;
  private final RobotsCache<Future<Rules>> cache;
  private final KnownRobots known;
  private HttpFetcher fetcher;

  /**
   * @param known where the rules read are shared with the fetchers of this JVM (CrawlJob gives
   *     both the same one)
   */
  public RobotsVerticle(TrawlConfig.Fetch fetchConfig, KnownRobots known) {
    this(fetchConfig, known, null, MAX_HOSTS, maxWeightBytes(), holdMs(fetchConfig));
  }

  /**
   * @param context what the fetchers of the crawl share: robots.txt goes by the same cookies,
   *     proxies and host settings as every other request to its host
   */
  public RobotsVerticle(TrawlConfig.Fetch fetchConfig, KnownRobots known, FetchContext context) {
    this(fetchConfig, known, context, MAX_HOSTS, maxWeightBytes(), holdMs(fetchConfig));
  }

  /** The most heap the cached rules may hold: {@code 1/}{@value #HEAP_SHARE} of the JVM's maximum heap. */
  static long maxWeightBytes() {
    return Runtime.getRuntime().maxMemory() / HEAP_SHARE;
  }

  /**
   * How long the answer of a robots.txt that failed stands: one {@code fetch.per_host_rate}
   * interval. A URL it held is tried again no sooner (FetchVerticle), so each try gets a fresh
   * answer, and robots.txt is asked no more often than the host's own URLs are.
   */
  static long holdMs(TrawlConfig.Fetch fetchConfig) {
    return Math.max(1, fetchConfig.perHostRate().intervalNanos() / 1_000_000);
  }

  /**
   * A cache of at most {@code maxHosts} hosts and {@code maxWeightBytes} of rules that asks a host
   * whose robots.txt failed again after {@code unavailableTtlMs}; tests make them small.
   */
  RobotsVerticle(TrawlConfig.Fetch fetchConfig, KnownRobots known, int maxHosts, long maxWeightBytes,
      long unavailableTtlMs) {
    this(fetchConfig, known, null, maxHosts, maxWeightBytes, unavailableTtlMs);
  }

  private RobotsVerticle(TrawlConfig.Fetch fetchConfig, KnownRobots known, FetchContext context, int maxHosts,
      long maxWeightBytes, long unavailableTtlMs) {
    this.fetchConfig = fetchConfig;
    this.known = known;
    this.context = context;
    this.unavailableTtlMs = unavailableTtlMs;
    // What the fetchers know never outlives the cache.
    this.cache = new RobotsCache<>(maxHosts, maxWeightBytes, System::currentTimeMillis, known::remove);
  }

  /** The robots.txt agent name in a User-Agent: its first product token, lowercased ({@code trawl/0.1 (…)} → {@code trawl}). */
  static String agentName(String userAgent) {
    String token = userAgent.trim().split("[\\s/;(]", 2)[0];
    return token.isEmpty() ? "trawl" : token.toLowerCase(Locale.ROOT);
  }

  @Override
  public Future<?> start() {
    // RFC 9309: follow at least five redirects; read the first 500 KiB.
    TrawlConfig.Fetch robotsFetch = fetchConfig.withMaxRedirects(5).withMaxBodySize(MAX_ROBOTS_SIZE);
    fetcher = context == null ? HttpFetcher.keepingPrefix(vertx, robotsFetch)
        : HttpFetcher.keepingPrefix(vertx, robotsFetch, context);
    return Future.all(
        vertx.eventBus().<RobotsQuery>localConsumer(Addresses.ROBOTS, this::onRobotsQuery).completion(),
        vertx.eventBus().<RobotsQuery>localConsumer(Addresses.ROBOTS_SITEMAPS, this::onRobotsSitemaps).completion());
  }

  @Override
  public Future<?> stop() {
    fetcher.close();
    return Future.succeededFuture();
  }

  private void onRobotsQuery(Message<RobotsQuery> msg) {
    String url = msg.body().url();
    String origin = KnownRobots.origin(url);
    if (origin == null) {
      Replies.fail(msg, FailureKind.BAD_URL, url);
      return;
    }
    rulesFor(origin)
        .map(rules -> rules.answer(url))
        .onSuccess(msg::reply)
        .onFailure(err -> Replies.fail(msg, FailureKind.INTERNAL, String.valueOf(err.getMessage())));
  }

  /** The {@code Sitemap:} lines of the URL's host's robots.txt; none when it could not be had. */
  private void onRobotsSitemaps(Message<RobotsQuery> msg) {
    String url = msg.body().url();
    String origin = KnownRobots.origin(url);
    if (origin == null) {
      Replies.fail(msg, FailureKind.BAD_URL, url);
      return;
    }
    rulesFor(origin)
        .onSuccess(rules -> msg.reply(new RobotsSitemaps(rules.sitemaps())))
        .onFailure(err -> Replies.fail(msg, FailureKind.INTERNAL, String.valueOf(err.getMessage())));
  }

  private Future<Rules> rulesFor(String origin) {
    Future<Rules> cached = cache.get(origin);
    if (cached != null) {
      return cached;
    }
    Future<Rules> fetched = fetchRules(origin);
    // While it is read, the host weighs what asking costs; its body is the fetcher's, capped.
    cache.put(origin, fetched, ENTRY_BYTES, RobotsCache.NEVER);
    fetched.onSuccess(rules -> {
      // Unless evicted or replaced meanwhile.
      if (cache.get(origin) == fetched) {
        cache.put(origin, fetched, ENTRY_BYTES + rules.weightBytes(), rules.expiresAtMs());
        if (rules.rules() != null) {
          known.put(origin, rules.rules());
        }
      }
    });
    return fetched;
  }

  private Future<Rules> fetchRules(String origin) {
    String robotsUrl = origin + "/robots.txt";
    return fetcher.fetch(robotsUrl, location -> true)
        .compose(result -> {
          if (result.status() >= 200 && result.status() < 300) {
            return vertx.executeBlocking(() -> parse(robotsUrl, result), false);
          }
          if (result.status() >= 500) {
            log.debug("robots unavailable url={} status={}", robotsUrl, result.status());
            return Future.succeededFuture(Rules.unavailable(unavailableTtlMs));
          }
          return Future.succeededFuture(Rules.of(new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL)));
        })
        .recover(err -> {
          FailureKind kind = FailureKind.of(err);
          if (kind.equals(FailureKind.TOO_LARGE)) {
            // Only a redirect's own body passes the cap now (a longer robots.txt is read up to it).
            return Future.succeededFuture(Rules.of(new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL)));
          }
          log.debug("robots fetch failed url={} kind={}", robotsUrl, kind.code());
          return Future.succeededFuture(Rules.unreachable(kind, unavailableTtlMs));
        });
  }

  private Rules parse(String robotsUrl, FetchResult result) {
    // crawler-commons turns a Crawl-delay over its maximum into "disallow everything"; the README
    // promises a delay capped at a minute instead, so the parser takes any delay and answer() caps it.
    SimpleRobotRulesParser parser = new SimpleRobotRulesParser(Long.MAX_VALUE, 10);
    // The rules for the user agent the host's requests go with (a hosts: entry may give its own).
    String userAgent = fetcher.context.settings(robotsUrl).userAgent();
    return Rules.of(parser.parseContent(robotsUrl, wholeLines(result.body()), result.contentType(),
        List.of(agentName(userAgent))));
  }

  /**
   * A robots.txt read up to the cap without its last line, which the cap may have cut short: half
   * of {@code Allow: /private/open} would allow all of {@code /private/}.
   */
  static byte[] wholeLines(byte[] body) {
    if (body.length < MAX_ROBOTS_SIZE.bytes()) {
      return body;
    }
    int end = body.length;
    while (end > 0 && body[end - 1] != '\n') {
      end--;
    }
    return Arrays.copyOf(body, end);
  }

  /**
   * An estimate of the heap that parsed rules hold: per rule its path and about 80 bytes of
   * objects around it (the String, its array, the rule, the list's slot); per sitemap its URL and
   * about 64 bytes. A 500 KiB robots.txt of 13,766 short {@code Disallow} lines measured 1,349 KiB
   * retained and is estimated at 1,420 KiB.
   */
  static long weightBytes(BaseRobotRules rules) {
    long bytes = 256;
    if (rules instanceof SimpleRobotRules simple) {
      for (SimpleRobotRules.RobotRule rule : simple.getRobotRules()) {
        bytes += 80 + rule.getPrefix().length();
      }
    }
    for (String sitemap : rules.getSitemaps()) {
      bytes += 64 + sitemap.length();
    }
    return bytes;
  }

  /** One host's cached answer: its rules, or why there are none. */
  private record Rules(BaseRobotRules rules, String verdictWhenNone, String failure, long expiresAtMs,
      List<String> sitemaps) {
    static Rules of(BaseRobotRules rules) {
      return new Rules(rules, null, null, Long.MAX_VALUE, List.copyOf(rules.getSitemaps()));
    }

    static Rules unavailable(long ttlMs) {
      return new Rules(null, RobotsAnswer.UNAVAILABLE, null, System.currentTimeMillis() + ttlMs, List.of());
    }

    static Rules unreachable(FailureKind kind, long ttlMs) {
      return new Rules(null, RobotsAnswer.UNAVAILABLE, kind.code(), System.currentTimeMillis() + ttlMs, List.of());
    }

    /** An estimate of the heap these rules hold (see {@link RobotsVerticle#weightBytes}). */
    long weightBytes() {
      return rules == null ? 0 : RobotsVerticle.weightBytes(rules) + sitemaps.stream().mapToLong(s -> 64 + s.length()).sum();
    }

    RobotsAnswer answer(String url) {
      return rules == null ? new RobotsAnswer(verdictWhenNone, 0, failure) : KnownRobots.answer(rules, url);
    }
  }
}
