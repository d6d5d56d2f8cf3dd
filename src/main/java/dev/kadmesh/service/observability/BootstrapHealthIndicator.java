package dev.kadmesh.service.observability;

import dev.kadmesh.p2p.dht.Bootstrap;
import dev.kadmesh.p2p.node.P2PNode;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Readiness of the node: UP once the P2P listener runs and bootstrap filled the routing table to
 * its minimum (a node without bootnodes is the first of its network and is ready at once);
 * OUT_OF_SERVICE before, so that traffic and peers are sent only to nodes that joined.
 */
@Component("bootstrap")
class BootstrapHealthIndicator extends AbstractHealthIndicator {
  private final P2PNode node;

  BootstrapHealthIndicator(P2PNode node) {
    this.node = node;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Bootstrap.Status status = node.dht().bootstrapStatus();
    boolean firstNode = node.dht().config().bootnodes().isEmpty();
    builder.withDetail("state", status.state().name())
        .withDetail("attempts", status.attempts())
        .withDetail("routingTable", status.tableSize())
        .withDetail("minimum", status.minimum())
        .withDetail("bootnodes", node.dht().config().bootnodes().size());
    if (!node.isRunning()) {
      builder.down().withDetail("reason", "P2P listener stopped");
    } else if (status.state() == Bootstrap.State.DONE || firstNode) {
      builder.up();
    } else {
      builder.status(Status.OUT_OF_SERVICE)
          .withDetail("reason", "routing table below kadmesh.dht.min-routing-table");
    }
  }
}
