package dev.kadmesh.p2p.node;

import dev.kadmesh.p2p.dht.DhtConfig;
import dev.kadmesh.p2p.gossip.GossipConfig;
import dev.kadmesh.p2p.net.NetConfig;
import dev.kadmesh.p2p.pool.PoolConfig;
import dev.kadmesh.p2p.swarm.SwarmConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything needed to build a node. Immutable; checked on construction.
 *
 * @param dataDir directory of the node key file
 * @param persistIdentity store a newly generated key in {@code dataDir}
 * @param advertisedHost host peers should dial; null means the listen host, or {@code 127.0.0.1}
 *     when listening on all interfaces
 * @param advertisedPort port peers should dial; 0 means the actual listen port
 * @param net transport settings
 * @param pool connection limits
 * @param swarm message settings
 * @param dht routing table, lookup and bootstrap settings (bootnodes included)
 * @param gossip broadcast settings
 */
public record P2PConfig(
    Path dataDir,
    boolean persistIdentity,
    String advertisedHost,
    int advertisedPort,
    NetConfig net,
    PoolConfig pool,
    SwarmConfig swarm,
    DhtConfig dht,
    GossipConfig gossip) {

  public P2PConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(swarm, "swarm");
    Objects.requireNonNull(dht, "dht");
    Objects.requireNonNull(gossip, "gossip");
    if (advertisedHost != null && advertisedHost.isBlank()) {
      advertisedHost = null;
    }
    if (advertisedPort < 0 || advertisedPort > 65535) {
      throw new IllegalArgumentException("advertisedPort must be in 0..65535");
    }
  }

  /**
   * A node for tests and embedding: loopback, any free port, no key file, default limits, the
   * given bootnodes.
   */
  public static P2PConfig ephemeral(NetConfig net, java.util.List<dev.kadmesh.p2p.identity.Node> bootnodes) {
    return new P2PConfig(
        Path.of("."),
        false,
        null,
        0,
        net,
        PoolConfig.defaults(),
        SwarmConfig.defaults(net.clientVersion(), net.maxMessageLength()),
        DhtConfig.defaults(bootnodes),
        GossipConfig.defaults());
  }

  public P2PConfig withNet(NetConfig net) {
    return new P2PConfig(dataDir, persistIdentity, advertisedHost, advertisedPort, net, pool, swarm,
        dht, gossip);
  }

  public P2PConfig withDht(DhtConfig dht) {
    return new P2PConfig(dataDir, persistIdentity, advertisedHost, advertisedPort, net, pool, swarm,
        dht, gossip);
  }

  public P2PConfig withSwarm(SwarmConfig swarm) {
    return new P2PConfig(dataDir, persistIdentity, advertisedHost, advertisedPort, net, pool, swarm,
        dht, gossip);
  }

  public P2PConfig withGossip(GossipConfig gossip) {
    return new P2PConfig(dataDir, persistIdentity, advertisedHost, advertisedPort, net, pool, swarm,
        dht, gossip);
  }

  public P2PConfig withPool(PoolConfig pool) {
    return new P2PConfig(dataDir, persistIdentity, advertisedHost, advertisedPort, net, pool, swarm,
        dht, gossip);
  }

  /** The host put into this node's node string. */
  String effectiveAdvertisedHost() {
    if (advertisedHost != null) {
      return advertisedHost;
    }
    String listen = net.listenHost();
    return listen.equals("0.0.0.0") || listen.equals("::") || listen.isEmpty()
        ? "127.0.0.1"
        : listen;
  }
}
