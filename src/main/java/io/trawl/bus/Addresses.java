package io.trawl.bus;

/**
 * Every event-bus address trawl uses: the only contract between verticles. Work travels by
 * request (the reply is the credit back); {@link #PROGRESS} and {@link #FINISHED} are published
 * notices nobody answers. Bodies are the records of this package ({@link RecordCodec#RECORDS}) or
 * plain numbers. All of them but {@link #CLUSTER_PROGRESS} are local to one node ({@link Delivery}), in a
 * cluster too.
 */
public final class Addresses {
  /**
   * Frontier → fetcher: a {@link FetchRequest}; reply {@link FetchOutcome} once the URL is stored
   * or put back. Each fetcher of a node listens at an address of its own, {@link #fetch(int)}:
   * the frontier sends a host's requests to one of them while it has one out at a time, so the
   * host has one connection pool and keeps its connection.
   */
  public static final String FETCH = "trawl.fetch";
  /** Fetcher → robots: a {@link RobotsQuery}; reply {@link RobotsAnswer} from the per-host robots.txt cache. */
  public static final String ROBOTS = "trawl.robots";
  /**
   * Fetcher → login verticle: a {@link LoginRequest}; reply the Long generation of the logged-in
   * session of its {@code hosts:} entry, or a {@code login} failure.
   */
  public static final String LOGIN = "trawl.login";
  /** Sitemap reader → robots: a {@link RobotsQuery}; reply {@link RobotsSitemaps}, the {@code Sitemap:} URLs in the host's robots.txt. */
  public static final String ROBOTS_SITEMAPS = "trawl.robots.sitemaps";
  /** Frontier → sitemap reader: a {@link SitemapRequest}; reply the Integer count of frontier rows its sitemaps added. */
  public static final String SITEMAPS = "trawl.sitemaps";
  /**
   * Fetcher → parser: a {@link FetchedPage}; reply {@link ParseResult} once the page is committed
   * (or, in {@code render.mode: auto}, at once when the page must be rendered instead).
   */
  public static final String PARSE = "trawl.parse";
  /**
   * Fetcher → renderer: a {@link RenderRequest}; reply {@link RenderedPage} once the browser has
   * rendered it, or a failure with its kind ({@code timeout}, {@code browser}...).
   */
  public static final String RENDER = "trawl.render";
  /** Fetcher or parser → store: a {@link PageRecord}; reply {@link PageStored} after its transaction commits. */
  public static final String STORE_PAGE = "trawl.store.page";
  /** Frontier → store: a {@link FrontierUpdate} (seeds to add, claims, put-backs); reply when committed. */
  public static final String STORE_FRONTIER = "trawl.store.frontier";
  /** Sitemap reader → store: {@link DiscoveredUrls} to add to the frontier; reply the Integer count of new rows. */
  public static final String STORE_DISCOVERED = "trawl.store.discovered";
  /** Frontier → store: a {@link QueuedRequest}; reply {@link QueuedBatch} of queued frontier rows. */
  public static final String STORE_QUEUED = "trawl.store.queued";
  /**
   * Fetch stage → store: {@link CookieChanges} of the crawl's cookie jar; reply once committed,
   * which is before any page sent to the store afterwards.
   */
  public static final String STORE_COOKIES = "trawl.store.cookies";
  /** Fetch stage → store, at start (no body): reply {@link StoredCookies}, what the {@code cookies} table holds. */
  public static final String STORE_COOKIES_READ = "trawl.store.cookies.read";
  /** Crawl runner → store: a {@link CrawlRecord} opening or closing a row of {@code crawls}; reply its id. */
  public static final String STORE_CRAWL = "trawl.store.crawl";
  /** Crawl runner → frontier, no body: stop handing out work; reply the last {@link Progress} once nothing is in flight. */
  public static final String FRONTIER_STOP = "trawl.frontier.stop";
  /**
   * Crawl runner → frontier, no body: reply the {@link Progress} as it stands now, in flight included,
   * with the reason it was asked to stop for
   * (a stop whose grace ran out, whose {@link #FRONTIER_STOP} reply will not come).
   */
  public static final String FRONTIER_STATUS = "trawl.frontier.status";
  /**
   * Fetcher → frontier, a send (no reply) of the request id ({@code Long}): the network part of a
   * fetch is over and only its parse and store remain, so the host's and the crawl's request slot
   * is free. The FETCH reply still comes once the page has committed.
   */
  public static final String FRONTIER_FETCHED = "trawl.frontier.fetched";
  /**
   * Cluster → frontier of one node: an {@link OwnedPartitions}, the host partitions the frontier
   * may hand out URLs of and until when (cluster mode only); reply the {@link Partitions} of the
   * rows it has in flight, which the node must not hand over yet.
   */
  public static final String FRONTIER_PARTITIONS = "trawl.frontier.partitions";
  /**
   * Frontier → cluster of one node: a Long, pages of {@code crawl.max_pages} wanted; reply the
   * Long count granted from the cluster's budget (0 once it is spent).
   */
  public static final String PAGE_BUDGET = "trawl.budget";
  /**
   * Frontier → cluster of one node, no body: reply a Boolean, whether no frontier row is queued
   * or in flight on any node (the cluster crawl is over).
   */
  public static final String CRAWL_DONE = "trawl.crawl.done";
  /**
   * Cluster → cluster: each node publishes its {@link NodeProgress} to every node about once a
   * second (cluster mode only). The one address that crosses nodes: a notice, never work.
   */
  public static final String CLUSTER_PROGRESS = "trawl.cluster.progress";
  /** Cluster → this node's progress line: a {@link ClusterProgress} about once a second (cluster mode only). */
  public static final String CLUSTER_TOTALS = "trawl.cluster.totals";
  /** Frontier publishes a {@link Progress} about once a second. */
  public static final String PROGRESS = "trawl.progress";
  /** Frontier publishes the final {@link Progress} once the crawl has ended by itself. */
  public static final String FINISHED = "trawl.finished";

  private Addresses() {}

  /** The address of fetcher {@code fetcher} (0 to a node's fetchers - 1): {@link #FETCH} and its number. */
  public static String fetch(int fetcher) {
    return FETCH + "." + fetcher;
  }
}
