package io.trawl.cluster;

import io.trawl.store.ClusterLedger;

/**
 * This JVM's place in a cluster crawl, once it has joined: its node on the cluster, its ledger in
 * the database, and how it entered the crawl. Built on the main thread; the crawl's verticles use
 * it on their own threads.
 *
 * @param node the clustered Vert.x this node runs on
 * @param ledger the node's ledger, which the crawl closes when the node leaves
 * @param entry the cluster crawl this node started or joined
 * @param leaseMs {@code cluster.lease}
 */
public record ClusterRole(ClusterNode node, ClusterLedger ledger, ClusterLedger.Entry entry, long leaseMs) {}
