package io.trawl.config;

/**
 * One seed URL and the 1-based line of the seeds file it came from. The URL is as written
 * (trimmed, comment removed); the frontier normalizes it.
 */
public record Seed(int line, String url) {}
