package dev.kadmesh.service.config;

import dev.kadmesh.p2p.dht.DhtConfig;
import dev.kadmesh.p2p.gossip.GossipConfig;
import dev.kadmesh.p2p.net.NetConfig;
import dev.kadmesh.p2p.net.NetLimits;
import dev.kadmesh.p2p.net.NetResources;
import dev.kadmesh.p2p.node.P2PConfig;
import dev.kadmesh.p2p.node.P2PNode;
import dev.kadmesh.p2p.pool.PoolConfig;
import dev.kadmesh.p2p.timesync.ClockDriftCheck;
import dev.kadmesh.p2p.swarm.SwarmConfig;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the P2P core from {@link KadmeshProperties} and ties it to the application's life. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KadmeshProperties.class)
public class NodeConfiguration {
  private static final Logger log = LoggerFactory.getLogger(NodeConfiguration.class);

  /** Client version announced in handshakes. */
  static final String CLIENT_VERSION = "kadmesh/0.1.0";

  @Bean(destroyMethod = "close")
  NetResources netResources(KadmeshProperties properties) {
    return NetResources.create(properties.p2p().eventLoopThreads());
  }

  @Bean
  P2PConfig p2pConfig(KadmeshProperties properties) {
    KadmeshProperties.P2p p = properties.p2p();
    NetConfig net =
        new NetConfig(
            p.host(),
            p.port(),
            properties.networkId(),
            CLIENT_VERSION,
            (int) p.maxMessageSize().toBytes(),
            p.handshakeTimeout(),
            p.connectTimeout(),
            p.maxClockSkew(),
            p.maxPendingHandshakes(),
            Math.max(4L * 1024 * 1024, p.maxMessageSize().toBytes()),
            new NetLimits(p.maxInboundPerAddress(), p.penaltyBase(), p.penaltyMax(),
                p.peerMessagesPerSecond(), p.peerBytesPerSecond().toBytes(), p.frameTimeout(),
                p.frameMinRate().toBytes(),
                p.inboundBufferBudget().toBytes(), p.exemptRanges(),
                p.ipv6GroupPrefix()),
            System::currentTimeMillis,
            new SecureRandom());
    PoolConfig pool =
        new PoolConfig(p.maxConnections(), p.maxInbound(), Duration.ofSeconds(2), p.idleTimeout());
    KadmeshProperties.Messages m = properties.messages();
    SwarmConfig swarm =
        new SwarmConfig(
            CLIENT_VERSION,
            (int) p.maxMessageSize().toBytes() - SwarmConfig.ENVELOPE_OVERHEAD,
            m.timestampWindow(),
            m.signDirect(),
            m.inboxCapacity(),
            properties.dht().rpcTimeout(),
            m.sendTimeout(),
            10_000);
    KadmeshProperties.Dht d = properties.dht();
    DhtConfig dht =
        DhtConfig.defaults(properties.bootnodeList())
            .withTable(d.bucketSize(), d.bucketCount(), d.minRoutingTable())
            .withRpcTimeout(d.rpcTimeout())
            .withAlpha(d.alpha())
            .withRefreshInterval(d.refreshInterval());
    return new P2PConfig(
        properties.dataDir(),
        properties.persistIdentity(),
        p.advertisedHost(),
        p.advertisedPort(),
        net,
        pool,
        swarm,
        dht,
        new GossipConfig(properties.gossip().fanout(), properties.gossip().seenCacheSize(),
            properties.gossip().seenTtl()));
  }

  /**
   * Checks the clock against the configured SNTP servers before the node starts; beyond the limit
   * it warns, or stops startup when {@code kadmesh.timesync.on-drift=STOP}.
   */
  @Bean
  ClockDriftCheck.Result clockDrift(KadmeshProperties properties) {
    KadmeshProperties.Timesync t = properties.timesync();
    List<InetSocketAddress> servers =
        t.addresses().stream().map(a -> new InetSocketAddress(a.getHostString(), a.getPort()))
            .toList();
    ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, servers.size()));
    try {
      ClockDriftCheck.Result result =
          new ClockDriftCheck(servers, t.maxDrift(), t.timeout(), System::currentTimeMillis)
              .run(executor);
      if (!result.withinLimit()) {
        String message = result.describe() + " (kadmesh.timesync.max-drift is "
            + t.maxDrift().toMillis() + " ms); peers will reject this node's handshakes and"
            + " messages if it exceeds their limits. Fix the system clock (NTP).";
        if (t.onDrift() == KadmeshProperties.Timesync.OnDrift.STOP) {
          throw new ClockDriftException(message);
        }
        log.warn(message);
      } else {
        log.info(result.describe());
      }
      return result;
    } finally {
      executor.shutdownNow();
    }
  }

  /** Closed by {@link NodeLifecycle}, after the API servers stopped. */
  @Bean(destroyMethod = "close")
  P2PNode p2pNode(P2PConfig config, NetResources resources, ClockDriftCheck.Result clockDrift,
      KadmeshProperties properties) {
    KadmeshProperties.Cluster cluster = properties.cluster();
    P2PNode node = cluster.keys()
        .map(keys -> P2PNode.start(config, resources, keys.privateKey(cluster.ordinalNumber()),
            "kadmesh.cluster.secret for ordinal " + cluster.ordinalNumber()))
        .orElseGet(() -> P2PNode.start(config, resources));
    log.info(
        "Kadmesh node {} listening on {} (network {}, key file {})",
        node.node(),
        node.net().listenAddress(),
        config.net().networkId(),
        dev.kadmesh.p2p.identity.LocalNode.keyFile(config.dataDir()).toAbsolutePath());
    if (config.advertisedHost() == null && !config.net().listenHost().equals(node.node().host())) {
      log.info(
          "Advertising {} to peers; set kadmesh.p2p.advertised-host so that peers on other"
              + " machines can reach this node",
          node.node().host());
    }
    return node;
  }

  @Bean
  NodeLifecycle nodeLifecycle(P2PNode node, KadmeshProperties properties,
      org.springframework.beans.factory.ObjectProvider<dev.kadmesh.service.api.Subscriptions> subs) {
    return new NodeLifecycle(node, properties.shutdownTimeout(), subs);
  }

  @Bean
  @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty("kadmesh.endpoints-file")
  EndpointsFile endpointsFile(KadmeshProperties properties, P2PNode node) {
    return new EndpointsFile(properties.endpointsFile(), node);
  }
}
