package io.trawl.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole, validated configuration of a crawl: one record per {@code config.yaml} section,
 * one accessor per key. Immutable; built only by {@link ConfigLoader}. Every key has a default,
 * documented on its accessor with its unit.
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

  /**
   * {@code crawl.*}: what to crawl and when to stop.
   *
   * @param seeds {@code crawl.seeds}: the seeds file, one URL a line (default {@code seeds.txt},
   *     relative to the working directory)
   * @param db {@code crawl.db}: the SQLite file (default {@code trawl.db})
   * @param maxDepth {@code crawl.max_depth}: links followed from a seed; 0 fetches the seeds only
   *     (default 5)
   * @param maxPages {@code crawl.max_pages}: pages stored before the crawl stops; 0 = no limit
   *     (default 0)
   * @param maxDuration {@code crawl.max_duration}: wall time before the crawl stops; 0 = no limit
   *     (default 0)
   * @param allowedDomains {@code crawl.allowed_domains}: hosts (and their subdomains) in scope;
   *     empty = the seeds' hosts (default empty)
   * @param include {@code crawl.include}: regexes; when any is given a URL must match one (found
   *     anywhere in the URL) (default empty)
   * @param exclude {@code crawl.exclude}: regexes; a URL matching any is out of scope (default
   *     empty)
   * @param progressInterval {@code crawl.progress_interval}: how often the progress log line is
   *     written when the output is not a terminal (default 10s)
   * @param sitemaps {@code crawl.sitemaps}: read each seed host's sitemaps (named in robots.txt,
   *     else {@code /sitemap.xml}) and queue their URLs at depth 1 (default false)
   * @param maxSitemapUrls {@code crawl.max_sitemap_urls}: URLs one sitemap file may add at most
   *     (default 50000)
   */
  public record Crawl(
      Path seeds,
      Path db,
      int maxDepth,
      long maxPages,
      Duration maxDuration,
      List<String> allowedDomains,
      List<String> include,
      List<String> exclude,
      Duration progressInterval,
      boolean sitemaps,
      int maxSitemapUrls) {}

  /**
   * {@code fetch.*}: how pages are fetched.
   *
   * @param concurrency {@code fetch.concurrency}: requests in flight at most, all hosts together
   *     (default 32)
   * @param perHostConcurrency {@code fetch.per_host_concurrency}: requests in flight at most to one
   *     host (default 2)
   * @param perHostRate {@code fetch.per_host_rate}: requests started per host at most (default
   *     {@code 1/s})
   * @param userAgent {@code fetch.user_agent}: the User-Agent header, also the robots.txt agent
   *     (default {@code trawl/0.1 (+https://github.com/trawl-crawler/trawl)})
   * @param connectTimeout {@code fetch.connect_timeout}: TCP connect timeout (default 10s)
   * @param requestTimeout {@code fetch.request_timeout}: a whole request, headers and body
   *     (default 30s)
   * @param maxRedirects {@code fetch.max_redirects}: redirects followed in one chain (default 5)
   * @param maxBodySize {@code fetch.max_body_size}: body kept at most, after decompression; a
   *     longer one fails as {@code too_large} (default 10MB)
   * @param respectRobots {@code fetch.respect_robots}: obey robots.txt (default true)
   */
  public record Fetch(
      int concurrency,
      int perHostConcurrency,
      Rate perHostRate,
      String userAgent,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRedirects,
      DataSize maxBodySize,
      boolean respectRobots) {}

  /**
   * {@code retry.*}: retries of a failed fetch, exponential backoff with jitter.
   *
   * @param maxAttempts {@code retry.max_attempts}: tries in all, the first included; 1 = no retry
   *     (default 3)
   * @param initialDelay {@code retry.initial_delay}: wait before the second try (default 1s)
   * @param multiplier {@code retry.multiplier}: growth of the wait per try (default 2.0)
   * @param maxDelay {@code retry.max_delay}: longest wait, also the cap on Retry-After (default
   *     30s)
   * @param statuses {@code retry.statuses}: HTTP statuses retried (default 429, 500, 502, 503,
   *     504)
   */
  public record Retry(
      int maxAttempts,
      Duration initialDelay,
      double multiplier,
      Duration maxDelay,
      List<Integer> statuses) {}

  /**
   * {@code circuit.*}: the per-host circuit breaker.
   *
   * @param failureRate {@code circuit.failure_rate}: percent of failed calls that opens the
   *     breaker (default 50)
   * @param minimumCalls {@code circuit.minimum_calls}: calls seen before the rate counts (default
   *     10)
   * @param openFor {@code circuit.open_for}: pause before the host is probed again (default 30s)
   */
  public record Circuit(int failureRate, int minimumCalls, Duration openFor) {}

  /**
   * {@code parse.*}: the parse stage.
   *
   * @param threads {@code parse.threads}: Jsoup worker threads; 0 = one per core (default 0)
   */
  public record Parse(int threads) {}

  /**
   * {@code store.*}: the SQLite writer.
   *
   * @param batchSize {@code store.batch_size}: pages written per transaction at most (default 256)
   * @param batchDelay {@code store.batch_delay}: longest wait to fill a batch; 0 = group commit:
   *     write as soon as the writer is free, with everything that arrived meanwhile (default 0)
   */
  public record Store(int batchSize, Duration batchDelay) {}

  /**
   * {@code download.*}: responses saved as files instead of being parsed or dropped.
   *
   * @param contentTypes {@code download.content_types}: media ranges ({@code application/pdf},
   *     {@code image/*}) whose 2xx responses are streamed to a file; empty = no downloads
   *     (default empty)
   * @param dir {@code download.dir}: where the files go, named {@code <sha256>.<ext>} (default
   *     {@code downloads})
   * @param maxSize {@code download.max_size}: largest file, after decompression; a bigger one
   *     fails as {@code too_large} and leaves no file (default 100MB)
   * @param fromFields {@code download.from_fields}: extraction fields, written {@code rule.field},
   *     whose values are URLs to queue for download, e.g. {@code [books.image]}; each is queued
   *     under the usual scope whatever its depth, and saved when its type matches {@code
   *     content_types} (default empty)
   */
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
