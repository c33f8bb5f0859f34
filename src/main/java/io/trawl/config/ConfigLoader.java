package io.trawl.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * "a,b"} (lists comma-separated, {@code ""} for an empty list). They win over the file and are
 * validated like its values. Reading a file blocks: call this before Vert.x starts, or off the
 * event loop.
 */
public final class ConfigLoader {
  private static final String YAML_STRING_SOURCE = "<yaml>";
  private static final int MAX_YAML_ALIASES = 50;

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
      boolean valueInTheFileOnly = ConfigKeys.ROOT.key(sectionAndKey[0]).filter(key -> !key.isSection()).isPresent();
      if (valueInTheFileOnly) {
        throw new ConfigException(override.getKey(),
            "a key of a section; " + sectionAndKey[0] + " are written in the config file", override.getValue());
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
