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
      int maxSitemapUrls) {}

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
   */
  public record Rule(String name, String url, String select, Map<String, Field> fields, Optional<List<String>> follow) {}

  /**
   * One field of a rule, {@code rules[i].fields.<name>}: written either as a CSS selector alone
   * (the text of its first match) or as a map of these keys.
   *
   * @param css {@code css}: a CSS selector, searched inside the item; empty = the item's element
   *     itself (default empty)
   * @param take {@code take}: what to take of a match, one of {@code text} (its text, whitespace
   *     collapsed), {@code own_text} (its own text, not its children's), {@code html} (inner
   *     HTML), {@code outer_html}; or {@code attr} (default text)
   * @param attr {@code attr}: take this attribute instead; {@code abs:href} gives an absolute URL
   *     (default none)
   * @param all {@code all}: every match, as a JSON array, instead of the first (default false)
   * @param regex {@code regex}: applied to the taken text; the first capture group (or the whole
   *     match) becomes the value, no match gives null (default none)
   * @param trim {@code trim}: strip surrounding whitespace (default true)
   * @param type {@code type}: {@code string}, {@code number} or {@code integer}; a value that is
   *     not a number becomes null (default string)
   * @param required {@code required}: an item without this field (null or empty) is dropped
   *     (default false)
   * @param fields {@code fields}: a nested record per match instead of a value: its fields,
   *     selected inside the match (default none)
   */
  public record Field(
      String css,
      String take,
      String attr,
      boolean all,
      String regex,
      boolean trim,
      String type,
      boolean required,
      Map<String, Field> fields) {}
}
