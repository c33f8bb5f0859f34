package io.trawl.bus;

import java.util.List;

/**
 * One node's {@link Progress}, published to every node of a cluster crawl about once a second
 * ({@link Addresses#CLUSTER_PROGRESS}), with the pages of the nodes it knows have gone quiet (left
 * or dead), so that a node which joined after them still counts their pages.
 *
 * @param node the node's id ({@code crawl_nodes.node})
 * @param progress its frontier's last progress
 * @param goneNodes the nodes it no longer hears from, or heard of as such from the others
 * @param goneStored per gone node (same order), the pages it stored, as it last said
 * @param goneFailed per gone node, of those, pages stored with an error
 */
public record NodeProgress(String node, Progress progress, List<String> goneNodes, List<Long> goneStored,
    List<Long> goneFailed) {}
