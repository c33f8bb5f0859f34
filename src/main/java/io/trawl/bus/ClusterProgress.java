package io.trawl.bus;

/**
 * Where a cluster crawl stands as one node sees it, published within the node about once a second
 * ({@link Addresses#CLUSTER_TOTALS}) for its progress line.
 *
 * @param stored pages the cluster stored this run, failures included: the live nodes' own counts
 *     and the last counts of the nodes that left or died
 * @param failed of those, pages stored with an error
 * @param queued rows queued in the live nodes' partitions
 * @param inFlight requests the live nodes have out
 * @param nodes live nodes (this one included)
 * @param ownStored of {@code stored}, this node's pages
 */
public record ClusterProgress(long stored, long failed, long queued, int inFlight, int nodes, long ownStored) {

  /** This node's share of the cluster's pages, 0 to 100. */
  public double ownPercent() {
    return stored <= 0 ? 0 : ownStored * 100.0 / stored;
  }
}
