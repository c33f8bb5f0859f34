package io.trawl.config;

import static io.trawl.config.ConfigKey.key;
import static io.trawl.config.ConfigKey.section;

import java.net.IDN;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every key of {@code config.yaml}, declared once: one {@link KeyTable} per section, one row per
 * key with its name, default, reader (which parses and checks the value), and its meaning as the
 * README's config table shows it. The tables drive loading ({@link ConfigLoader}, {@code --set}
 * included), the unknown-key refusal and its closest-key suggestion, printing ({@link
 * ConfigJson}: {@code crawls.config} and the {@code --resume} diff), the defaults, and the test
 * that checks the README's table. {@link TrawlConfig}'s records hold the values, one component
 * per key.
 *
 * <p>To add a key, say {@code fetch.max_header_size}:
 *
 * <ol>
 *   <li>a row in its section's table here, where it belongs among the others:
 *       <pre>{@code
 * key("max_header_size", new DataSize(8192), ConfigValue::asPositiveSize,
 *     "largest response header block; a bigger one fails as `protocol`"),
 * }</pre>
 *       (a reader of its own as a private method below when {@link ConfigValue}'s do not fit;
 *       {@code .secret()} for a password or token, shown as {@code ***} in {@code crawls.config},
 *       the resume diff and errors; {@code .printedWith(...)} for a type {@link
 *       ConfigKey#printed} does not know);
 *   <li>the component {@code DataSize maxHeaderSize} at the same place in {@link
 *       TrawlConfig.Fetch} (a mismatch fails every test that loads a config, saying what
 *       differs);
 *   <li>the README row, {@code | `fetch.max_header_size` | `8KB` | <the meaning above> |}: {@code
 *       ConfigKeysTest} prints the rows it expects.
 * </ol>
 *
 * A new section is a record in {@link TrawlConfig}, a table here, and a {@code section(...)} row in
 * {@link #ROOT}. A section keyed by the user ({@code hosts:} keyed by host pattern, each entry a
 * map of keys) is a row of {@link #ROOT} whose value is a {@code Map} of records: its reader reads
 * each entry with the entries' own table and its printer prints each with {@link
 * KeyTable#toJson}, as {@code KeyTableTest}'s {@code hosts} does. The tables are immutable and
 * read before Vert.x starts.
 */
final class ConfigKeys {
  private static final int MAX = Integer.MAX_VALUE;
  private static final String HOST_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  private static final Pattern HOST_NAME = Pattern.compile(HOST_LABEL + "(?:\\." + HOST_LABEL + ")*");
  private static final int MAX_HOST_NAME_CHARS = 253;
  private static final String HOST_NAME_EXPECTED = "a host name like example.com (no scheme, port or path)";
  private static final String MEDIA_TOKEN = "[a-z0-9][a-z0-9!#$&^_.+-]*";
  private static final Pattern MEDIA_RANGE =
      Pattern.compile("\\*/\\*|" + MEDIA_TOKEN + "/(?:\\*|" + MEDIA_TOKEN + ")");

  static final KeyTable<TrawlConfig.Crawl> CRAWL = KeyTable.of(TrawlConfig.Crawl.class,
      key("seeds", Path.of("seeds.txt"), ConfigValue::asPath,
          "seeds file (paths are relative to the working directory)"),
      key("db", "trawl.db", ConfigValue::asText,
          "the database: a SQLite file path, or a `postgresql://` / `postgres://` URL ([Crawling into PostgreSQL](#crawling-into-postgresql))")
          .printedWith(ConfigJson::maskPassword),
      key("db_schema", "public", ConfigKeys::schemaName,
          "the PostgreSQL schema of the tables, created if missing (lower-case letters, digits, `_`); ignored for a SQLite file"),
      key("max_depth", 5, v -> v.asInt(0, MAX),
          "links followed from a seed; `0` fetches only the seeds"),
      key("max_pages", 0L, v -> v.asLong(0, Long.MAX_VALUE),
          "stop after this many pages stored (failures count), earlier runs of a resumed crawl included; `0` = no limit"),
      key("max_duration", Duration.ZERO, ConfigValue::asDuration,
          "stop handing out work after this long; `0` = no limit"),
      key("allowed_domains", List.<String>of(), v -> v.asList(ConfigKeys::hostName),
          "hosts in scope, with their subdomains; empty = the seeds' hosts"),
      key("include", List.<String>of(), v -> v.asList(ConfigValue::asRegex),
          "regexes; if any are given, a URL must match one to be in scope"),
      key("exclude", List.<String>of(), v -> v.asList(ConfigValue::asRegex),
          "regexes; a URL matching any is out of scope"),
      key("progress_interval", Duration.ofSeconds(10), ConfigValue::asPositiveDuration,
          "how often the progress log line is written when not on a terminal"),
      key("sitemaps", false, ConfigValue::asBoolean,
          "read each seed host's sitemaps and queue their URLs at depth 1 ([Sitemaps](#sitemaps))"),
      key("max_sitemap_urls", 50_000, v -> v.asInt(1, MAX),
          "entries read from one sitemap file at most; the rest are ignored"),
      key("metrics", Optional.<ListenAddress>empty(), ListenAddress::read,
          "serve Prometheus metrics at `http://<address>/metrics` during the crawl: `host:port` "
              + "(e.g. `127.0.0.1:9464`), a bare port (loopback), or `off` ([Metrics](#metrics-dashboard-and-report))")
          .printedWith(ListenAddress::print),
      key("ui", Optional.<ListenAddress>empty(), ListenAddress::read,
          "serve the live dashboard at `http://<address>/` during the crawl, as `crawl.metrics`; "
              + "`--ui` alone turns it on at `127.0.0.1:8080`")
          .printedWith(ListenAddress::print));

  static final KeyTable<TrawlConfig.Fetch> FETCH = KeyTable.of(TrawlConfig.Fetch.class,
      key("concurrency", 32, v -> v.asInt(1, MAX),
          "requests in flight at most, all hosts together"),
      key("per_host_concurrency", 2, v -> v.asInt(1, MAX),
          "requests in flight at most to one host"),
      key("per_host_rate", new Rate(1, Duration.ofSeconds(1)), ConfigValue::asRate,
          "requests started per host at most"),
      key("user_agent", "trawl/0.1 (+https://github.com/trawl-crawler/trawl)", ConfigValue::asText,
          "User-Agent header; its product token (`trawl`) is the name robots.txt rules are matched against"),
      key("connect_timeout", Duration.ofSeconds(10), ConfigValue::asPositiveDuration,
          "TCP connect timeout"),
      key("request_timeout", Duration.ofSeconds(30), ConfigValue::asPositiveDuration,
          "a whole request: connect, headers and the entire body"),
      key("max_redirects", 5, v -> v.asInt(0, MAX),
          "redirects followed in one chain; each hop is checked against the scope"),
      key("max_body_size", DataSize.ofMegabytes(10), ConfigValue::asPositiveSize,
          "body kept at most, after decompression; more fails as `too_large`"),
      key("respect_robots", true, ConfigValue::asBoolean,
          "obey robots.txt"),
      key("max_url_length", 2083, v -> v.asInt(1, MAX),
          "characters of a URL at most, once normalized: a longer seed is refused, a longer link, sitemap entry or "
              + "`<base href>` is dropped (links counted, see `parse.max_links_per_page`), a redirect to one fails "
              + "as `bad_redirect` ([Hostile URLs](#hostile-urls))"),
      key("block_private_addresses", false, ConfigValue::asBoolean,
          "refuse to connect to loopback, link-local, private, unspecified and multicast addresses, checked after "
              + "DNS resolution on every request (each redirect hop, robots.txt and sitemaps included); such a URL "
              + "fails as `blocked_address` ([Hostile URLs](#hostile-urls))"));

  static final KeyTable<TrawlConfig.Retry> RETRY = KeyTable.of(TrawlConfig.Retry.class,
      key("max_attempts", 3, v -> v.asInt(1, MAX),
          "tries in all, the first included"),
      key("initial_delay", Duration.ofSeconds(1), ConfigValue::asDuration,
          "wait before the second try"),
      key("multiplier", 2.0, v -> v.asDouble(1.0, Double.MAX_VALUE),
          "growth of the wait per try"),
      key("max_delay", Duration.ofSeconds(30), ConfigValue::asDuration,
          "longest wait; also caps `Retry-After`"),
      key("statuses", List.of(429, 500, 502, 503, 504), v -> v.asList(status -> status.asInt(100, 599)),
          "HTTP statuses retried"))
      .checking(ConfigKeys::maxDelayNotBelowInitial);

  static final KeyTable<TrawlConfig.Circuit> CIRCUIT = KeyTable.of(TrawlConfig.Circuit.class,
      key("failure_rate", 50, v -> v.asInt(1, 100),
          "percent of failed calls that opens a host's circuit breaker"),
      key("minimum_calls", 10, v -> v.asInt(1, MAX),
          "calls seen before the failure rate counts"),
      key("open_for", Duration.ofSeconds(30), ConfigValue::asPositiveDuration,
          "pause before a host is probed again"));

  static final KeyTable<TrawlConfig.Parse> PARSE = KeyTable.of(TrawlConfig.Parse.class,
      key("threads", 0, v -> v.asInt(0, MAX),
          "Jsoup worker threads; `0` = one per core"),
      key("max_links_per_page", 5000, v -> v.asInt(1, MAX),
          "outgoing links kept of one page at most, in document order; the rest are neither stored in `links` "
              + "nor followed. Links dropped (past this cap or longer than `fetch.max_url_length`) are counted in "
              + "`crawls.stats` (`linksDropped`), the summary and a DEBUG log line per page"));

  static final KeyTable<TrawlConfig.Store> STORE = KeyTable.of(TrawlConfig.Store.class,
      key("batch_size", 256, v -> v.asInt(1, MAX),
          "pages written per transaction at most"),
      key("batch_delay", Duration.ZERO, ConfigValue::asDuration,
          "longest wait to fill a batch; `0` = group commit: a batch is written as soon as the writer is free, "
              + "holding whatever arrived while it was busy (a page waits no longer than one transaction, "
              + "and batches grow with the load)"));

  static final KeyTable<TrawlConfig.Download> DOWNLOAD = KeyTable.of(TrawlConfig.Download.class,
      key("content_types", List.<String>of(), v -> v.asList(ConfigKeys::mediaRange),
          "media types whose 2xx responses are saved as files, e.g. `[application/pdf, \"image/*\"]` "
              + "(`*/*` = all); empty = no downloads ([Downloads](#downloads))"),
      key("dir", Path.of("downloads"), ConfigValue::asPath,
          "where the files go, named `<sha256>.<ext>`"),
      key("max_size", DataSize.ofMegabytes(100), ConfigValue::asPositiveSize,
          "largest file, after decompression; a bigger one fails as `too_large` and leaves no file"),
      key("from_fields", List.<String>of(), v -> v.asList(ConfigValue::asText),
          "extraction fields written `rule.field` (e.g. `[books.image]`) whose URLs are queued for download, "
              + "in scope, whatever their depth; needs `download.content_types`"));

  static final KeyTable<TrawlConfig.Cluster> CLUSTER = KeyTable.of(TrawlConfig.Cluster.class,
      key("members", List.<String>of(), v -> v.asList(ConfigKeys::memberAddress),
          "with `--cluster`: the nodes to join, as `host:port` of their `cluster.port` (TCP/IP join, no multicast); "
              + "list the same nodes on every node, itself included or not ([Running a cluster](#running-a-cluster))"),
      key("host", "127.0.0.1", ConfigKeys::clusterHost,
          "with `--cluster`: this node's address, which the other nodes reach it at: the cluster port and the event "
              + "bus port are bound to it and it is what the node tells the others (an IP or a name of this machine, "
              + "never `0.0.0.0`)"),
      key("port", 5701, v -> v.asInt(1, 65535),
          "with `--cluster`: the TCP port of this node's cluster member (Hazelcast): membership and heartbeats"),
      key("bus_port", 5702, v -> v.asInt(1, 65535),
          "with `--cluster`: the TCP port of this node's clustered event bus (Vert.x): the cluster's progress and notices"),
      key("lease", Duration.ofSeconds(10), ConfigKeys::lease,
          "with `--cluster`: how long a node's claim on its hosts lasts in the database without being renewed; a node "
              + "killed or cut off loses its hosts to the others after at most this long"))
      .checking(ConfigKeys::portsDiffer);

  /** The document: its sections, and the extraction rules (read by {@link RuleReader}). */
  static final KeyTable<TrawlConfig> ROOT = KeyTable.of(TrawlConfig.class,
      section("crawl", CRAWL),
      section("fetch", FETCH),
      section("retry", RETRY),
      section("circuit", CIRCUIT),
      section("parse", PARSE),
      section("store", STORE),
      section("download", DOWNLOAD),
      section("cluster", CLUSTER),
      key("rules", List.<TrawlConfig.Rule>of(), RuleReader::rules,
          "extraction rules: a list, see [Extraction rules](#extraction-rules); set in the file only, not with `--set`")
          .printedWith(ConfigJson::rules))
      .checking(ConfigKeys::downloadFieldsNameRuleFields);

  private ConfigKeys() {}

  /** A PostgreSQL schema name trawl creates and queries without quoting trouble. */
  private static String schemaName(ConfigValue v) {
    String name = v.asText();
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw v.refuse("a schema name of lower-case letters, digits and _ (not starting with a digit, at most 63)");
    }
    return name;
  }

  /** A host name in scope, lowercased, without a leading {@code *.} or {@code .}. */
  private static String hostName(ConfigValue v) {
    String host = v.asText().trim().toLowerCase(Locale.ROOT);
    if (host.startsWith("*.")) {
      host = host.substring(2);
    } else if (host.startsWith(".")) {
      host = host.substring(1);
    }
    String ascii;
    try {
      ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      throw v.refuse(HOST_NAME_EXPECTED);
    }
    if (ascii.length() > MAX_HOST_NAME_CHARS || !HOST_NAME.matcher(ascii).matches()) {
      throw v.refuse(HOST_NAME_EXPECTED);
    }
    return ascii;
  }

  /** A media range as in an Accept header, lowercased: {@code image/png}, {@code image/*} or {@code *}{@code /*}. */
  private static String mediaRange(ConfigValue v) {
    String range = v.asText().trim().toLowerCase(Locale.ROOT);
    if (!MEDIA_RANGE.matcher(range).matches()) {
      throw v.refuse("a content type like \"application/pdf\" or \"image/*\"");
    }
    return range;
  }

  /** A cluster member as {@code host:port}, {@code [v6]:port} for an IPv6 address. */
  private static String memberAddress(ConfigValue v) {
    String member = v.asText().trim();
    int colon = member.lastIndexOf(':');
    String expected = "a member as host:port, e.g. 10.0.0.2:5701";
    if (colon <= 0 || colon == member.length() - 1) {
      throw v.refuse(expected);
    }
    String host = member.substring(0, colon);
    if (host.startsWith("[") != host.endsWith("]") || (host.indexOf(':') >= 0 && !host.startsWith("["))) {
      throw v.refuse(expected + " ([v6]:port for an IPv6 address)");
    }
    try {
      int port = Integer.parseInt(member.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw v.refuse(expected + " with a port from 1 to 65535");
      }
    } catch (NumberFormatException e) {
      throw v.refuse(expected);
    }
    if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/')) {
      throw v.refuse(expected);
    }
    return member;
  }

  /** The address a node binds and advertises: one the others can reach, so not a wildcard. */
  private static String clusterHost(ConfigValue v) {
    String host = v.asText().trim();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("*")) {
      throw v.refuse("this machine's address as the other nodes reach it (a wildcard binds but cannot be reached)");
    }
    if (host.contains("/") || host.chars().anyMatch(Character::isWhitespace)) {
      throw v.refuse("an IP address or a host name, without a scheme or port");
    }
    return host;
  }

  /** A cluster lease: at least a second, as the node renews it about ten times per lease. */
  private static Duration lease(ConfigValue v) {
    Duration lease = v.asDuration();
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw v.refuse("a duration of at least 1s, like \"10s\"");
    }
    return lease;
  }

  private static void portsDiffer(TrawlConfig.Cluster cluster, ConfigSection section) {
    if (cluster.port() == cluster.busPort()) {
      throw new ConfigException(section.keyPath("bus_port"), "a port other than cluster.port (" + cluster.port() + ")",
          String.valueOf(cluster.busPort()));
    }
  }

  private static void maxDelayNotBelowInitial(TrawlConfig.Retry retry, ConfigSection section) {
    if (retry.maxDelay().compareTo(retry.initialDelay()) < 0) {
      throw new ConfigException(
          section.keyPath("max_delay"),
          "a duration >= retry.initial_delay (" + Durations.format(retry.initialDelay()) + ")",
          Durations.format(retry.maxDelay()));
    }
  }

  /** Each {@code download.from_fields} entry names a top-level field of a rule, and something is downloaded. */
  private static void downloadFieldsNameRuleFields(TrawlConfig config, ConfigSection document) {
    List<String> fromFields = config.download().fromFields();
    String path = document.keyPath("download") + ".from_fields";
    for (int i = 0; i < fromFields.size(); i++) {
      String entry = fromFields.get(i);
      int dot = entry.indexOf('.');
      String rule = dot < 0 ? entry : entry.substring(0, dot);
      String field = dot < 0 ? "" : entry.substring(dot + 1);
      boolean known = config.rules().stream()
          .anyMatch(r -> r.name().equals(rule) && r.fields().containsKey(field) && r.fields().get(field).fields().isEmpty());
      if (!known) {
        throw new ConfigException(path + "[" + i + "]", "rule.field naming a field of a rule in rules (a value, not nested fields)", entry);
      }
    }
    if (!fromFields.isEmpty() && config.download().contentTypes().isEmpty()) {
      throw new ConfigException(document.keyPath("download") + ".content_types",
          "the content types to save, e.g. [\"image/*\"], since download.from_fields is set", "[]");
    }
  }
}
