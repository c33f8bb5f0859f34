package io.trawl.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole, validated configuration of a crawl: one record per {@code config.yaml} section, one
 * accessor per key, named as the key in camelCase ({@code fetch.per_host_rate} → {@code
 * fetch().perHostRate()}). Each key's default, unit and meaning are declared once, in {@link
 * ConfigKeys} (and shown in the README's config table); a component added here needs its row
 * there. Immutable; built only by {@link ConfigLoader}.
 */
public record TrawlConfig(
    Crawl crawl,
    Fetch fetch,
    Retry retry,
    Circuit circuit,
    Parse parse,
    Store store,
    Download download,
    Recrawl recrawl,
    Map<String, Host> hosts,
    Render render,
    Cluster cluster,
    List<Rule> rules) {

  /** This config with {@code fetch.*} replaced. */
  public TrawlConfig withFetch(Fetch fetch) {
    return new TrawlConfig(crawl, fetch, retry, circuit, parse, store, download, recrawl, hosts, render, cluster, rules);
  }

  /** {@code crawl.*}: what to crawl and when to stop ({@link ConfigKeys#CRAWL}). */
  public record Crawl(
      Path seeds,
      String db,
      String dbSchema,
      int maxDepth,
      long maxPages,
      Duration maxDuration,
      List<String> allowedDomains,
      List<String> include,
      List<String> exclude,
      Duration progressInterval,
      boolean sitemaps,
      int maxSitemapUrls,
      Optional<ListenAddress> metrics,
      Optional<ListenAddress> ui) {}

  /** {@code fetch.*}: how pages are fetched ({@link ConfigKeys#FETCH}). */
  public record Fetch(
      int concurrency,
      int perHostConcurrency,
      Rate perHostRate,
      String userAgent,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRedirects,
      DataSize maxBodySize,
      boolean respectRobots,
      int maxUrlLength,
      boolean blockPrivateAddresses,
      List<Header> headers,
      boolean cookies,
      Optional<Path> cookiesFile,
      Optional<Proxy> proxy,
      List<Proxy> proxies,
      String proxyRotation,
      Duration proxyBench,
      int proxyBanRate,
      boolean autothrottle,
      Duration autothrottleMaxDelay) {

    /** {@code fetch.proxy_rotation}: a proxy of {@code fetch.proxies} chosen for each request in turn. */
    public static final String PER_REQUEST = "per_request";
    /** {@code fetch.proxy_rotation}: each host keeps its proxy while it works (sticky sessions). */
    public static final String PER_HOST = "per_host";

    /** These settings with another {@code fetch.max_redirects}. */
    public Fetch withMaxRedirects(int redirects) {
      return new Fetch(concurrency, perHostConcurrency, perHostRate, userAgent, connectTimeout, requestTimeout,
          redirects, maxBodySize, respectRobots, maxUrlLength, blockPrivateAddresses, headers, cookies, cookiesFile,
          proxy, proxies, proxyRotation, proxyBench, proxyBanRate, autothrottle, autothrottleMaxDelay);
    }

    /** These settings with another {@code fetch.max_body_size}. */
    public Fetch withMaxBodySize(DataSize size) {
      return new Fetch(concurrency, perHostConcurrency, perHostRate, userAgent, connectTimeout, requestTimeout,
          maxRedirects, size, respectRobots, maxUrlLength, blockPrivateAddresses, headers, cookies, cookiesFile,
          proxy, proxies, proxyRotation, proxyBench, proxyBanRate, autothrottle, autothrottleMaxDelay);
    }
  }

  /**
   * One header of {@code fetch.headers} or {@code hosts.<pattern>.headers}.
   *
   * @param name the header's name as written
   * @param value the value sent, {@code ${NAME}} variables replaced
   * @param shown the value as {@code crawls.config} and logs show it: as written when it names a
   *     variable or is harmless, {@code ***} when its header carries credentials
   */
  public record Header(String name, String value, String shown) {
    @Override
    public String toString() {
      return name + ": " + shown;
    }
  }

  /**
   * A proxy of {@code fetch.proxy}, {@code fetch.proxies} or {@code hosts.<pattern>.proxy}, or
   * {@link #DIRECT} (a host reached without one). {@link #toString} names it without its password,
   * as every error and log line does.
   *
   * @param scheme {@code http} (plain pages sent to it whole, https ones tunnelled with CONNECT)
   *     or {@code socks5}; {@code direct} for none
   * @param user empty when the proxy takes no credentials
   */
  public record Proxy(String scheme, String host, int port, String user, String password) {
    /** No proxy: {@code proxy: direct} for a host of {@code hosts:}. */
    public static final Proxy DIRECT = new Proxy("direct", "", 0, "", "");

    public boolean isDirect() {
      return scheme.equals(DIRECT.scheme);
    }

    @Override
    public String toString() {
      if (isDirect()) {
        return "direct";
      }
      String host = this.host.contains(":") ? "[" + this.host + "]" : this.host;
      return scheme + "://" + (user.isEmpty() ? "" : user + (password.isEmpty() ? "" : ":***") + "@") + host + ":" + port;
    }
  }

  /**
   * {@code hosts.<pattern>.*}: what differs for the hosts a pattern matches ({@link
   * ConfigKeys#HOST}); an absent key is the crawl-wide one. Resolved per host by {@link
   * HostOverrides}.
   */
  public record Host(
      Optional<Rate> perHostRate,
      Optional<Integer> perHostConcurrency,
      Optional<String> userAgent,
      List<Header> headers,
      Auth auth,
      Login login,
      Optional<Proxy> proxy,
      Optional<Duration> connectTimeout,
      Optional<Duration> requestTimeout,
      HostRetry retry) {}

  /** {@code hosts.<pattern>.auth}: credentials sent to the matching hosts only ({@link ConfigKeys#AUTH}). */
  public record Auth(Basic basic, String bearer) {
    public boolean isNone() {
      return basic.user().isEmpty() && bearer.isEmpty();
    }

    @Override
    public String toString() {
      return isNone() ? "none" : bearer.isEmpty() ? "basic " + basic : "bearer ***";
    }
  }

  /** {@code hosts.<pattern>.auth.basic} ({@link ConfigKeys#BASIC}). */
  public record Basic(String user, String password) {
    @Override
    public String toString() {
      return user + ":***";
    }
  }

  /**
   * {@code hosts.<pattern>.login}: a form posted before the matching hosts are crawled, and again
   * when their session is lost ({@link ConfigKeys#LOGIN}); none when {@code url} is empty.
   */
  public record Login(String url, String method, Map<String, String> form, String success) {
    public boolean isNone() {
      return url.isEmpty();
    }

    @Override
    public String toString() {
      return isNone() ? "none" : method + " " + url + " " + form.keySet() + " success=" + success;
    }
  }

  /** {@code hosts.<pattern>.retry}: the retry keys that differ for the matching hosts ({@link ConfigKeys#HOST_RETRY}). */
  public record HostRetry(
      Optional<Integer> maxAttempts,
      Optional<Duration> initialDelay,
      Optional<Double> multiplier,
      Optional<Duration> maxDelay,
      Optional<List<Integer>> statuses) {

    /** {@code retry} with these keys in place of its own. */
    public Retry over(Retry retry) {
      return new Retry(maxAttempts.orElse(retry.maxAttempts()), initialDelay.orElse(retry.initialDelay()),
          multiplier.orElse(retry.multiplier()), maxDelay.orElse(retry.maxDelay()), statuses.orElse(retry.statuses()));
    }
  }

  /** {@code retry.*}: retries of a failed fetch, exponential backoff with jitter ({@link ConfigKeys#RETRY}). */
  public record Retry(
      int maxAttempts,
      Duration initialDelay,
      double multiplier,
      Duration maxDelay,
      List<Integer> statuses) {}

  /** {@code circuit.*}: the per-host circuit breaker ({@link ConfigKeys#CIRCUIT}). */
  public record Circuit(int failureRate, int minimumCalls, Duration openFor) {}

  /** {@code parse.*}: the parse stage ({@link ConfigKeys#PARSE}). */
  public record Parse(int threads, int maxLinksPerPage) {}

  /** {@code store.*}: the store's writer, SQLite or PostgreSQL ({@link ConfigKeys#STORE}). */
  public record Store(int batchSize, Duration batchDelay) {}

  /** {@code download.*}: responses saved as files instead of being parsed or dropped ({@link ConfigKeys#DOWNLOAD}). */
  public record Download(List<String> contentTypes, Path dir, DataSize maxSize, List<String> fromFields) {}

  /**
   * {@code recrawl.*}: when a page is due to be fetched again, an adaptive schedule as Nutch's
   * ({@link ConfigKeys#RECRAWL}).
   */
  public record Recrawl(
      Duration interval,
      Duration minInterval,
      Duration maxInterval,
      double changedFactor,
      double unchangedFactor) {}

  /**
   * {@code render.*}: pages loaded in headless Chromium instead of the plain HTTP client ({@link
   * ConfigKeys#RENDER}).
   *
   * @param mode {@code urls}, {@code all} or {@code auto} ({@link #MODE_URLS}...)
   * @param waitFor {@code network_idle}, {@code load}, a duration as written ({@code 2s}) or a CSS
   *     selector
   * @param block CDP resource types in lower case ({@code image}, {@code xhr}...)
   * @param browser an executable path, or a name looked up on PATH
   */
  public record Render(
      String mode,
      List<String> urls,
      String whenMissing,
      String waitFor,
      Duration timeout,
      List<String> block,
      int pages,
      int recycleAfter,
      boolean screenshot,
      String browser) {
    /** Render the pages {@code render.urls} matches, no others. */
    public static final String MODE_URLS = "urls";
    /** Render every page. */
    public static final String MODE_ALL = "all";
    /** Plain HTTP first; render what the rules find nothing on, and learn which URL patterns need it. */
    public static final String MODE_AUTO = "auto";

    /** Whether any page of the crawl may be rendered, so a browser is needed. */
    public boolean enabled() {
      return !mode.equals(MODE_URLS) || !urls.isEmpty();
    }

    /**
     * Tabs rendering at once: {@code pages}, or one per core plus one. A tab leaves its core idle
     * while its page waits on the network and between pages, so one more than the cores keeps
     * them busy: on 2 cores, 3 tabs rendered 11-14 % more pages/s than 2 in two alternated pairs
     * and as many in a third (BENCHMARKS.md, Rendering), for about 80 MB more memory.
     */
    public int tabs() {
      return pages > 0 ? pages : Runtime.getRuntime().availableProcessors() + 1;
    }

    /**
     * The longest one try in the browser may take: waiting behind the other requests for a tab
     * ({@code fetchConcurrency} of them at most, {@link #tabs()} at a time), then its own {@code
     * timeout}, plus a margin for its screenshot.
     */
    public long longestTryMs(int fetchConcurrency) {
      long rounds = (fetchConcurrency + tabs() - 1) / tabs();
      return (rounds + 1) * (timeout.toMillis() + 5_000);
    }
  }

  /**
   * {@code cluster.*}: how this node joins a cluster crawl started with {@code --cluster}
   * ({@link ConfigKeys#CLUSTER}); ignored without it.
   */
  public record Cluster(List<String> members, String host, int port, int busPort, Duration lease) {}

  /**
   * One entry of {@code rules}: what to extract from which pages, and which of their links to
   * follow.
   *
   * @param name {@code rules[i].name}: the rule's name, {@code items.rule} (required, unique)
   * @param url {@code rules[i].url}: a regex found in the page URL; empty = every HTML page
   *     (default empty)
   * @param select {@code rules[i].select}: a CSS selector; each match is one item, its fields
   *     selected inside it; empty = one item per page (default empty)
   * @param fields {@code rules[i].fields}: the item's fields by name, in order (required unless
   *     {@code follow} is given)
   * @param follow {@code rules[i].follow}: CSS selectors of the regions whose links are followed
   *     from a matching page (a link element itself, or any element holding links); absent =
   *     every link in scope, {@code []} = none. A page matched by several rules follows the union.
   * @param structured {@code rules[i].structured}: the page's structured data to put in each item,
   *     any of {@code json-ld}, {@code microdata}, {@code opengraph}, under the item keys {@code
   *     jsonld}, {@code microdata}, {@code opengraph} (default none)
   * @param key {@code rules[i].key}: the fields that identify an item; an item whose key was
   *     stored before in the same database updates that row instead of adding one, and an item
   *     missing a key field is dropped (default none: every item is a new row)
   */
  public record Rule(String name, String url, String select, Map<String, Field> fields, Optional<List<String>> follow,
      List<String> structured, List<String> key) {}

  /**
   * One field of a rule, {@code rules[i].fields.<name>}: written either as a CSS selector alone
   * (the text of its first match) or as a map of these keys.
   *
   * @param css {@code css}: a CSS selector, searched inside the item; empty (and no {@code xpath}
   *     or {@code jsonld}) = the item's element itself (default empty)
   * @param xpath {@code xpath}: instead of {@code css}, an XPath expression selecting elements,
   *     evaluated from the item's element with Jsoup's {@code selectXpath} (default empty)
   * @param jsonld {@code jsonld}: instead of a selector, a path ({@link io.trawl.core.JsonPath}'s
   *     subset) into the page's JSON-LD objects; the first object where it finds a value gives it
   *     (default empty)
   * @param jsonldType {@code jsonld_type}: with {@code jsonld}, only the objects of this
   *     {@code @type} (default empty: any)
   * @param take {@code take}: what to take of a match, one of {@code text} (its text, whitespace
   *     collapsed), {@code own_text} (its own text, not its children's), {@code html} (inner
   *     HTML), {@code outer_html}; or {@code attr} (default text)
   * @param attr {@code attr}: take this attribute instead; {@code abs:href} gives an absolute URL
   *     (default none)
   * @param all {@code all}: every match, as a JSON array, instead of the first (default false)
   * @param regex {@code regex}: applied to the taken text; the first capture group (or the whole
   *     match) becomes the value, no match gives null (default none)
   * @param trim {@code trim}: strip surrounding whitespace (default true)
   * @param type {@code type}: {@code string}, {@code number}, {@code integer}, {@code date} (an
   *     ISO-8601 date or date-time, an HTTP date or an English date like {@code March 14, 1879},
   *     written back in ISO-8601) or {@code url} (resolved against the page, absolute and
   *     normalized, http(s) only); a value that is not one becomes null (default string)
   * @param required {@code required}: an item without this field (null or empty) is dropped
   *     (default false)
   * @param fields {@code fields}: a nested record per match instead of a value: its fields,
   *     selected inside the match (default none)
   */
  public record Field(
      String css,
      String xpath,
      String jsonld,
      String jsonldType,
      String take,
      String attr,
      boolean all,
      String regex,
      boolean trim,
      String type,
      boolean required,
      Map<String, Field> fields) {}
}
