package io.trawl;

import io.trawl.bus.RobotsAnswer;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.FailureKind;
import io.trawl.core.Scope;
import io.trawl.core.UrlNormalizer;
import io.trawl.fetch.FetchResult;
import io.trawl.fetch.SinglePageFetcher;
import io.trawl.parse.HtmlParser;
import io.trawl.parse.RuleTrial;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jsoup.nodes.Element;
import org.jsoup.select.Selector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trawl try} without the console: one page, fetched as a crawl fetches it ({@link
 * SinglePageFetcher} on a Vert.x instance of its own) or read from a file, parsed as the crawl
 * parses it, run through the config's rules ({@link RuleTrial}), and each of its links judged as
 * the crawl would judge it: followed, or refused for scope, depth, the rules' follow regions or
 * robots.txt. robots.txt is checked for the links to the page's own host only (its rules are read
 * already); a crawl reads another host's robots.txt when it gets there. Blocking: call it from a
 * thread that may wait (the CLI's main thread), never an event loop; it waits on the Vert.x
 * futures and runs Jsoup on the calling thread.
 */
public final class PageTrial implements AutoCloseable {
  /** Link verdicts: the crawl would queue it; or why it would not. */
  public static final String FOLLOW = "follow";
  public static final String DOWNLOAD = "download";
  public static final String OUT_OF_SCOPE = "scope";
  public static final String TOO_DEEP = "depth";
  public static final String NOT_IN_FOLLOW_REGION = "follow_selectors";
  public static final String ROBOTS = "robots";

  private static final Logger log = LoggerFactory.getLogger(PageTrial.class);
  private static final long WAIT_SLACK_MS = 30_000;

  /**
   * The page tried.
   *
   * @param url the URL asked for (normalized)
   * @param finalUrl the URL after redirects
   * @param status the HTTP status (200 for a file)
   * @param contentType the Content-Type header, or null
   * @param body the body
   * @param elapsedMs the fetch's time, 0 for a file
   * @param robots how robots.txt was handled: {@code allowed}, {@code not obeyed} or {@code not checked}
   */
  public record Page(String url, String finalUrl, int status, String contentType, byte[] body, long elapsedMs,
      String robots) {
    /** Whether a crawl would parse it: {@code text/html} or {@code application/xhtml+xml}. */
    public boolean isHtml() {
      String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
      return type.startsWith("text/html") || type.startsWith("application/xhtml+xml");
    }
  }

  /**
   * One link of the page and what the crawl would do with it.
   *
   * @param verdict {@link #FOLLOW}, {@link #DOWNLOAD}, or why not: {@link #OUT_OF_SCOPE}, {@link
   *     #TOO_DEEP}, {@link #NOT_IN_FOLLOW_REGION}, {@link #ROBOTS}
   * @param robotsChecked whether robots.txt was consulted for it (links to the page's own host only)
   */
  public record Link(String url, String verdict, boolean robotsChecked) {}

  /**
   * @param page the page
   * @param title its {@code <title>}, or null
   * @param rules what the rules made of it
   * @param links every link of the page (and every URL of a download field), with its verdict
   * @param robotsOrigin the origin whose robots.txt judged the links, or null when none did
   */
  public record Result(Page page, String title, RuleTrial.Report rules, List<Link> links, String robotsOrigin) {}

  /** One element an ad-hoc selector matched: its tag, attributes as written, and text. */
  public record Match(String tag, List<String> attributes, String text) {}

  private final TrawlConfig config;
  private Vertx vertx;
  private SinglePageFetcher fetcher;

  public PageTrial(TrawlConfig config) {
    this.config = config;
  }

  /**
   * Fetches {@code url} politely (robots.txt first, unless {@code fetch.respect_robots} is false).
   *
   * @throws CrawlException when the page cannot be had: the fetch failed, robots.txt refuses it,
   *     or the server answered an error status ({@code http_404}); a page that is not HTML is
   *     returned ({@link Page#isHtml()})
   */
  public Page fetch(String url) {
    String normalized = UrlNormalizer.normalize(url)
        .orElseThrow(() -> new CrawlException(FailureKind.BAD_URL, url, "not an http(s) URL trawl can fetch"));
    vertx = Vertx.vertx(CrawlJob.vertxOptions());
    fetcher = new SinglePageFetcher(vertx, config);
    Scope scope = Scope.of(config.crawl(), List.of(normalized));
    FetchResult result = await(fetcher.start().compose(v -> fetcher.fetch(normalized, scope::allows)), normalized);
    if (result.status() >= 400) {
      throw new CrawlException(FailureKind.http(result.status()), normalized, "the server answered " + result.status());
    }
    return new Page(normalized, result.finalUrl(), result.status(), result.contentType(), result.body(),
        result.elapsedMs(), config.fetch().respectRobots() ? "allowed" : "not obeyed");
  }

  /** A saved page, as if it had been fetched from {@code url}; nothing is fetched. */
  public static Page fromFile(byte[] body, String url) {
    String normalized = UrlNormalizer.normalize(url)
        .orElseThrow(() -> new CrawlException(FailureKind.BAD_URL, url, "not an http(s) URL"));
    return new Page(normalized, normalized, 200, "text/html", body, 0, "not checked");
  }

  /**
   * Runs the rules on {@code page} as at {@code depth} links from a seed.
   *
   * @param onlyRule run just this rule, even where its url pattern does not match; null: the rules that match
   * @throws IllegalArgumentException when {@code onlyRule} names no rule
   */
  public Result tryRules(Page page, int depth, String onlyRule) {
    HtmlParser.ParsedPage parsed = new HtmlParser(config).parse(page.finalUrl(), page.body(), page.contentType());
    RuleTrial.Report report = new RuleTrial(config.rules(), config.download().fromFields())
        .run(page.url(), page.finalUrl(), parsed.document(), parsed.baseUrl(), onlyRule);
    String origin = fetcher != null && config.fetch().respectRobots() ? origin(page.finalUrl()) : null;
    return new Result(page, parsed.title(), report, links(page, parsed, report, depth, origin), origin);
  }

  /**
   * The elements {@code css} (or, when it is null, {@code xpath}) matches on the page.
   *
   * @throws IllegalArgumentException naming the problem, for a selector Jsoup cannot parse
   */
  public List<Match> select(Page page, String css, String xpath) {
    HtmlParser.ParsedPage parsed = new HtmlParser(config).parse(page.finalUrl(), page.body(), page.contentType());
    List<Element> found;
    try {
      found = css != null ? parsed.document().select(css) : parsed.document().selectXpath(xpath);
    } catch (Selector.SelectorParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    List<Match> matches = new ArrayList<>();
    for (Element e : found) {
      List<String> attributes = new ArrayList<>();
      e.attributes().forEach(a -> attributes.add(a.getKey() + "=\"" + a.getValue() + "\""));
      matches.add(new Match(e.normalName(), attributes, e.text()));
    }
    return matches;
  }

  private List<Link> links(Page page, HtmlParser.ParsedPage parsed, RuleTrial.Report report, int depth,
      String robotsOrigin) {
    Scope scope = Scope.of(config.crawl(), List.of(page.url()));
    Optional<Set<String>> follow = report.extracted().follow();
    Set<String> downloads = new LinkedHashSet<>(report.extracted().downloads());
    Set<String> all = new LinkedHashSet<>(parsed.links());
    all.addAll(downloads);
    List<Link> links = new ArrayList<>();
    for (String link : all) {
      boolean ownHost = robotsOrigin != null && robotsOrigin.equals(origin(link));
      String verdict;
      if (!scope.allows(link)) {
        verdict = OUT_OF_SCOPE;
      } else if (downloads.contains(link)) {
        verdict = DOWNLOAD;
      } else if (depth >= config.crawl().maxDepth()) {
        verdict = TOO_DEEP;
      } else if (follow.isPresent() && !follow.get().contains(link)) {
        verdict = NOT_IN_FOLLOW_REGION;
      } else {
        verdict = FOLLOW;
      }
      if (ownHost && (verdict.equals(FOLLOW) || verdict.equals(DOWNLOAD)) && disallowed(link)) {
        verdict = ROBOTS;
      }
      links.add(new Link(link, verdict, ownHost));
    }
    return links;
  }

  private boolean disallowed(String link) {
    RobotsAnswer answer = fetcher.knownRobots(link);
    return answer != null && !answer.verdict().equals(RobotsAnswer.ALLOWED);
  }

  /** {@code scheme://authority} of a URL, the key robots.txt rules are kept under, or null. */
  private static String origin(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme() + "://" + uri.getRawAuthority();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Waits (on this non-event-loop thread) for a fetch, which its own deadlines bound. */
  private <T> T await(Future<T> future, String url) {
    long budgetMs = config.fetch().requestTimeout().toMillis() * 2 + WAIT_SLACK_MS
        + Math.max(config.fetch().perHostRate().intervalNanos() / 1_000_000, 60_000);
    try {
      return future.toCompletionStage().toCompletableFuture().get(budgetMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CrawlException crawl) {
        throw crawl;
      }
      throw new CrawlException(FailureKind.of(cause), url, String.valueOf(cause.getMessage()), cause);
    } catch (TimeoutException e) {
      throw new CrawlException(FailureKind.TIMEOUT, url, "no answer within " + budgetMs + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CrawlException(FailureKind.INTERNAL, url, "interrupted", e);
    }
  }

  /** Closes the fetcher, then the Vert.x instance, waiting for each (bounded). */
  @Override
  public void close() {
    if (vertx == null) {
      return;
    }
    // Each close is started from this thread: a Vert.x closed from one of its own event loops
    // cannot deliver the close's completion to that terminated loop.
    awaitClosed(fetcher.close());
    awaitClosed(vertx.close());
  }

  private static void awaitClosed(Future<Void> closing) {
    try {
      closing.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Closing after the answer is printed: a slow or failed close changes nothing the user sees.
      log.debug("try: closing failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
