package io.trawl.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What applies to requests to one host: the crawl-wide {@code fetch.*} and {@code retry.*} keys,
 * with those of the {@code hosts:} entry that matches it in their place ({@link HostOverrides}).
 * Immutable; its {@link #toString} shows no credential.
 *
 * @param pattern the {@code hosts:} entry that applies, or "" when none does
 * @param headers {@code fetch.headers}, then the entry's own (replacing a header of the same name)
 * @param proxy the entry's own proxy ({@link TrawlConfig.Proxy#DIRECT} for none); empty: the
 *     crawl's {@code fetch.proxy} or {@code fetch.proxies}
 */
public record HostSettings(
    String pattern,
    Rate rate,
    int concurrency,
    String userAgent,
    List<TrawlConfig.Header> headers,
    TrawlConfig.Auth auth,
    Optional<TrawlConfig.Proxy> proxy,
    Duration connectTimeout,
    Duration requestTimeout,
    TrawlConfig.Retry retry) {}
