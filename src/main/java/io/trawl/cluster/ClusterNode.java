package io.trawl.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.trawl.config.TrawlConfig;
import io.trawl.core.HostPartitions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This JVM as a node of a cluster crawl: a clustered Vert.x on the Hazelcast cluster manager,
 * joined by TCP/IP to {@code cluster.members} (no multicast, no cloud discovery, no phone-home),
 * bound to {@code cluster.host} on {@code cluster.port} (membership) and {@code cluster.bus_port}
 * (the event bus). Each node has an id unique to this run of it ({@code host:port/random}), set as
 * a member attribute, so a node that comes back after a crash joins as a new node. The only class
 * that knows Hazelcast. Built on the main thread; membership events
 * arrive on Hazelcast's threads and are handed to listeners as they come.
 */
public final class ClusterNode {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
  /** The member attribute holding a node's id. */
  static final String NODE_ATTRIBUTE = "trawl.node";
  /**
   * Hazelcast declares a member dead after this long without a heartbeat (one a second). Who may
   * take over its hosts is the database's lease ({@code cluster.lease}); this only says how soon
   * the others stop waiting for it on the bus and recompute who should own what.
   */
  static final int HEARTBEAT_TIMEOUT_SECONDS = 5;
  /**
   * Hazelcast's partitions (its default is 271), which hold only Vert.x's own maps: a handful of
   * entries a node. Every member of a cluster must have the same count.
   */
  static final int HAZELCAST_PARTITIONS = 17;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String id;
  private final String address;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private ClusterNode(Vertx vertx, HazelcastInstance hazelcast, String id, String address) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.id = id;
    this.address = address;
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        log.info("cluster node joined node={} members={}", event.getMember().getAttribute(NODE_ATTRIBUTE), members().size());
        listeners.forEach(Runnable::run);
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        log.info("cluster node gone node={} members={}", event.getMember().getAttribute(NODE_ATTRIBUTE), members().size());
        listeners.forEach(Runnable::run);
      }
    });
  }

  /**
   * Starts the clustered Vert.x and joins the cluster named after the crawl's database, so that
   * nodes of crawls into other databases never merge with this one whatever their member lists.
   *
   * @param database {@code crawl.db} as it may be printed (no password) and its schema
   */
  public static Future<ClusterNode> join(TrawlConfig.Cluster config, String database, VertxOptions options) {
    String address = hostPort(config.host(), config.port());
    String id = address + "/" + randomSuffix();
    Config hazelcastConfig;
    try {
      hazelcastConfig = hazelcastConfig(config, "trawl-" + Long.toHexString(HostPartitions.mix64(database)), id);
    } catch (UnknownHostException e) {
      return Future.failedFuture(new IllegalArgumentException("cluster.host: " + config.host()
          + " does not resolve to an address of this machine", e));
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig);
    options.setEventBusOptions(new EventBusOptions()
        .setHost(config.host())
        .setPort(config.busPort())
        .setClusterPublicHost(config.host())
        .setClusterPublicPort(config.busPort()));
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .map(vertx -> new ClusterNode(vertx, manager.getHazelcastInstance(), id, address));
  }

  private static Config hazelcastConfig(TrawlConfig.Cluster cluster, String name, String id) throws UnknownHostException {
    Config config = new Config();
    config.setClusterName(name);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(HEARTBEAT_TIMEOUT_SECONDS));
    // No 5 s wait before joining, and two clusters that formed apart (nodes started at once) merge
    // within seconds, not Hazelcast's default five minutes.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // What an idle node spends its CPU on besides the crawl (BENCHMARKS.md, Cluster): Hazelcast's
    // own metrics (collected every 5 s), its health monitor and slow-operation detector, which
    // nothing here reads; and 271 partitions for three small maps of Vert.x's (its bus
    // subscriptions and node infos), each partition with its own periodic replica checks. None
    // of it is membership or heartbeats, which stay as they are.
    config.getMetricsConfig().setEnabled(false);
    config.getJetConfig().setEnabled(false);
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.setProperty("hazelcast.slow.operation.detector.enabled", "false");
    config.setProperty("hazelcast.partition.count", String.valueOf(HAZELCAST_PARTITIONS));
    config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, id);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.setPublicAddress(hostPort(cluster.host(), cluster.port()));
    network.getInterfaces().setEnabled(true).addInterface(InetAddress.getByName(cluster.host()).getHostAddress());
    network.getJoin().getMulticastConfig().setEnabled(false);
    network.getJoin().getAutoDetectionConfig().setEnabled(false);
    network.getJoin().getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(cluster.members());
    // What vertx-hazelcast's default-cluster.xml declares for its own structures.
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }

  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  private static String randomSuffix() {
    StringBuilder s = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      s.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return s.toString();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** This node's id, unique to this run of it: {@code host:port/random}. */
  public String id() {
    return id;
  }

  /** {@code cluster.host:cluster.port}, where the other nodes reach this one. */
  public String address() {
    return address;
  }

  /** The ids of the nodes in the cluster as this node sees it now, itself included. Any thread. */
  public Set<String> members() {
    Set<String> ids = new TreeSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      String node = member.getAttribute(NODE_ATTRIBUTE);
      if (node != null) {
        ids.add(node);
      }
    }
    return ids;
  }

  /** Runs {@code listener} on a Hazelcast thread whenever a node joins or is gone. */
  public void onMembershipChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Leaves the cluster and closes the Vert.x instance. */
  public Future<Void> close() {
    return vertx.close();
  }
}
