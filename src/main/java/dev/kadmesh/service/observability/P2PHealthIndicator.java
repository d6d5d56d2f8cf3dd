package dev.kadmesh.service.observability;

import dev.kadmesh.p2p.node.P2PNode;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** UP while the P2P listener runs; shows the node string and connection counts. */
@Component("p2p")
class P2PHealthIndicator extends AbstractHealthIndicator {
  private final P2PNode node;

  P2PHealthIndicator(P2PNode node) {
    this.node = node;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    if (!node.isRunning()) {
      builder.down().withDetail("reason", "P2P listener stopped");
      return;
    }
    builder
        .up()
        .withDetail("node", node.node().toString())
        .withDetail("listen", node.net().listenAddress().toString())
        .withDetail("connections", node.pool().size())
        .withDetail("inbound", node.pool().inboundCount())
        .withDetail("routingTable", node.dht().table().size())
        .withDetail("bootstrap", node.dht().bootstrapStatus());
  }
}
