package io.trawl.bus;

/**
 * One node's {@link Progress}, published to every node of a cluster crawl about once a second.
 *
 * @param node the node's id
 * @param progress its frontier's last progress
 */
public record NodeProgress(String node, Progress progress) {}
