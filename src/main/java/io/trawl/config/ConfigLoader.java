package io.trawl.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 * refuses with a {@link ConfigException} naming the key path. The keys, their defaults and their
 * validation are declared in {@link ConfigKeys}; this class reads the file and merges the
 * overrides into it.
 *
 * <p>Overrides map a dotted key path to text as typed on a command line: {@code crawl.max_pages}
 * → {@code "5000"}, {@code fetch.per_host_rate} → {@code "2/s"}, {@code crawl.include} → {@code
 * "a,b"} (lists comma-separated, {@code ""} for an empty list), {@code
 * hosts.shop.example.com.auth.bearer} → a key of that {@code hosts:} entry. They win over the file
 * and are validated like its values; a map-valued key ({@code fetch.headers}) is the file's only.
 * Reading a file blocks: call this before Vert.x starts, or off the event loop.
 */
public final class ConfigLoader {
  private static final String YAML_STRING_SOURCE = "<yaml>";
  private static final int MAX_YAML_ALIASES = 50;
  private static final String OVERRIDE_PATH = "a key path like fetch.per_host_rate or hosts.<pattern>.per_host_rate";

  private ConfigLoader() {}

  /** The configuration with every key at its documented default. */
  public static TrawlConfig defaults() {
    return ConfigKeys.ROOT.defaults();
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

  /**
   * {@code crawl.db} of {@code file}, read and checked as {@link #load} reads it (its {@code ${NAME}}
   * variables resolved), or its default. No other key is read: a command that only opens the
   * database needs neither the crawl's secrets nor a config this version of trawl can crawl with.
   * Refused with a {@link ConfigException} naming the file when it cannot be read or parsed, or
   * the key when its value is bad.
   */
  public static String database(Path file) {
    return (String) crawlKey(file, "db");
  }

  /** {@code crawl.db_schema} of {@code file}, as {@link #database} reads {@code crawl.db}. */
  public static String databaseSchema(Path file) {
    return (String) crawlKey(file, "db_schema");
  }

  private static Object crawlKey(Path file, String name) {
    Map<?, ?> document = parseYaml(readFile(file), file.toString());
    ConfigSection crawl = new ConfigValue("crawl", document.get("crawl")).asSectionOrEmpty();
    return crawl.get(ConfigKeys.CRAWL.key(name).orElseThrow());
  }

  /** The configuration written in {@code yaml} with {@code overrides} applied on top. */
  public static TrawlConfig fromYaml(String yaml, Map<String, String> overrides) {
    return read(withOverrides(parseYaml(yaml, YAML_STRING_SOURCE), overrides));
  }

  private static TrawlConfig read(Map<?, ?> document) {
    return ConfigKeys.ROOT.read(new ConfigSection("", document));
  }

  /**
   * The document with each override put at its key path as an {@link OverrideValue}, replacing
   * what the file said. The maps on the way are copies; one that the file holds as something else
   * than a map is left so, for reading to refuse.
   */
  private static Map<String, Object> withOverrides(
      Map<?, ?> document, Map<String, String> overrides) {
    Map<String, Object> merged = new LinkedHashMap<>();
    document.forEach((key, value) -> merged.put(String.valueOf(key), value));
    for (Map.Entry<String, String> override : new TreeMap<>(overrides).entrySet()) {
      List<String> place = placeOf(override.getKey());
      if (override.getValue() == null) {
        throw new ConfigException(override.getKey(), "a value", null);
      }
      put(merged, place, new OverrideValue(override.getValue()));
    }
    return merged;
  }

  /**
   * Where the override {@code keyPath} goes in the document: {@code [section, key]}, or {@code
   * [hosts, pattern, key...]} for a per-host key, found from the right among the entries' key
   * paths since a pattern holds dots. Refuses a path that names no key {@code --set} can reach.
   */
  private static List<String> placeOf(String keyPath) {
    String[] parts = keyPath.split("\\.", -1);
    Optional<ConfigKey<?>> top = ConfigKeys.ROOT.key(parts[0]);
    if (top.isPresent() && !top.get().isSection() && !top.get().isKeyed()) {
      throw new ConfigException(keyPath, "a key of a section; " + parts[0] + " are written in the config file", keyPath);
    }
    if (parts.length < 2 || Arrays.stream(parts).anyMatch(String::isBlank)) {
      throw new ConfigException(keyPath, OVERRIDE_PATH, keyPath);
    }
    if (top.isPresent() && top.get().isKeyed()) {
      return entryPlace(keyPath, top.get());
    }
    Optional<ConfigKey<?>> key = top.flatMap(section -> section.table().key(parts[1]));
    if (key.isPresent() && key.get().isMap()) {
      throw writtenInTheFile(keyPath, parts[0] + "." + parts[1]);
    }
    if (parts.length != 2) {
      throw new ConfigException(keyPath, OVERRIDE_PATH, keyPath);
    }
    return List.of(parts); // an unknown section or key is refused by reading, with the closest one
  }

  private static List<String> entryPlace(String keyPath, ConfigKey<?> keyed) {
    String rest = keyPath.substring(keyed.name().length() + 1);
    List<String> keys = keyed.table().keyPaths();
    String key = null;
    for (String candidate : keys) {
      boolean fits = rest.endsWith("." + candidate) && rest.length() > candidate.length() + 1;
      if (fits && (key == null || candidate.length() > key.length())) {
        key = candidate;
      }
    }
    String entries = keyed.name() + ".<pattern>.";
    for (String map : keys) {
      if (key == null && rest.contains("." + map + ".") && keyed.table().keyAt(map).filter(ConfigKey::isMap).isPresent()) {
        throw writtenInTheFile(keyPath, entries + map);
      }
    }
    if (key == null) {
      List<String> settable = keys.stream()
          .filter(k -> keyed.table().keyAt(k).filter(ConfigKey::isMap).isEmpty())
          .toList();
      throw new ConfigException(keyPath, entries + "<key>, the key one of " + String.join(", ", settable)
          + closestEntryKey(rest, keys).map(k -> " (did you mean " + k + "?)").orElse(""), keyPath);
    }
    String entry = rest.substring(0, rest.length() - key.length() - 1);
    if (keyed.table().keyAt(key).filter(ConfigKey::isMap).isPresent()) {
      throw writtenInTheFile(keyPath, entries + key);
    }
    List<String> place = new ArrayList<>(List.of(keyed.name(), entry));
    place.addAll(List.of(key.split("\\.")));
    return place;
  }

  /** The entry key {@code rest} (pattern and key) most likely meant, comparing its last one to three parts. */
  private static Optional<String> closestEntryKey(String rest, List<String> keys) {
    String[] parts = rest.split("\\.");
    for (int n = 1; n <= Math.min(3, parts.length - 1); n++) {
      int dots = n - 1;
      String tail = String.join(".", Arrays.asList(parts).subList(parts.length - n, parts.length));
      List<String> sameLength = keys.stream().filter(k -> k.chars().filter(c -> c == '.').count() == dots).toList();
      Optional<String> closest = ClosestKey.among(tail, sameLength);
      if (closest.isPresent()) {
        return closest;
      }
    }
    return Optional.empty();
  }

  private static ConfigException writtenInTheFile(String keyPath, String key) {
    return new ConfigException(keyPath, "a key --set can reach; " + key
        + " is a map, written in the config file (e.g. {Name: value})", keyPath);
  }

  /**
   * Puts {@code value} at {@code place}, copying each map on the way (creating it when absent or
   * null). A {@code hosts:} entry is found whatever the case of its pattern, as reading lowercases
   * it, so that an override joins the file's entry rather than duplicating it.
   */
  @SuppressWarnings("unchecked") // the document's maps come from SnakeYAML or from this method
  private static void put(Map<String, Object> document, List<String> place, OverrideValue value) {
    Map<Object, Object> map = (Map<Object, Object>) (Map<?, ?>) document;
    for (int i = 0; i < place.size() - 1; i++) {
      Object key = i == 1 && ConfigKeys.ROOT.key(place.get(0)).filter(ConfigKey::isKeyed).isPresent()
          ? entryNamed(map, place.get(i))
          : place.get(i);
      Object child = map.get(key);
      if (child != null && !(child instanceof Map<?, ?>)) {
        return; // the file's value is not a map: reading refuses that first
      }
      Map<Object, Object> copy = child == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<?, ?>) child);
      map.put(key, copy);
      map = copy;
    }
    map.put(place.get(place.size() - 1), value);
  }

  /** The key of {@code entries} naming the same entry as {@code wanted}, case aside; else {@code wanted}. */
  private static Object entryNamed(Map<Object, Object> entries, String wanted) {
    String normalized = wanted.trim().toLowerCase(Locale.ROOT);
    return entries.keySet().stream()
        .filter(k -> String.valueOf(k).trim().toLowerCase(Locale.ROOT).equals(normalized))
        .findFirst()
        .orElse(wanted);
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
        source, "a map of sections (" + String.join(", ", ConfigKeys.ROOT.names()) + ")", document.toString());
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
