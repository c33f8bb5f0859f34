package io.trawl.bus;

/**
 * A page for the browser to render: fetcher → renderer.
 *
 * @param url the normalized URL; robots.txt has allowed it
 */
public record RenderRequest(String url) {}
