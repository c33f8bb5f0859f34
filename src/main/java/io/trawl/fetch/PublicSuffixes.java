package io.trawl.fetch;

import crawlercommons.domains.EffectiveTldFinder;

/**
 * The Public Suffix List (crawler-commons' copy, its private section included: {@code github.io}
 * is a suffix as browsers see it): which domains no cookie may be set for ({@code co.uk}), and a
 * host's registrable domain, over which the cookie jar counts its per-domain cap. The list loads
 * once per JVM, 0.3-0.5 s of CPU on a 2-core machine (its 9,850 rules, each through IDN): {@link
 * #load} it on a worker thread before an event loop asks, early, so that it overlaps the rest of a
 * crawl's start ({@link CookieVerticle#loadSuffixes}). Thread-safe.
 */
final class PublicSuffixes {
  private PublicSuffixes() {}

  /**
   * Loads the list; blocking, a worker's job. A second caller while the first loads waits for it
   * (crawler-commons' own {@code getInstance} is not synchronized and would load it twice).
   */
  static synchronized void load() {
    EffectiveTldFinder.getInstance();
  }

  /** Whether {@code domain} (lowercase, no leading dot) is a public suffix: {@code com}, {@code co.uk}, {@code github.io}. */
  static boolean isPublicSuffix(String domain) {
    EffectiveTldFinder.EffectiveTLD suffix = EffectiveTldFinder.getEffectiveTLD(domain, false);
    return suffix != null && !suffix.isException() && suffix.getDomain().equals(domain);
  }

  /** The part of {@code host} under one label of its public suffix ({@code shop.example.co.uk} → {@code example.co.uk}); the host itself when none. */
  static String registrableDomain(String host) {
    String domain = EffectiveTldFinder.getAssignedDomain(host, true, false);
    return domain == null ? host : domain;
  }
}
