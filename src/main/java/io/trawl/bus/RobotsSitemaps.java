package io.trawl.bus;

import java.util.List;

/**
 * The {@code Sitemap:} lines of a host's robots.txt, the answer on {@link Addresses#ROBOTS_SITEMAPS}.
 *
 * @param urls the sitemap URLs as written; none when robots.txt lists none or could not be had
 */
public record RobotsSitemaps(List<String> urls) {}
