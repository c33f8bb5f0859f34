package io.trawl.store;

/**
 * The one seam between trawl and its database: everything the program asks of a store goes
 * through here, so that nothing outside {@code store/} names a dialect, a JDBC URL or a pragma.
 * Two implementations: {@code store/sqlite} (a file, the embedded default) and
 * {@code store/postgres} (a server). {@link StoreBackends#of} picks one from {@code crawl.db}.
 *
 * <p>Every method blocks: call them on the store's writer thread or on the command line's main
 * thread, never on an event loop. A backend itself holds no connection; each method opens what it
 * needs. Failures are {@link StoreException}s that name the database (a URL without its password)
 * and what failed.
 */
public interface StoreBackend {
  /** The database as it may be printed: a file path, or a URL with its password masked. */
  String display();

  /**
   * Claims the database for one crawl: a lock file beside a SQLite file, a session advisory lock
   * on PostgreSQL (per database and schema).
   *
   * @throws StoreException {@link StoreException.Kind#BUSY} when another crawl holds it
   */
  StoreClaim claim();

  /**
   * Opens the one connection that writes, creating the tables or migrating them to the current
   * schema version first, all in one transaction (a failure leaves nothing half created).
   *
   * @param requeueInFlight put the rows an interrupted run left {@code in_flight} back to
   *     {@code queued} (for {@code --resume}), each counting the stop in {@code frontier.crashes}
   *     unless the run was recorded as {@code interrupted} (a graceful stop); one in flight in
   *     {@link StoreWriter#MAX_CRASHES} stops fails as {@code crashed} instead
   */
  StoreWriter openWriter(boolean requeueInFlight);

  /**
   * The claim of one node of a cluster crawl: shared with the other nodes, refused while a crawl
   * that is not a cluster crawl holds the database (which {@link #claim()} then refuses too).
   *
   * @throws StoreException {@link StoreException.Kind#BAD_LOCATION} on a backend without cluster mode
   */
  default StoreClaim claimForCluster() {
    throw noClusterMode();
  }

  /**
   * The writer of one node of a cluster crawl, as {@link #openWriter} (never requeueing: the
   * cluster's first node does that through its {@link ClusterLedger}): its claims and pages carry
   * {@code node}, and each batch commits only while {@code node} is still in the crawl. A
   * transaction left open for longer than {@code leaseMs} (the node frozen or cut off mid-batch)
   * is ended by the database, so that it cannot hold up the node's eviction.
   */
  default StoreWriter openNodeWriter(String node, long leaseMs) {
    throw noClusterMode();
  }

  /**
   * What the nodes of a cluster crawl agree on through this database, for node {@code node}
   * reached at {@code address}, whose lease lasts {@code leaseMs}; {@code node} may be null for
   * a ledger that only asks the crawl to stop.
   */
  default ClusterLedger openClusterLedger(String node, String address, long leaseMs) {
    throw noClusterMode();
  }

  /** What the database holds of earlier crawls, for {@code --resume} and the refusal to overwrite. */
  CrawlHistory history();

  /** Deletes every table trawl made (and their rows), for {@code --fresh}. Anything else is left alone. */
  void wipe();

  /**
   * A read-only view for {@code query}, {@code export}, {@code stats} and the bench. A database
   * that does not exist yet is a {@link StoreException.Kind#NO_DATABASE}, never created.
   */
  StoreReader openReader();

  private StoreException noClusterMode() {
    return new StoreException(StoreException.Kind.BAD_LOCATION, display()
        + ": a cluster crawl needs a PostgreSQL database that every node reaches (a postgresql:// URL), not a SQLite file");
  }
}
