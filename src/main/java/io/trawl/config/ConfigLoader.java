package io.trawl.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads {@code config.yaml} and CLI overrides into a {@link TrawlConfig}, refusing unknown keys
 * and bad values with their key path before anything runs. Every key has a default. Stateless;
 * called from the command line's main thread.
 */
public final class ConfigLoader {
  static final List<String> SECTIONS = List.of("crawl", "fetch", "retry", "circuit", "parse", "store");
  static final String DEFAULT_USER_AGENT = "trawl/0.1 (+https://github.com/trawl-crawler/trawl)";

  private ConfigLoader() {}

  public static TrawlConfig defaults() {
    return fromYaml("", Map.of());
  }

  /**
   * @param file the YAML file, or null for the defaults
   * @param overrides dotted key paths to values as typed on a command line ({@code crawl.max_pages=5000})
   */
  public static TrawlConfig load(Path file, Map<String, String> overrides) {
    if (file == null) {
      return fromYaml("", overrides);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "a readable YAML file", e.getClass().getSimpleName() + " " + e.getMessage());
    }
    return fromYaml(text, overrides, file.toString());
  }

  public static TrawlConfig fromYaml(String yaml, Map<String, String> overrides) {
    return fromYaml(yaml, overrides, "config");
  }

  private static TrawlConfig fromYaml(String yaml, Map<String, String> overrides, String source) {
    Map<String, Object> root = parse(yaml, source);
    applyOverrides(root, overrides);
    for (String section : root.keySet()) {
      if (!SECTIONS.contains(section)) {
        YamlSection top = new YamlSection("", root);
        SECTIONS.forEach(top::raw);
        top.refuseUnknown();
      }
    }
    YamlSection crawl = YamlSection.of("crawl", root.get("crawl"));
    YamlSection fetch = YamlSection.of("fetch", root.get("fetch"));
    YamlSection retry = YamlSection.of("retry", root.get("retry"));
    YamlSection circuit = YamlSection.of("circuit", root.get("circuit"));
    YamlSection parse = YamlSection.of("parse", root.get("parse"));
    YamlSection store = YamlSection.of("store", root.get("store"));
    TrawlConfig config = new TrawlConfig(crawl(crawl), fetch(fetch), retry(retry), circuit(circuit), parse(parse),
        store(store));
    for (YamlSection section : List.of(crawl, fetch, retry, circuit, parse, store)) {
      section.refuseUnknown();
    }
    return config;
  }

  private static Map<String, Object> parse(String yaml, String source) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    Yaml parser = new Yaml(new SafeConstructor(options));
    Object doc;
    try {
      doc = parser.load(yaml);
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark();
      String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      throw new ConfigException(source, "valid YAML", e.getProblem() + where);
    } catch (YAMLException e) {
      throw new ConfigException(source, "valid YAML", e.getMessage());
    }
    if (doc == null) {
      return new LinkedHashMap<>();
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new ConfigException(source, "a map of sections (crawl, fetch, ...)", YamlSection.describe(doc));
    }
    Map<String, Object> root = new LinkedHashMap<>();
    map.forEach((k, v) -> root.put(String.valueOf(k), v));
    return root;
  }

  @SuppressWarnings("unchecked")
  private static void applyOverrides(Map<String, Object> root, Map<String, String> overrides) {
    overrides.forEach((path, value) -> {
      int dot = path.indexOf('.');
      if (dot <= 0 || dot == path.length() - 1 || path.indexOf('.', dot + 1) >= 0) {
        throw new ConfigException(path, "a key path like fetch.per_host_rate", "\"" + path + "\"");
      }
      String section = path.substring(0, dot);
      if (!SECTIONS.contains(section)) {
        throw new ConfigException(path, "a key in one of the sections " + String.join(", ", SECTIONS), "\"" + path + "\"");
      }
      Object existing = root.get(section);
      Map<String, Object> map;
      if (existing instanceof Map<?, ?> m) {
        map = new LinkedHashMap<>((Map<String, Object>) m);
      } else {
        map = new LinkedHashMap<>();
      }
      map.put(path.substring(dot + 1), value);
      root.put(section, map);
    });
  }

  private static TrawlConfig.Crawl crawl(YamlSection s) {
    return new TrawlConfig.Crawl(
        s.path("seeds", Path.of("seeds.txt")),
        s.path("db", Path.of("trawl.db")),
        s.integer("max_depth", 5, 0, Integer.MAX_VALUE),
        s.longValue("max_pages", 0, 0, Long.MAX_VALUE),
        s.duration("max_duration", Duration.ZERO),
        domains(s),
        s.regexes("include"),
        s.regexes("exclude"),
        positive(s, "progress_interval", s.duration("progress_interval", Duration.ofSeconds(10))));
  }

  private static List<String> domains(YamlSection s) {
    List<String> raw = s.strings("allowed_domains");
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String d = raw.get(i).toLowerCase(Locale.ROOT);
      if (d.startsWith("*.")) {
        d = d.substring(2);
      } else if (d.startsWith(".")) {
        d = d.substring(1);
      }
      if (d.isEmpty() || !d.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c > 127)) {
        throw new ConfigException(s.keyPath("allowed_domains") + "[" + i + "]", "a host name like example.com", "\"" + raw.get(i) + "\"");
      }
      out.add(d);
    }
    return List.copyOf(out);
  }

  private static TrawlConfig.Fetch fetch(YamlSection s) {
    return new TrawlConfig.Fetch(
        s.integer("concurrency", 32, 1, 100_000),
        s.integer("per_host_concurrency", 2, 1, 100_000),
        s.rate("per_host_rate", new Rate(1, Duration.ofSeconds(1))),
        s.string("user_agent", DEFAULT_USER_AGENT, false),
        positive(s, "connect_timeout", s.duration("connect_timeout", Duration.ofSeconds(10))),
        positive(s, "request_timeout", s.duration("request_timeout", Duration.ofSeconds(30))),
        s.integer("max_redirects", 5, 0, 100),
        s.size("max_body_size", DataSize.ofMegabytes(10)),
        s.bool("respect_robots", true));
  }

  private static TrawlConfig.Retry retry(YamlSection s) {
    return new TrawlConfig.Retry(
        s.integer("max_attempts", 3, 1, 100),
        s.duration("initial_delay", Duration.ofSeconds(1)),
        s.number("multiplier", 2.0, 1.0),
        s.duration("max_delay", Duration.ofSeconds(30)),
        s.integers("statuses", List.of(429, 500, 502, 503, 504), 100, 599));
  }

  private static TrawlConfig.Circuit circuit(YamlSection s) {
    return new TrawlConfig.Circuit(
        s.integer("failure_rate", 50, 1, 100),
        s.integer("minimum_calls", 10, 1, 1_000_000),
        positive(s, "open_for", s.duration("open_for", Duration.ofSeconds(30))));
  }

  private static TrawlConfig.Parse parse(YamlSection s) {
    return new TrawlConfig.Parse(s.integer("threads", 0, 0, 1024));
  }

  private static TrawlConfig.Store store(YamlSection s) {
    return new TrawlConfig.Store(
        s.integer("batch_size", 256, 1, 100_000),
        positive(s, "batch_delay", s.duration("batch_delay", Duration.ofMillis(20))));
  }

  private static Duration positive(YamlSection s, String key, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(s.keyPath(key), "a duration above 0", "\"0\"");
    }
    return d;
  }
}
