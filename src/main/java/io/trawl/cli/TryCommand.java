package io.trawl.cli;

import io.trawl.PageTrial;
import io.trawl.config.ConfigException;
import io.trawl.config.ConfigLoader;
import io.trawl.config.SeedsFile;
import io.trawl.config.TrawlConfig;
import io.trawl.core.CrawlException;
import io.trawl.core.UrlNormalizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jsoup.nodes.Document;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code trawl try}: one page through the config's rules, to write and fix them: the items, the
 * empty fields explained, the links the crawl would follow and why it would not follow the others;
 * or what an ad-hoc {@code --css}/{@code --xpath} selector matches. Fetches the page politely or
 * reads it from {@code --file}. Main thread (the fetch runs on a Vert.x instance of its own, see
 * {@link PageTrial}).
 */
@Command(name = "try", mixinStandardHelpOptions = true,
    description = "Run the config's rules (or one selector) on one page: items, empty fields, links followed or not.")
final class TryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "URL", arity = "0..1", description = "The page to fetch (robots.txt obeyed).")
  String url;

  @Option(names = {"-c", "--config"}, description = "Config file (default: config.yaml if present, else built-in defaults).")
  Path config;

  @Option(names = "--rule", description = "Run only this rule, even where its url pattern does not match.")
  String rule;

  @Option(names = "--css", description = "Show what this CSS selector matches instead of running the rules.")
  String css;

  @Option(names = "--xpath", description = "Show what this XPath matches instead of running the rules.")
  String xpath;

  @Option(names = "--file", description = "Read the page from this file instead of fetching it (with --url).")
  Path file;

  @Option(names = "--url", paramLabel = "URL", description = "The URL the --file page was saved from.")
  String fileUrl;

  @Option(names = "--depth", defaultValue = "0", description = "Treat the page as this many links from a seed (default: 0).")
  int depth;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key by its dotted path, e.g. --set fetch.respect_robots=false "
      + "(maps such as fetch.headers: in the file).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--render", description = "Render the page in the browser whatever the config's render keys say.")
  boolean render;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      checkUsage();
      TrawlConfig cfg = ConfigLoader.load(configFile(), overrides());
      if (url != null) {
        url = CrawlCommand.normalizedArguments(List.of(url), cfg.fetch().maxUrlLength()).get(0);
      }
      if (rule != null && cfg.rules().stream().noneMatch(r -> r.name().equals(rule))) {
        throw new BadInputException("--rule " + rule + ": no such rule in the config (rules: "
            + String.join(", ", cfg.rules().stream().map(TrawlConfig.Rule::name).toList()) + ")");
      }
      try (PageTrial trial = new PageTrial(cfg, render)) {
        PageTrial.Page page = file != null ? PageTrial.fromFile(read(file), fileUrl) : trial.fetch(url);
        if (!page.isHtml()) {
          err.println("trawl: try: " + page.finalUrl() + " is " + page.contentType()
              + ", not HTML: a crawl stores it without parsing it");
          return Main.FAILED;
        }
        if (css != null || xpath != null) {
          List<PageTrial.Match> matches = trial.select(page, css, xpath);
          if (json) {
            out.println(TrialPrinter.json(page, css != null ? "css" : "xpath", css != null ? css : xpath, matches).encodePrettily());
          } else {
            TrialPrinter.matches(page, css != null ? "css \"" + css + "\"" : "xpath \"" + xpath + "\"", matches, out);
          }
        } else {
          PageTrial.Result result = trial.tryRules(page, depth, rule);
          if (json) {
            out.println(TrialPrinter.json(result).encodePrettily());
          } else {
            TrialPrinter.text(result, depth, cfg.crawl().maxDepth(), out);
          }
        }
        out.flush();
        return Main.OK;
      }
    } catch (ConfigException | BadInputException e) {
      err.println("trawl: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (CrawlException e) {
      err.println("trawl: try: the page could not be fetched: " + e.kind().code() + " (" + e.getMessage() + ")");
      return Main.FAILED;
    }
  }

  private void checkUsage() {
    if (file == null && url == null) {
      throw new BadInputException("try: give the page's URL, or --file page.html --url URL");
    }
    if (file != null && render) {
      throw new BadInputException("try --render: fetches the page in the browser; not with --file");
    }
    if (file != null && (url != null || fileUrl == null)) {
      throw new BadInputException("try --file: give the page's URL with --url (and no URL argument)");
    }
    if (file == null && fileUrl != null) {
      throw new BadInputException("try --url: only with --file; give the URL to fetch as an argument");
    }
    if (css != null && xpath != null) {
      throw new BadInputException("try: --css and --xpath exclude each other");
    }
    if ((css != null || xpath != null) && rule != null) {
      throw new BadInputException("try: --rule runs a rule; --css and --xpath show one selector: give one of them");
    }
    if (fileUrl != null && (SeedsFile.problem(fileUrl).isPresent() || UrlNormalizer.normalize(fileUrl).isEmpty())) {
      throw new BadInputException("try --url \"" + fileUrl + "\": expected an http(s) URL");
    }
    if (depth < 0) {
      throw new BadInputException("try --depth " + depth + ": expected 0 or more");
    }
    if (css != null) {
      try {
        QueryParser.parse(css);
      } catch (Selector.SelectorParseException | IllegalArgumentException e) {
        throw new BadInputException("try --css \"" + css + "\": not a CSS selector Jsoup can parse (" + e.getMessage() + ")");
      }
    }
    if (xpath != null) {
      try {
        Document.createShell("").selectXpath(xpath);
      } catch (Selector.SelectorParseException | IllegalArgumentException e) {
        throw new BadInputException("try --xpath \"" + xpath + "\": not an XPath Jsoup can evaluate (" + e.getMessage() + ")");
      }
    }
  }

  private Path configFile() {
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw new BadInputException(config + ": config file not found");
      }
      return config;
    }
    return Files.isRegularFile(CrawlCommand.DEFAULT_CONFIG) ? CrawlCommand.DEFAULT_CONFIG : null;
  }

  private Map<String, String> overrides() {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new BadInputException("--set " + set + ": expected KEY=VALUE, e.g. --set fetch.respect_robots=false");
      }
      overrides.put(set.substring(0, eq).trim(), set.substring(eq + 1));
    }
    return overrides;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException("try --file " + file + ": no such file");
    } catch (IOException e) {
      throw new BadInputException("try --file " + file + ": cannot be read (" + e.getMessage() + ")");
    }
  }
}
