package io.trawl.bus;

/** May {@code url} be fetched under its host's robots.txt? */
public record RobotsQuery(String url) {}
