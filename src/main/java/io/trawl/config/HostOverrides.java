package io.trawl.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code hosts:} section resolved: the {@link HostSettings} of any host, from the entry of its
 * exact name, else of the longest {@code *.domain} it falls under, else the crawl-wide keys. Each
 * entry is merged with the crawl-wide keys once, when this is built; a lookup walks the host's
 * labels (a few map lookups). Immutable and thread-safe: every stage may share one.
 */
public final class HostOverrides {
  private final HostSettings crawlWide;
  private final Map<String, HostSettings> byPattern = new HashMap<>();

  private HostOverrides(TrawlConfig config) {
    TrawlConfig.Fetch fetch = config.fetch();
    this.crawlWide = new HostSettings("", fetch.perHostRate(), fetch.perHostConcurrency(), fetch.userAgent(),
        fetch.headers(), new TrawlConfig.Auth(new TrawlConfig.Basic("", ""), ""), Optional.empty(),
        fetch.connectTimeout(),
        fetch.requestTimeout(), config.retry());
    config.hosts().forEach((pattern, host) -> byPattern.put(pattern, merged(pattern, host, config)));
  }

  /** The settings of every host of {@code config}. */
  public static HostOverrides of(TrawlConfig config) {
    return new HostOverrides(config);
  }

  /**
   * The settings of {@code host}: a host name or IP address (IPv6 in brackets), any case, with or
   * without its {@code :port}.
   */
  public HostSettings settings(String host) {
    if (byPattern.isEmpty()) {
      return crawlWide;
    }
    String name = withoutPort(host.toLowerCase(Locale.ROOT));
    HostSettings exact = byPattern.get(name);
    if (exact != null) {
      return exact;
    }
    for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
      HostSettings wildcard = byPattern.get("*" + name.substring(dot));
      if (wildcard != null) {
        return wildcard;
      }
    }
    return crawlWide;
  }

  /** The settings of hosts no entry of {@code hosts:} matches. */
  public HostSettings crawlWide() {
    return crawlWide;
  }

  /** The settings of every {@code hosts:} entry. */
  public List<HostSettings> entries() {
    return List.copyOf(byPattern.values());
  }

  private HostSettings merged(String pattern, TrawlConfig.Host host, TrawlConfig config) {
    List<TrawlConfig.Header> headers = new ArrayList<>();
    for (TrawlConfig.Header header : config.fetch().headers()) {
      if (host.headers().stream().noneMatch(own -> own.name().equalsIgnoreCase(header.name()))) {
        headers.add(header);
      }
    }
    headers.addAll(host.headers());
    return new HostSettings(pattern,
        host.perHostRate().orElse(crawlWide.rate()),
        host.perHostConcurrency().orElse(crawlWide.concurrency()),
        host.userAgent().orElse(crawlWide.userAgent()),
        List.copyOf(headers),
        host.auth(),
        host.proxy(),
        host.connectTimeout().orElse(crawlWide.connectTimeout()),
        host.requestTimeout().orElse(crawlWide.requestTimeout()),
        host.retry().over(config.retry()));
  }

  private static String withoutPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }
}
