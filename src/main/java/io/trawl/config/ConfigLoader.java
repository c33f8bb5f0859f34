package io.trawl.config;

import java.io.IOException;
import java.net.IDN;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Builds a validated {@link TrawlConfig} from {@code config.yaml} and command-line overrides, or
 * refuses with a {@link ConfigException} naming the key path. Each key's default lives here, next
 * to its validation; the keys themselves are documented on {@link TrawlConfig}.
 *
 * <p>Overrides map a dotted key path to text as typed on a command line: {@code crawl.max_pages}
 * → {@code "5000"}, {@code fetch.per_host_rate} → {@code "2/s"}, {@code crawl.include} → {@code
 * "a,b"} (lists comma-separated, {@code ""} for an empty list). They win over the file and are
 * validated like its values. Reading a file blocks: call this before Vert.x starts, or off the
 * event loop.
 */
public final class ConfigLoader {
  private static final String YAML_STRING_SOURCE = "<yaml>";
  private static final String DEFAULT_USER_AGENT =
      "trawl/0.1 (+https://github.com/trawl-crawler/trawl)";
  private static final String HOST_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  private static final Pattern HOST_NAME =
      Pattern.compile(HOST_LABEL + "(?:\\." + HOST_LABEL + ")*");
  private static final int MAX_HOST_NAME_CHARS = 253;
  private static final String HOST_NAME_EXPECTED =
      "a host name like example.com (no scheme, port or path)";
  private static final int MAX_YAML_ALIASES = 50;
  private static final String MEDIA_TOKEN = "[a-z0-9][a-z0-9!#$&^_.+-]*";
  private static final Pattern MEDIA_RANGE =
      Pattern.compile("\\*/\\*|" + MEDIA_TOKEN + "/(?:\\*|" + MEDIA_TOKEN + ")");

  private ConfigLoader() {}

  /** The configuration with every key at its documented default. */
  public static TrawlConfig defaults() {
    return read(Map.of());
  }

  /**
   * The configuration in {@code file} (null: none, defaults only; empty: defaults) with {@code
   * overrides} applied on top.
   */
  public static TrawlConfig load(Path file, Map<String, String> overrides) {
    if (file == null) {
      return read(withOverrides(Map.of(), overrides));
    }
    String source = file.toString();
    return read(withOverrides(parseYaml(readFile(file), source), overrides));
  }

  /** The configuration written in {@code yaml} with {@code overrides} applied on top. */
  public static TrawlConfig fromYaml(String yaml, Map<String, String> overrides) {
    return read(withOverrides(parseYaml(yaml, YAML_STRING_SOURCE), overrides));
  }

  private static TrawlConfig read(Map<?, ?> document) {
    ConfigSection root = new ConfigSection("", document);
    TrawlConfig config =
        new TrawlConfig(
            readCrawl(root.section("crawl")),
            readFetch(root.section("fetch")),
            readRetry(root.section("retry")),
            readCircuit(root.section("circuit")),
            readParse(root.section("parse")),
            readStore(root.section("store")),
            readDownload(root.section("download")),
            root.get("rules", List.of(), RuleReader::rules));
    root.refuseUnknownKeys();
    checkDownloadFields(config);
    return config;
  }

  private static TrawlConfig.Crawl readCrawl(ConfigSection s) {
    var crawl =
        new TrawlConfig.Crawl(
            s.get("seeds", Path.of("seeds.txt"), ConfigValue::asPath),
            s.get("db", Path.of("trawl.db"), ConfigValue::asPath),
            s.get("max_depth", 5, v -> v.asInt(0, Integer.MAX_VALUE)),
            s.get("max_pages", 0L, v -> v.asLong(0, Long.MAX_VALUE)),
            s.get("max_duration", Duration.ZERO, ConfigValue::asDuration),
            s.get("allowed_domains", List.of(), v -> v.asList(ConfigLoader::hostName)),
            s.get("include", List.of(), v -> v.asList(ConfigLoader::regex)),
            s.get("exclude", List.of(), v -> v.asList(ConfigLoader::regex)),
            s.get("progress_interval", Duration.ofSeconds(10), ConfigValue::asPositiveDuration),
            s.get("sitemaps", false, ConfigValue::asBoolean),
            s.get("max_sitemap_urls", 50_000, v -> v.asInt(1, Integer.MAX_VALUE)));
    s.refuseUnknownKeys();
    return crawl;
  }

  private static TrawlConfig.Fetch readFetch(ConfigSection s) {
    var fetch =
        new TrawlConfig.Fetch(
            s.get("concurrency", 32, v -> v.asInt(1, Integer.MAX_VALUE)),
            s.get("per_host_concurrency", 2, v -> v.asInt(1, Integer.MAX_VALUE)),
            s.get("per_host_rate", new Rate(1, Duration.ofSeconds(1)), ConfigValue::asRate),
            s.get("user_agent", DEFAULT_USER_AGENT, ConfigValue::asText),
            s.get("connect_timeout", Duration.ofSeconds(10), ConfigValue::asPositiveDuration),
            s.get("request_timeout", Duration.ofSeconds(30), ConfigValue::asPositiveDuration),
            s.get("max_redirects", 5, v -> v.asInt(0, Integer.MAX_VALUE)),
            s.get("max_body_size", DataSize.ofMegabytes(10), ConfigLoader::positiveSize),
            s.get("respect_robots", true, ConfigValue::asBoolean));
    s.refuseUnknownKeys();
    return fetch;
  }

  private static TrawlConfig.Retry readRetry(ConfigSection s) {
    var retry =
        new TrawlConfig.Retry(
            s.get("max_attempts", 3, v -> v.asInt(1, Integer.MAX_VALUE)),
            s.get("initial_delay", Duration.ofSeconds(1), ConfigValue::asDuration),
            s.get("multiplier", 2.0, v -> v.asDouble(1.0, Double.MAX_VALUE)),
            s.get("max_delay", Duration.ofSeconds(30), ConfigValue::asDuration),
            s.get(
                "statuses",
                List.of(429, 500, 502, 503, 504),
                v -> v.asList(status -> status.asInt(100, 599))));
    s.refuseUnknownKeys();
    if (retry.maxDelay().compareTo(retry.initialDelay()) < 0) {
      throw new ConfigException(
          s.keyPath("max_delay"),
          "a duration >= retry.initial_delay (" + Durations.format(retry.initialDelay()) + ")",
          Durations.format(retry.maxDelay()));
    }
    return retry;
  }

  private static TrawlConfig.Circuit readCircuit(ConfigSection s) {
    var circuit =
        new TrawlConfig.Circuit(
            s.get("failure_rate", 50, v -> v.asInt(1, 100)),
            s.get("minimum_calls", 10, v -> v.asInt(1, Integer.MAX_VALUE)),
            s.get("open_for", Duration.ofSeconds(30), ConfigValue::asPositiveDuration));
    s.refuseUnknownKeys();
    return circuit;
  }

  private static TrawlConfig.Parse readParse(ConfigSection s) {
    var parse = new TrawlConfig.Parse(s.get("threads", 0, v -> v.asInt(0, Integer.MAX_VALUE)));
    s.refuseUnknownKeys();
    return parse;
  }

  private static TrawlConfig.Store readStore(ConfigSection s) {
    var store =
        new TrawlConfig.Store(
            s.get("batch_size", 256, v -> v.asInt(1, Integer.MAX_VALUE)),
            s.get("batch_delay", Duration.ZERO, ConfigValue::asDuration));
    s.refuseUnknownKeys();
    return store;
  }

  private static TrawlConfig.Download readDownload(ConfigSection s) {
    var download =
        new TrawlConfig.Download(
            s.get("content_types", List.of(), v -> v.asList(ConfigLoader::mediaRange)),
            s.get("dir", Path.of("downloads"), ConfigValue::asPath),
            s.get("max_size", DataSize.ofMegabytes(100), ConfigLoader::positiveSize),
            s.get("from_fields", List.of(), v -> v.asList(ConfigValue::asText)));
    s.refuseUnknownKeys();
    return download;
  }

  /** Each {@code download.from_fields} entry names a top-level field of a rule, and something is downloaded. */
  private static void checkDownloadFields(TrawlConfig config) {
    List<String> fromFields = config.download().fromFields();
    String path = "download.from_fields";
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
      throw new ConfigException("download.content_types",
          "the content types to save, e.g. [\"image/*\"], since download.from_fields is set", "[]");
    }
  }

  /** A media range as in an Accept header, lowercased: {@code image/png}, {@code image/*} or {@code *}{@code /*}. */
  private static String mediaRange(ConfigValue v) {
    String range = v.asText().trim().toLowerCase(Locale.ROOT);
    if (!MEDIA_RANGE.matcher(range).matches()) {
      throw v.refuse("a content type like \"application/pdf\" or \"image/*\"");
    }
    return range;
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

  /** A non-empty regex that compiles. */
  static String regex(ConfigValue v) {
    String regex = v.asString();
    if (regex.isEmpty()) {
      throw v.refuse("a non-empty regex");
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw v.refuse("a valid regex (" + e.getDescription() + " near index " + e.getIndex() + ")");
    }
    return regex;
  }

  private static DataSize positiveSize(ConfigValue v) {
    DataSize size = v.asSize();
    if (size.bytes() == 0) {
      throw v.refuse("a size larger than 0, like \"10MB\"");
    }
    return size;
  }

  /**
   * The document with each override put in its section as an {@link OverrideValue}, replacing
   * what the file said.
   */
  private static Map<String, Object> withOverrides(
      Map<?, ?> document, Map<String, String> overrides) {
    Map<String, Object> merged = new LinkedHashMap<>();
    Map<String, Map<Object, Object>> sections = new HashMap<>();
    document.forEach(
        (key, value) -> {
          String name = String.valueOf(key);
          if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>(map);
            sections.put(name, copy);
            merged.put(name, copy);
          } else {
            merged.put(name, value);
          }
        });
    for (Map.Entry<String, String> override : new TreeMap<>(overrides).entrySet()) {
      String[] sectionAndKey = splitOverrideKey(override.getKey());
      if (sectionAndKey[0].equals("rules")) {
        throw new ConfigException(override.getKey(), "a key of a section; rules are written in the config file", override.getValue());
      }
      if (override.getValue() == null) {
        throw new ConfigException(override.getKey(), "a value", null);
      }
      if (merged.get(sectionAndKey[0]) != null && !sections.containsKey(sectionAndKey[0])) {
        continue; // the file's section is not a map: reading it refuses that first
      }
      Map<Object, Object> section =
          sections.computeIfAbsent(sectionAndKey[0], name -> new LinkedHashMap<>());
      merged.put(sectionAndKey[0], section);
      section.put(sectionAndKey[1], new OverrideValue(override.getValue()));
    }
    return merged;
  }

  private static String[] splitOverrideKey(String keyPath) {
    String[] parts = keyPath.split("\\.", -1);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new ConfigException(keyPath, "a key path like fetch.per_host_rate", keyPath);
    }
    return parts;
  }

  private static String readFile(Path file) {
    String source = file.toString();
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw ConfigException.inFile(source, "a readable config file", "no such file", e);
    } catch (CharacterCodingException e) {
      throw ConfigException.inFile(source, "UTF-8 text", "bytes that are not UTF-8", e);
    } catch (AccessDeniedException e) {
      throw ConfigException.inFile(source, "a readable config file", "permission denied", e);
    } catch (IOException e) {
      throw ConfigException.inFile(source, "a readable config file", e.getMessage(), e);
    }
  }

  /** The YAML document as a map; an empty document is an empty map. */
  private static Map<?, ?> parseYaml(String yaml, String source) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_YAML_ALIASES);
    DumperOptions unusedDumper = new DumperOptions();
    Yaml parser =
        new Yaml(
            new SafeConstructor(options),
            new Representer(unusedDumper),
            unusedDumper,
            options,
            new CoreSchemaResolver());
    Object document;
    try {
      document = parser.load(yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml);
    } catch (MarkedYAMLException e) {
      throw ConfigException.inFile(source, "valid YAML", syntaxError(e), e);
    } catch (YAMLException e) {
      throw ConfigException.inFile(source, "valid YAML", e.getMessage(), e);
    }
    if (document == null) {
      return Map.of();
    }
    if (document instanceof Map<?, ?> map) {
      return map;
    }
    throw new ConfigException(
        source,
        "a map of sections (crawl, fetch, retry, circuit, parse, store, download, rules)",
        document.toString());
  }

  private static String syntaxError(MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String where =
        mark == null
            ? ""
            : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    return "a syntax error" + where + " (" + e.getProblem() + ")";
  }
}
