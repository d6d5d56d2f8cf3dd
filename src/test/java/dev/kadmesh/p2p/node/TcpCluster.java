package dev.kadmesh.p2p.node;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.net.NetConfig;
import dev.kadmesh.p2p.net.NetLimits;
import dev.kadmesh.p2p.net.NetResources;
import dev.kadmesh.p2p.pool.PoolConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Real nodes on loopback sharing one set of event loops, for multi-node tests. */
final class TcpCluster implements AutoCloseable {
  /** Every node is on 127.0.0.1: one address holds all the inbound connections. */
  static final NetLimits SAME_HOST = NetLimits.defaults().withMaxInboundPerAddress(100_000);

  final NetResources resources = NetResources.create(2);
  final List<P2PNode> nodes = new ArrayList<>();

  /** A node whose outgoing messages go through {@code transport} (fault injection). */
  P2PNode start(List<Node> bootnodes, UnaryOperator<P2PConfig> tune,
      UnaryOperator<dev.kadmesh.p2p.swarm.Transport> transport) {
    NetConfig net = NetConfig.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(5))
        .withLimits(SAME_HOST);
    P2PConfig config =
        P2PConfig.ephemeral(net, bootnodes)
            .withPool(new PoolConfig(1000, 900, Duration.ofMillis(500)));
    P2PNode node = P2PNode.start(tune.apply(config), resources, transport);
    nodes.add(node);
    return node;
  }

  /** Starts a node on 127.0.0.1 with a free port; {@code tune} adjusts its configuration. */
  P2PNode start(List<Node> bootnodes, UnaryOperator<P2PConfig> tune) {
    NetConfig net = NetConfig.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(5))
        .withLimits(SAME_HOST);
    P2PConfig config =
        P2PConfig.ephemeral(net, bootnodes)
            .withPool(new PoolConfig(1000, 900, Duration.ofMillis(500)));
    P2PNode node = P2PNode.start(tune.apply(config), resources);
    nodes.add(node);
    return node;
  }

  P2PNode start(List<Node> bootnodes) {
    return start(bootnodes, c -> c);
  }

  static UnaryOperator<P2PConfig> table(int k, int buckets, int minSize) {
    return c -> c.withDht(c.dht().withTable(k, buckets, minSize));
  }

  @Override
  public void close() {
    for (P2PNode n : nodes) {
      n.close();
    }
    resources.close();
  }
}
