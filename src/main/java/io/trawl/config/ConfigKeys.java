package io.trawl.config;

import static io.trawl.config.ConfigKey.key;
import static io.trawl.config.ConfigKey.section;

import io.vertx.core.json.JsonObject;
import java.net.IDN;
import java.nio.file.Path;
import java.time.Duration;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
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
      key("db", "trawl.db", ConfigKeys::database,
          "the database: a SQLite file path, or a `postgresql://` / `postgres://` URL ([Crawling into PostgreSQL](#crawling-into-postgresql)); "
              + "`${NAME}` environment variables allowed, the password is never printed")
          .printedWith(ConfigJson::maskPassword),
      key("db_schema", "public", ConfigKeys::schemaName,
          "the PostgreSQL schema of the tables, created if missing (lower-case letters, digits, `_`; `${NAME}` "
              + "environment variables allowed); ignored for a SQLite file"),
      key("max_depth", 5, v -> v.asInt(0, MAX),
          "links followed from a seed; `0` fetches only the seeds"),
      key("max_pages", 0L, v -> v.asLong(0, Long.MAX_VALUE),
          "stop after this many pages stored (failures count), earlier runs of a resumed crawl included; `0` = no limit"),
      key("max_duration", Duration.ZERO, ConfigValue::asDuration,
          "stop handing out work after this long (each run's own: a `--resume` gets it afresh), finish what is in flight; "
              + "`0` = no limit. A cluster crawl counts it from its start for all its nodes ([Running a cluster](#running-a-cluster))"),
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
              + "fails as `blocked_address` ([Hostile URLs](#hostile-urls); through a proxy, see [Proxies](#proxies))"),
      key("headers", List.<TrawlConfig.Header>of(), v -> headers(v, true),
          "headers sent with every request, e.g. `{Accept-Language: \"en\"}`; a value may name environment variables "
              + "as `${NAME}`. Not `Host`, `Cookie`, `User-Agent` nor credentials (`Authorization`: see `hosts`)")
          .printedWith(ConfigKeys::headersJson)
          .map(),
      key("cookies", true, ConfigValue::asBoolean,
          "keep the cookies servers set and send them back, per crawl, as a browser does; kept in the `cookies` "
              + "table so `--resume` continues the same sessions ([Cookies](#cookies))"),
      key("cookies_file", Optional.<Path>empty(), optional(ConfigValue::asPath),
          "a Netscape/curl cookie file (`curl -c`, a browser export) whose cookies the crawl starts with"),
      key("proxy", Optional.<TrawlConfig.Proxy>empty(), optional(v -> proxy(v, false)),
          "send every request through this proxy: `http://host:port` (https pages through CONNECT) or "
              + "`socks5://host:port`, with `user:password@` if it wants them (`${NAME}` variables allowed; the "
              + "password is never printed) ([Proxies](#proxies))")
          .printedWith(p -> p.map(Object::toString).orElse(null)),
      key("proxies", List.<TrawlConfig.Proxy>of(), v -> v.asList(p -> proxy(p, false)),
          "several proxies, used in turn (see `proxy_rotation`); one that fails is benched and the request "
              + "goes through another")
          .printedWith(ConfigKeys::proxiesJson),
      key("proxy_rotation", TrawlConfig.Fetch.PER_REQUEST,
          v -> oneOf(v, List.of(TrawlConfig.Fetch.PER_REQUEST, TrawlConfig.Fetch.PER_HOST)),
          "`per_request`: the next proxy of `proxies` for each request; `per_host`: a host keeps its proxy until "
              + "that proxy is benched (its cookies and session stay on one IP)"),
      key("proxy_bench", Duration.ofMinutes(2), ConfigValue::asPositiveDuration,
          "how long a failing proxy sits out: one that cannot be connected to, answers 407, or whose answers are "
              + "mostly bans (see `proxy_ban_rate`)"),
      key("proxy_ban_rate", 50, v -> v.asInt(1, 100),
          "percent of a proxy's last 10 answers that may be `403` or `429` before it is benched; `100` = never "
              + "for bans"),
      key("autothrottle", false, ConfigValue::asBoolean,
          "adapt each host's pace: slower (multiplicative) on `429`, `503` and rising response times, faster "
              + "again (additive) while answers are quick and clean, never faster than `per_host_rate` "
              + "([Autothrottle](#autothrottle))"),
      key("autothrottle_max_delay", Duration.ofMinutes(1), ConfigValue::asPositiveDuration,
          "the slowest pace autothrottle may set: this long between two requests to a host"))
      .checking(ConfigKeys::oneProxyKey)
      .checking(ConfigKeys::cookiesFileNeedsCookies);

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
      key("batch_delay", Duration.ofMillis(5), ConfigValue::asDuration,
          "longest wait to fill a batch once the writer is free; `0` = pure group commit: a batch is written "
              + "as soon as the writer is free, holding whatever arrived while it was busy. The 5 ms default "
              + "makes fewer, larger commits (a fast crawl's writer spent most of its time committing) and "
              + "holds a page's stored reply 5 ms longer; fetching does not wait for it"));

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

  static final KeyTable<TrawlConfig.Recrawl> RECRAWL = KeyTable.of(TrawlConfig.Recrawl.class,
      key("interval", Duration.ofDays(1), ConfigValue::asPositiveDuration,
          "how long a page waits after a fetch before it is due again (`crawl --recrawl --due`), until the adaptive "
              + "schedule moves it ([Recrawling](#recrawling)); a sitemap's `<changefreq>` replaces it for its URLs"),
      key("min_interval", Duration.ofHours(1), ConfigValue::asPositiveDuration,
          "the shortest a page's interval becomes, however often it changes"),
      key("max_interval", Duration.ofDays(30), ConfigValue::asPositiveDuration,
          "the longest a page's interval becomes, however rarely it changes"),
      key("changed_factor", 0.8, v -> v.asDouble(0.01, 1.0),
          "a page found changed waits its interval times this next time (Nutch's adaptive schedule; `1` = fixed)"),
      key("unchanged_factor", 1.4, v -> v.asDouble(1.0, 100.0),
          "a page found unchanged (`304`, or the same body) or gone waits its interval times this next time "
              + "(`1` = fixed)"))
      .checking(ConfigKeys::intervalsInOrder);
  static final KeyTable<TrawlConfig.Basic> BASIC = KeyTable.of(TrawlConfig.Basic.class,
      key("user", "", emptyOr(ConfigValue::asTextWithVariables),
          "the Basic auth user (`${NAME}` variables allowed)"),
      key("password", "", emptyOr(ConfigValue::asTextWithVariables),
          "its password; write it `${NAME}` to keep it out of the file. Never printed").secret());

  static final KeyTable<TrawlConfig.Auth> AUTH = KeyTable.of(TrawlConfig.Auth.class,
      section("basic", BASIC),
      key("bearer", "", emptyOr(ConfigValue::asTextWithVariables),
          "a token sent as `Authorization: Bearer <token>` (`${NAME}` variables allowed). Never printed").secret())
      .checking(ConfigKeys::oneAuth);

  static final KeyTable<TrawlConfig.Login> LOGIN = KeyTable.of(TrawlConfig.Login.class,
      key("url", "", emptyOr(ConfigKeys::loginUrl),
          "the login form's action: an absolute http(s) URL ([Logging in](#logging-in))"),
      key("method", "POST", v -> oneOf(v, List.of("POST", "GET")),
          "`POST` (the form as `application/x-www-form-urlencoded`) or `GET` (the form in the query)"),
      key("form", Map.<String, String>of(), ConfigKeys::loginForm,
          "the form's fields, e.g. `{user: ann, password: \"${SHOP_PASSWORD}\"}`; values are never printed")
          .printedWith(ConfigKeys::loginFormJson)
          .map(),
      key("success", "", emptyOr(RuleReader::selector),
          "a CSS selector found on the page the login ends on when it worked (`a[href*=logout]`)"))
      .checking(ConfigKeys::loginComplete);

  static final KeyTable<TrawlConfig.HostRetry> HOST_RETRY = KeyTable.of(TrawlConfig.HostRetry.class,
      key("max_attempts", Optional.<Integer>empty(), optional(v -> v.asInt(1, MAX)),
          "`retry.max_attempts` for these hosts"),
      key("initial_delay", Optional.<Duration>empty(), optional(v -> v.asDuration()),
          "`retry.initial_delay` for these hosts"),
      key("multiplier", Optional.<Double>empty(), optional(v -> v.asDouble(1.0, Double.MAX_VALUE)),
          "`retry.multiplier` for these hosts"),
      key("max_delay", Optional.<Duration>empty(), optional(v -> v.asDuration()),
          "`retry.max_delay` for these hosts"),
      key("statuses", Optional.<List<Integer>>empty(), optional(v -> v.asList(status -> status.asInt(100, 599))),
          "`retry.statuses` for these hosts"));

  static final KeyTable<TrawlConfig.Host> HOST = KeyTable.of(TrawlConfig.Host.class,
      key("per_host_rate", Optional.<Rate>empty(), optional(v -> v.asRate()),
          "`fetch.per_host_rate` for these hosts (faster or slower)"),
      key("per_host_concurrency", Optional.<Integer>empty(), optional(v -> v.asInt(1, MAX)),
          "`fetch.per_host_concurrency` for these hosts"),
      key("user_agent", Optional.<String>empty(), optional(v -> v.asText()),
          "`fetch.user_agent` for these hosts (their robots.txt is read for it)"),
      key("headers", List.<TrawlConfig.Header>of(), v -> headers(v, false),
          "headers sent to these hosts only, over `fetch.headers` (a header of both: this value); `Authorization` "
              + "and API keys belong here, values best written `${NAME}`")
          .printedWith(ConfigKeys::headersJson)
          .map(),
      section("auth", AUTH),
      section("login", LOGIN),
      key("proxy", Optional.<TrawlConfig.Proxy>empty(), optional(v -> proxy(v, true)),
          "the proxy for these hosts, over `fetch.proxy`/`fetch.proxies`; `direct` for none")
          .printedWith(p -> p.map(Object::toString).orElse(null)),
      key("connect_timeout", Optional.<Duration>empty(), optional(v -> v.asPositiveDuration()),
          "`fetch.connect_timeout` for these hosts"),
      key("request_timeout", Optional.<Duration>empty(), optional(v -> v.asPositiveDuration()),
          "`fetch.request_timeout` for these hosts"),
      section("retry", HOST_RETRY));

  /** The CDP resource types {@code render.block} may name: all but the page's own document. */
  static final List<String> RESOURCE_TYPES = List.of("image", "font", "media", "stylesheet", "script", "xhr",
      "fetch", "websocket", "eventsource", "manifest", "texttrack", "prefetch", "ping", "other");

  static final KeyTable<TrawlConfig.Render> RENDER = KeyTable.of(TrawlConfig.Render.class,
      key("mode", TrawlConfig.Render.MODE_URLS, ConfigKeys::renderMode,
          "which pages are loaded in headless Chromium: `urls` (those `render.urls` matches; none when it is empty), "
              + "`all`, or `auto` (plain HTTP first, rendered when the rules find nothing; learned per URL pattern) "
              + "([Rendering JavaScript](#rendering-javascript))"),
      key("urls", List.<String>of(), v -> v.asList(ConfigValue::asRegex),
          "regexes; a page whose URL matches one is always rendered"),
      key("when_missing", "", ConfigKeys::optionalSelector,
          "with `mode: auto`, a CSS selector: a page fetched over plain HTTP without a match is rendered"),
      key("wait_for", "network_idle", ConfigKeys::renderWait,
          "what a rendered page waits for after its load event before its DOM is read: `network_idle` (no request "
              + "in flight for 500 ms), `load` (nothing more), a CSS selector (until a match exists), or a fixed "
              + "delay like `2s`"),
      key("timeout", Duration.ofSeconds(30), ConfigValue::asPositiveDuration,
          "a whole rendered page, its load and wait included; past it the page fails as `timeout`"),
      key("block", List.of("image", "font", "media", "stylesheet"), v -> v.asList(ConfigKeys::resourceType),
          "resource types a rendered page may not load (never requested): any of `" + String.join("`, `", RESOURCE_TYPES)
              + "`"),
      key("pages", 0, v -> v.asInt(0, MAX),
          "browser tabs rendering at once; `0` = one per core plus one"),
      key("recycle_after", 500, v -> v.asInt(0, MAX),
          "pages a browser renders before it is restarted, which bounds its memory; `0` = never"),
      key("screenshot", false, ConfigValue::asBoolean,
          "save a PNG of each rendered page in `download.dir` as its `downloads` row"),
      key("browser", "auto", ConfigValue::asText,
          "the Chromium (or Chrome) executable: `auto` (the first of `chromium-headless-shell`, then `chromium`, "
              + "found on PATH), a path, or a name looked up on PATH; or the DevTools URL (`ws://...`) of a browser "
              + "already running, which trawl then connects to instead of starting one"))
      .checking(ConfigKeys::whenMissingOnlyInAutoMode);
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
      section("recrawl", RECRAWL),
      ConfigKey.keyed("hosts", "pattern", HostPattern::read, HOST,
          "settings for some hosts: a map from a host pattern (`shop.example.com`, `*.example.org` for its "
              + "subdomains, an IP address) to the keys below; a host takes the entry of its exact name, else of "
              + "the longest `*.` suffix it matches ([Per-host settings](#per-host-settings))"),
      section("render", RENDER),
      section("cluster", CLUSTER),
      key("rules", List.<TrawlConfig.Rule>of(), RuleReader::rules,
          "extraction rules: a list, see [Extraction rules](#extraction-rules); set in the file only, not with `--set`")
          .printedWith(ConfigJson::rules))
      .checking(ConfigKeys::downloadFieldsNameRuleFields)
      .checking(ConfigKeys::hostRetriesConsistent)
      .checking(ConfigKeys::loginNeedsCookies)
      .checking(ConfigKeys::noRenderingWithPrivateAddressesBlocked);

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Headers trawl writes itself, or that would break the exchange. */
  private static final Map<String, String> HEADERS_NOT_SET = Map.of(
      "host", "the URL's host",
      "content-length", "the body's length",
      "transfer-encoding", "the body's framing",
      "connection", "the connection's keep-alive",
      "cookie", "the cookie jar (fetch.cookies_file to start from a file)",
      "user-agent", "user_agent");
  /** Headers that carry credentials: per host only, never printed. */
  private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization");
  private static final Pattern SECRET_LOOKING = Pattern.compile("(?i).*(auth|token|key|secret|session|password|signature).*");

  private ConfigKeys() {}

  /**
   * {@code crawl.db} with its {@code ${NAME}} variables resolved. A refusal shows the value as
   * written, its URL's password masked: one may be written there, or come from a variable.
   */
  private static String database(ConfigValue v) {
    try {
      return v.asTextWithVariables();
    } catch (ConfigException e) {
      throw e.got() == null ? e : e.showing(ConfigJson.maskPassword(e.got()));
    }
  }

  /** A PostgreSQL schema name trawl creates and queries without quoting trouble. */
  private static String schemaName(ConfigValue v) {
    String name = v.asTextWithVariables();
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw v.refuse("a schema name of lower-case letters, digits and _ (not starting with a digit, at most 63)");
    }
    return name;
  }

  /** A host name in scope, lowercased, without a leading {@code *.} or {@code .}. */
  static String hostName(ConfigValue v) {
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

  private static String renderMode(ConfigValue v) {
    String mode = v.asText().trim();
    if (!List.of(TrawlConfig.Render.MODE_URLS, TrawlConfig.Render.MODE_ALL, TrawlConfig.Render.MODE_AUTO).contains(mode)) {
      throw v.refuse("one of urls, all, auto");
    }
    return mode;
  }

  /** A CSS selector, or "" for none. */
  private static String optionalSelector(ConfigValue v) {
    return v.asString().isBlank() ? "" : RuleReader.selector(v);
  }

  /** {@code network_idle}, {@code load}, a positive duration as written, or a CSS selector. */
  private static String renderWait(ConfigValue v) {
    String wait = v.asText().trim();
    if (wait.equals("network_idle") || wait.equals("load")) {
      return wait;
    }
    if (Character.isDigit(wait.charAt(0))) {
      Duration delay = Durations.parse(wait)
          .orElseThrow(() -> v.refuse("network_idle, load, a delay like \"2s\" or a CSS selector"));
      if (delay.isZero()) {
        throw v.refuse("a delay longer than 0, like \"2s\" (or load, to wait for nothing more)");
      }
      return wait;
    }
    try {
      return RuleReader.selector(v);
    } catch (ConfigException e) {
      throw v.refuse("network_idle, load, a delay like \"2s\" or a CSS selector Jsoup can parse");
    }
  }

  private static String resourceType(ConfigValue v) {
    String type = v.asText().trim().toLowerCase(Locale.ROOT);
    if (!RESOURCE_TYPES.contains(type)) {
      throw v.refuse("a resource type: one of " + String.join(", ", RESOURCE_TYPES)
          + (type.equals("document") ? " (a page's own document cannot be blocked)" : ""));
    }
    return type;
  }

  private static void whenMissingOnlyInAutoMode(TrawlConfig.Render render, ConfigSection section) {
    if (!render.whenMissing().isEmpty() && !render.mode().equals(TrawlConfig.Render.MODE_AUTO)) {
      throw new ConfigException(section.keyPath("when_missing"),
          "no value unless render.mode is auto (it chooses which plain pages to render)", render.whenMissing());
    }
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

  /** {@code recrawl.min_interval <= recrawl.interval <= recrawl.max_interval}. */
  private static void intervalsInOrder(TrawlConfig.Recrawl recrawl, ConfigSection section) {
    if (recrawl.minInterval().compareTo(recrawl.interval()) > 0) {
      throw new ConfigException(section.keyPath("min_interval"),
          "a duration <= recrawl.interval (" + Durations.format(recrawl.interval()) + ")",
          Durations.format(recrawl.minInterval()));
    }
    if (recrawl.maxInterval().compareTo(recrawl.interval()) < 0) {
      throw new ConfigException(section.keyPath("max_interval"),
          "a duration >= recrawl.interval (" + Durations.format(recrawl.interval()) + ")",
          Durations.format(recrawl.maxInterval()));
    }
  }

  /** Each {@code download.from_fields} entry names a top-level field of a rule, and something is downloaded. */
  /**
   * The browser resolves host names itself, for the page and every request its scripts make, so
   * {@code fetch.block_private_addresses} could not hold for rendered pages: refused together
   * rather than half kept.
   */
  private static void noRenderingWithPrivateAddressesBlocked(TrawlConfig config, ConfigSection document) {
    if (config.render().enabled() && config.fetch().blockPrivateAddresses()) {
      throw new ConfigException(document.keyPath("fetch") + ".block_private_addresses",
          "false while pages are rendered (render.mode, render.urls): the browser resolves host names itself, "
              + "where trawl cannot check the addresses", "true");
    }
  }

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

  /** A key whose value may be absent or null ({@code crawls.config} prints an unset one so): empty then. */
  private static <T> Function<ConfigValue, Optional<T>> optional(Function<ConfigValue, T> read) {
    return v -> v.isNull() ? Optional.empty() : Optional.of(read.apply(v));
  }

  /** A key whose empty string means unset ({@code crawls.config} prints an unset one so). */
  private static Function<ConfigValue, String> emptyOr(Function<ConfigValue, String> read) {
    return v -> v.isString() && v.asString().isEmpty() ? "" : read.apply(v);
  }

  private static String oneOf(ConfigValue v, List<String> choices) {
    String value = v.asText().trim();
    if (!choices.contains(value)) {
      throw v.refuse("one of " + String.join(", ", choices));
    }
    return value;
  }

  /**
   * A map of header names to values: names as HTTP allows them, each once (case aside), none that
   * trawl sets itself; credentials only per host ({@code global} false). Each value is printed as
   * written when it names a variable, as {@code ***} when its header looks like a credential.
   */
  private static List<TrawlConfig.Header> headers(ConfigValue v, boolean global) {
    ConfigSection section = v.asSection();
    List<TrawlConfig.Header> headers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String name : section.keys()) {
      String lower = name.toLowerCase(Locale.ROOT);
      String path = section.keyPath(name);
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new ConfigException(path, "a header name (letters, digits and -)", name);
      }
      if (HEADERS_NOT_SET.containsKey(lower)) {
        throw new ConfigException(path, "a header trawl does not set itself (" + name + " comes from "
            + HEADERS_NOT_SET.get(lower) + ")", name);
      }
      if (global && CREDENTIAL_HEADERS.contains(lower)) {
        throw new ConfigException(path, "a header for every host; credentials go to one host: "
            + "hosts.<pattern>.auth or hosts.<pattern>.headers", name);
      }
      if (!seen.add(lower)) {
        throw new ConfigException(path, "each header once", name);
      }
      boolean secret = CREDENTIAL_HEADERS.contains(lower) || SECRET_LOOKING.matcher(name).matches();
      ConfigValue value = new ConfigValue(path, section.raw(name), secret);
      String sent = value.asTextWithVariables();
      String shown = value.namesVariables() ? value.asString() : secret ? ConfigKey.SECRET_SHOWN_AS : sent;
      headers.add(new TrawlConfig.Header(name, sent, shown));
    }
    return List.copyOf(headers);
  }

  private static Object proxiesJson(List<TrawlConfig.Proxy> proxies) {
    return new io.vertx.core.json.JsonArray(proxies.stream().map(Object::toString).map(Object.class::cast).toList());
  }

  private static Object headersJson(List<TrawlConfig.Header> headers) {
    JsonObject json = new JsonObject();
    headers.forEach(h -> json.put(h.name(), h.shown()));
    return json;
  }

  /**
   * A proxy URL: {@code http://} or {@code socks5://}, a host and a port, optional credentials
   * (percent-encoded as in any URL, {@code ${NAME}} variables allowed); {@code direct} where
   * {@code allowDirect}. A refusal shows the URL without its password.
   */
  private static TrawlConfig.Proxy proxy(ConfigValue v, boolean allowDirect) {
    String expected = "a proxy URL like http://proxy.example:3128 or socks5://user:password@proxy.example:1080"
        + (allowDirect ? ", or direct" : "");
    String written = v.asString().trim();
    if (allowDirect && written.equals("direct")) {
      return TrawlConfig.Proxy.DIRECT;
    }
    String url;
    try {
      url = v.asTextWithVariables().trim();
    } catch (ConfigException e) {
      throw e.showing(ConfigJson.maskPassword(written));
    }
    ConfigException refused = new ConfigException(v.path(), expected, ConfigJson.maskPassword(written));
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw refused;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      throw new ConfigException(v.path(), "an http:// or socks5:// proxy (an https:// page goes through an http:// "
          + "proxy with CONNECT; a proxy reached over TLS is not supported)", ConfigJson.maskPassword(written));
    }
    if (!scheme.equals("http") && !scheme.equals("socks5")) {
      throw refused;
    }
    if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw refused;
    }
    String user = "";
    String password = "";
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? "" : decode(info.substring(colon + 1));
      if (user.isEmpty()) {
        throw refused;
      }
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new TrawlConfig.Proxy(scheme, host, uri.getPort(), user, password);
  }

  private static String decode(String percentEncoded) {
    return URLDecoder.decode(percentEncoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static void oneProxyKey(TrawlConfig.Fetch fetch, ConfigSection section) {
    if (fetch.proxy().isPresent() && !fetch.proxies().isEmpty()) {
      throw new ConfigException(section.keyPath("proxies"), "either fetch.proxy or fetch.proxies, not both",
          fetch.proxies().toString());
    }
  }

  private static void cookiesFileNeedsCookies(TrawlConfig.Fetch fetch, ConfigSection section) {
    if (fetch.cookiesFile().isPresent() && !fetch.cookies()) {
      throw new ConfigException(section.keyPath("cookies_file"), "no cookie file while fetch.cookies is false",
          fetch.cookiesFile().get().toString());
    }
  }

  private static void oneAuth(TrawlConfig.Auth auth, ConfigSection section) {
    if (!auth.basic().user().isEmpty() && !auth.bearer().isEmpty()) {
      throw new ConfigException(section.keyPath("bearer"), "either basic or bearer, not both", ConfigKey.SECRET_SHOWN_AS);
    }
    if (auth.basic().user().isEmpty() && !auth.basic().password().isEmpty()) {
      throw new ConfigException(section.keyPath("basic") + ".user", "a user with the password", null);
    }
  }

  private static String loginUrl(ConfigValue v) {
    String url = v.asText().trim();
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw v.refuse("an absolute http(s) URL without user info, like https://shop.example.com/login");
  }

  private static Map<String, String> loginForm(ConfigValue v) {
    ConfigSection section = v.asSection();
    Map<String, String> form = new LinkedHashMap<>();
    for (String field : section.keys()) {
      ConfigValue value = new ConfigValue(section.keyPath(field), section.raw(field), true);
      form.put(field, value.isString() && value.asString().isEmpty() ? "" : value.asTextWithVariables());
    }
    return Collections.unmodifiableMap(form);
  }

  private static Object loginFormJson(Map<String, String> form) {
    JsonObject json = new JsonObject();
    form.keySet().forEach(field -> json.put(field, ConfigKey.SECRET_SHOWN_AS));
    return json;
  }

  private static void loginComplete(TrawlConfig.Login login, ConfigSection section) {
    boolean anySet = !login.url().isEmpty() || !login.form().isEmpty() || !login.success().isEmpty();
    if (anySet && login.url().isEmpty()) {
      throw new ConfigException(section.keyPath("url"), "the login form's URL", null);
    }
    if (anySet && login.success().isEmpty()) {
      throw new ConfigException(section.keyPath("success"),
          "a CSS selector found only once logged in, like \"a[href*=logout]\"", null);
    }
  }

  /** A login's session lives in its cookies: no login while {@code fetch.cookies} is off. */
  private static void loginNeedsCookies(TrawlConfig config, ConfigSection document) {
    config.hosts().forEach((pattern, host) -> {
      if (!host.login().isNone() && !config.fetch().cookies()) {
        throw new ConfigException("hosts.\"" + pattern + "\".login.url",
            "no login while fetch.cookies is false (the session is kept in cookies)", host.login().url());
      }
    });
  }

  /** Each host's retry keys, over {@code retry.*}, keep {@code max_delay >= initial_delay}. */
  private static void hostRetriesConsistent(TrawlConfig config, ConfigSection document) {
    config.hosts().forEach((pattern, host) -> {
      TrawlConfig.Retry retry = host.retry().over(config.retry());
      if (retry.maxDelay().compareTo(retry.initialDelay()) < 0) {
        throw new ConfigException("hosts.\"" + pattern + "\".retry.max_delay",
            "a duration >= its initial_delay (" + Durations.format(retry.initialDelay()) + ")",
            Durations.format(retry.maxDelay()));
      }
    });
  }
}

