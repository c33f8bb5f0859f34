package io.trawl.bus;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * How messages travel between the verticles of one node. Every address in {@link Addresses} but
 * the cluster's progress notice ({@link Addresses#CLUSTER_PROGRESS}) is node-local: on a cluster's event bus, a node's pages must
 * never be fetched, parsed or stored by another node (politeness, robots.txt and breakers are the
 * host's owner's alone). So each of their consumers is a {@code localConsumer}, which no other
 * node can reach, and each send, request and publish is local only, which also skips the
 * cluster's lookup of who consumes an address: on one node, a message costs what it costs without
 * a cluster. Any thread.
 */
public final class Delivery {
  private Delivery() {}

  /** A send or publish within this node. */
  public static DeliveryOptions local() {
    return new DeliveryOptions().setLocalOnly(true);
  }

  /** A request within this node whose reply may take up to {@code timeoutMs}. */
  public static DeliveryOptions local(long timeoutMs) {
    return local().setSendTimeout(timeoutMs);
  }
}
