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
    Cluster cluster,
    List<Rule> rules) {

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
      boolean blockPrivateAddresses) {

    /** These settings with another {@code fetch.max_redirects}. */
    public Fetch withMaxRedirects(int redirects) {
      return new Fetch(concurrency, perHostConcurrency, perHostRate, userAgent, connectTimeout, requestTimeout,
          redirects, maxBodySize, respectRobots, maxUrlLength, blockPrivateAddresses);
    }

    /** These settings with another {@code fetch.max_body_size}. */
    public Fetch withMaxBodySize(DataSize size) {
      return new Fetch(concurrency, perHostConcurrency, perHostRate, userAgent, connectTimeout, requestTimeout,
          maxRedirects, size, respectRobots, maxUrlLength, blockPrivateAddresses);
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
