package io.trawl.bench;

import io.trawl.store.StoreBackend;
import io.trawl.store.StoreBackends;
import io.trawl.store.StoreReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code trawl bench --nodes N}: the latency-bound crawl of the generated site on one node, then
 * on N cluster nodes, in one run, all into one PostgreSQL database (schema {@value
 * Bench#POSTGRES_SCHEMA}, dropped before each crawl and at the end). The site is served by a
 * process of its own ({@link SiteProcess}) over {@code hosts} ports of 127.0.0.1; each node is a
 * fresh {@code trawl crawl} through the launcher: the single node without {@code --cluster} (trawl
 * on one machine), the N nodes with it, joined by Hazelcast on free ports of 127.0.0.1. Each
 * process is measured from outside, as {@link ColdBench} does: its CPU (bash's {@code times}
 * once reaped), its peak RSS (VmHWM); the PostgreSQL server's CPU is read from /proc around each
 * crawl ({@link PostgresCpu}), and the pages each node stored from {@code pages.node}. With
 * {@code killOne}, one node of each cluster crawl is SIGKILLed once half the site is stored, and
 * the run says how long its hosts took to move and how many pages were fetched twice. Linux only.
 * The calling (main) thread.
 */
public final class ClusterBench {
  /** How often the node processes are sampled (RSS, and the pages stored while waiting to kill). */
  private static final long SAMPLE_MS = 100;

  /**
   * @param concurrency each node's {@code fetch.concurrency}: with the latency, the bound of a node
   * @param nodes the cluster's nodes (2 or more)
   * @param runs pairs of crawls (one node, then N; the order alternates from one pair to the next)
   * @param database the PostgreSQL URL every crawl writes into
   * @param killOne SIGKILL one node of each cluster crawl once half the pages are stored
   * @param crawlSets more {@code --set KEY=VALUE} for every crawl
   */
  public record Options(int pages, int pageBytes, int links, long latencyMs, int hosts, int concurrency,
      int perHostConcurrency, String perHostRate, int nodes, int runs, Path launcher, String database,
      boolean killOne, List<String> crawlSets) {}

  /**
   * One crawl process.
   *
   * @param address {@code cluster.host:cluster.port}, or {@code single} for the crawl on one node
   * @param pages pages it stored ({@code pages.node}; all of them for the single node)
   * @param cpuSeconds user + sys of the process, the launcher's own included
   */
  public record Node(String address, int exitCode, long pages, double cpuSeconds, long peakRssBytes) {}

  /**
   * The node killed in a cluster crawl.
   *
   * @param atSeconds when, from the crawl's start
   * @param inFlight its rows in flight in the table right after the kill
   * @param movedSeconds from the kill to its eviction by a survivor ({@code crawl_nodes.left_at}),
   *     which takes its partitions and puts its rows in flight back in the queue in one transaction
   */
  public record Kill(String address, double atSeconds, long inFlight, double movedSeconds) {}

  /**
   * One crawl of the whole site, on one node or on N.
   *
   * @param seconds from starting the processes to the last one's exit
   * @param fetchingSeconds from the first page fetched to the last
   * @param pageRequests requests for the site's pages the server answered (robots.txt aside)
   * @param databaseCpuSeconds the local PostgreSQL server's CPU meanwhile (NaN where it cannot be read)
   * @param kill the node killed, or null
   */
  public record Run(List<Node> nodes, long pages, long errors, long sitePages, double seconds, double fetchingSeconds,
      long pageRequests, double databaseCpuSeconds, double serverCpuSeconds, Kill kill) {
    public double pagesPerSecond() {
      return pages / seconds;
    }

    public double fetchingPagesPerSecond() {
      return pages / fetchingSeconds;
    }

    /** The nodes' CPU (user + sys, summed over the nodes) per page, in ms. */
    public double nodesCpuMsPerPage() {
      return 1000 * nodes.stream().mapToDouble(Node::cpuSeconds).sum() / Math.max(1, pages);
    }

    public double databaseCpuMsPerPage() {
      return 1000 * databaseCpuSeconds / Math.max(1, pages);
    }

    /** Pages requested more than once: requests for pages beyond the pages stored. */
    public long refetched() {
      return pageRequests - pages;
    }

    /** The largest share of the pages one node stored: the crawl lasts as long as that node's part. */
    public double largestShare() {
      return nodes.stream().mapToLong(Node::pages).max().orElse(0) / (double) Math.max(1, pages);
    }

    public boolean allExitedOk() {
      return nodes.stream().allMatch(n -> n.exitCode() == 0 || kill != null && n.address().equals(kill.address()));
    }
  }

  /** @param single the crawls on one node; {@code cluster} those on N, pair by pair */
  public record Report(Options options, List<Run> single, List<Run> cluster, String database) {}

  private ClusterBench() {}

  public static Report run(Options options, PrintWriter progress) throws Exception {
    StoreBackend db = StoreBackends.of(options.database(), Bench.POSTGRES_SCHEMA);
    Path dir = Files.createTempDirectory("trawl-nodes");
    Process server = ColdBench.startServer(options.pages(), options.pageBytes(), options.links(), options.latencyMs(),
        options.hosts(), dir.resolve("server.log"));
    try {
      ColdBench.ServerLink link = new ColdBench.ServerLink(server);
      String seed = link.awaitServing();
      progress.printf("bench: site of %d pages on %d hosts served by process %d (warmed up), database %s%n",
          options.pages(), options.hosts(), server.pid(), db.display());
      progress.flush();
      Files.writeString(dir.resolve("seeds.txt"), seed + "\n");
      List<Run> single = new ArrayList<>();
      List<Run> cluster = new ArrayList<>();
      for (int i = 0; i < options.runs(); i++) {
        // Alternating which goes first, so the machine's drift falls on both.
        for (int nodes : i % 2 == 0 ? new int[] {1, options.nodes()} : new int[] {options.nodes(), 1}) {
          db.wipe();
          Path runDir = Files.createDirectories(dir.resolve("run-" + (i + 1) + "-" + nodes));
          Run run = crawl(options, nodes, runDir, link);
          (nodes == 1 ? single : cluster).add(run);
          progress.printf("bench: pair %d, %d node(s): %d pages in %.1f s%s%n", i + 1, nodes, run.pages(),
              run.seconds(), run.allExitedOk() ? "" : " (a node failed: the nodes' logs are kept in " + kept(runDir) + ")");
          progress.flush();
          ColdBench.deleteTree(runDir);
        }
      }
      db.wipe();
      return new Report(options, single, cluster, db.display());
    } finally {
      server.getOutputStream().close();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
      ColdBench.deleteTree(dir);
    }
  }

  /** A failed crawl's directory (logs, configs), copied where the bench's cleanup leaves it. */
  private static Path kept(Path runDir) throws IOException {
    Path kept = Files.createTempDirectory("trawl-nodes-failed");
    try (var files = Files.list(runDir)) {
      for (Path file : files.toList()) {
        Files.copy(file, kept.resolve(file.getFileName()));
      }
    }
    return kept;
  }

  /** One crawl of the whole site by {@code count} node processes started together. */
  private static Run crawl(Options o, int count, Path dir, ColdBench.ServerLink server) throws Exception {
    int[] ports = freePorts(2 * count);
    List<String> members = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      members.add("127.0.0.1:" + ports[2 * n]);
    }
    ColdBench.ServerLink.Stats before = server.stats();
    PostgresCpu.Snapshot databaseBefore = PostgresCpu.snapshot();
    Instant startedAt = Instant.now();
    long started = System.nanoTime();
    List<Process> shells = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      Path config = dir.resolve("node" + n + ".yaml");
      Files.writeString(config, config(o, count == 1 ? null : members, ports[2 * n], ports[2 * n + 1]));
      shells.add(start(o, count > 1, config, dir, n));
    }
    long[] peakRss = new long[count];
    Kill kill = null;
    int victim = count - 1;
    while (shells.stream().anyMatch(Process::isAlive)) {
      shells.get(0).waitFor(SAMPLE_MS, TimeUnit.MILLISECONDS);
      for (int n = 0; n < count; n++) {
        Optional<ProcessHandle> crawler = shells.get(n).children().findFirst();
        ColdBench.ProcStatus status = crawler.map(c -> ColdBench.ProcStatus.read(c.pid())).orElse(null);
        if (status != null) {
          peakRss[n] = Math.max(peakRss[n], status.hwmBytes());
        }
      }
      if (o.killOne() && count > 1 && kill == null && stored(o) >= o.pages() / 2) {
        kill = kill(o, shells.get(victim), members.get(victim), (System.nanoTime() - started) / 1e9);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    ColdBench.ServerLink.Stats after = server.stats();
    double databaseCpu = PostgresCpu.between(databaseBefore, PostgresCpu.snapshot(), StoreBackends.of(o.database(), Bench.POSTGRES_SCHEMA));
    Map<String, Long> byNode = pagesByNode(o);
    List<Node> nodes = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      String address = count == 1 ? "single" : members.get(n);
      nodes.add(new Node(address, shells.get(n).exitValue(), count == 1 ? byNode.values().stream().mapToLong(Long::longValue).sum()
          : byNode.getOrDefault(address, 0L), ColdBench.childCpuSeconds(dir.resolve("times" + n + ".txt")), peakRss[n]));
    }
    Stored stored = totals(o, startedAt);
    if (kill != null) {
      kill = new Kill(kill.address(), kill.atSeconds(), kill.inFlight(), movedSeconds(o, kill.address(), startedAt,
          kill.atSeconds()));
    }
    return new Run(nodes, stored.pages(), stored.errors(), o.pages(), seconds, stored.fetchingSeconds(),
        after.pageRequests() - before.pageRequests(), databaseCpu, after.cpuSeconds() - before.cpuSeconds(), kill);
  }

  /** A node's config: the database, the fetch limits, and for a cluster node its ports and the members. */
  private static String config(Options o, List<String> members, int port, int busPort) {
    String yaml = """
        crawl: {db: '%s', db_schema: %s, max_depth: 1000000}
        fetch: {concurrency: %d, per_host_concurrency: %d, per_host_rate: '%s'}
        """.formatted(o.database().replace("'", "''"), Bench.POSTGRES_SCHEMA, o.concurrency(),
        o.perHostConcurrency(), o.perHostRate());
    if (members == null) {
      return yaml;
    }
    return yaml + "cluster: {members: [%s], host: 127.0.0.1, port: %d, bus_port: %d}\n"
        .formatted(String.join(", ", members), port, busPort);
  }

  /** {@code trawl crawl [--cluster]} through the launcher, with bash's {@code times} written once it is over. */
  private static Process start(Options o, boolean cluster, Path config, Path dir, int n) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", "-c",
        "\"$@\"; rc=$?; times > '" + dir.resolve("times" + n + ".txt") + "'; exit $rc", "nodes-bench",
        o.launcher().toString(), "crawl", "-c", config.toString(), "--seeds", dir.getParent().resolve("seeds.txt").toString()));
    if (cluster) {
      command.add("--cluster");
    }
    for (String set : o.crawlSets()) {
      command.add("--set");
      command.add(set);
    }
    return new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("node" + n + ".log").toFile())
        .start();
  }

  /** SIGKILL to the node's JVM (the launcher's shell reaps it and records its CPU); what it left in flight. */
  private static Kill kill(Options o, Process shell, String address, double atSeconds) throws Exception {
    Optional<ProcessHandle> jvm = shell.children().findFirst();
    if (jvm.isEmpty()) {
      return null;
    }
    jvm.get().destroyForcibly();
    jvm.get().onExit().get(30, TimeUnit.SECONDS);
    long inFlight = count(o, "SELECT count(*) FROM frontier f JOIN crawl_nodes n ON n.node = f.node "
        + "WHERE f.state = 'in_flight' AND n.address = '" + address + "'");
    return new Kill(address, atSeconds, inFlight, Double.NaN);
  }

  /** From the kill to the eviction of the killed node, in seconds; NaN if it was never evicted. */
  private static double movedSeconds(Options o, String address, Instant startedAt, double killedAtSeconds)
      throws SQLException {
    try (StoreReader reader = reader(o);
        ResultSet rs = reader.query("SELECT left_at FROM crawl_nodes WHERE outcome = 'lost' AND address = '" + address + "'")) {
      if (!rs.next() || rs.getString(1) == null) {
        return Double.NaN;
      }
      double leftAt = (Instant.parse(rs.getString(1)).toEpochMilli() - startedAt.toEpochMilli()) / 1e3;
      return leftAt - killedAtSeconds;
    }
  }

  private record Stored(long pages, long errors, double fetchingSeconds) {}

  private static Stored totals(Options o, Instant startedAt) throws SQLException {
    try (StoreReader reader = reader(o);
        ResultSet rs = reader.query("SELECT count(*), count(error), min(fetched_at), max(fetched_at) FROM pages")) {
      rs.next();
      long pages = rs.getLong(1);
      if (pages == 0) {
        return new Stored(0, 0, Double.NaN);
      }
      Instant first = Instant.parse(rs.getString(3));
      Instant last = Instant.parse(rs.getString(4));
      return new Stored(pages, rs.getLong(2), (last.toEpochMilli() - first.toEpochMilli()) / 1e3);
    }
  }

  /** Pages stored by each node, by its address ({@code crawl_nodes.address}); the single node's under null. */
  private static Map<String, Long> pagesByNode(Options o) throws SQLException {
    Map<String, Long> pages = new HashMap<>();
    try (StoreReader reader = reader(o);
        ResultSet rs = reader.query("SELECT n.address, count(*) FROM pages p LEFT JOIN crawl_nodes n ON n.node = p.node "
            + "GROUP BY n.address")) {
      while (rs.next()) {
        pages.put(rs.getString(1), rs.getLong(2));
      }
    }
    return pages;
  }

  /** Pages stored so far; 0 before the first node made the tables. */
  private static long stored(Options o) {
    try {
      return count(o, "SELECT count(*) FROM pages");
    } catch (SQLException | RuntimeException e) {
      return 0;
    }
  }

  private static long count(Options o, String sql) throws SQLException {
    try (StoreReader reader = reader(o); ResultSet rs = reader.query(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static StoreReader reader(Options o) {
    return StoreBackends.of(o.database(), Bench.POSTGRES_SCHEMA).openReader();
  }

  /**
   * Free TCP ports of 127.0.0.1 below the kernel's range for outgoing connections, held open
   * together so they differ, then closed for the nodes to bind. A port of that range, free when
   * picked, was taken before a node bound it (seconds later, while the crawls' hundreds of
   * connections to the site drew from the same range): its Vert.x failed to start.
   */
  public static int[] freePorts(int count) throws IOException {
    int below = ephemeralLow();
    java.util.Random random = new java.util.Random();
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int tries = 0; sockets.size() < count; tries++) {
        if (tries > 10_000) {
          throw new IOException("no " + count + " free ports of 127.0.0.1 below " + below);
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        try {
          socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(),
              10_000 + random.nextInt(below - 10_000)), 1);
        } catch (IOException taken) {
          socket.close();
          continue;
        }
        sockets.add(socket);
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  /** The low end of {@code net.ipv4.ip_local_port_range} (32768 where it cannot be read). */
  private static int ephemeralLow() {
    try {
      int low = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
      return Math.max(11_000, low);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
