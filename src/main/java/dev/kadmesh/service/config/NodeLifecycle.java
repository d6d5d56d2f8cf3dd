package dev.kadmesh.service.config;

import dev.kadmesh.p2p.node.P2PNode;
import dev.kadmesh.service.api.Subscriptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The node's part in a graceful shutdown, in this order:
 *
 * <ol>
 *   <li>as the application starts closing, API subscriptions end (clients are told the node is
 *       shutting down), so that the HTTP and gRPC servers need not wait for endless streams;
 *   <li>the HTTP and gRPC servers stop taking calls and finish those under way (Spring's graceful
 *       shutdown, within {@code kadmesh.shutdown-timeout});
 *   <li>then, in the last lifecycle phase, the node refuses new sends, gives those in flight up to
 *       {@code kadmesh.shutdown-timeout}, fails the rest and closes every connection.
 * </ol>
 */
class NodeLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {
  private static final Logger log = LoggerFactory.getLogger(NodeLifecycle.class);

  /** Below the web and gRPC servers' phases, so the node stops after them. */
  static final int PHASE = 0;

  private final P2PNode node;
  private final Duration timeout;
  private final ObjectProvider<Subscriptions> subscriptions;

  NodeLifecycle(P2PNode node, Duration timeout, ObjectProvider<Subscriptions> subscriptions) {
    this.node = node;
    this.timeout = timeout;
    this.subscriptions = subscriptions;
  }

  @Override
  public void onApplicationEvent(ContextClosedEvent event) {
    subscriptions.ifAvailable(Subscriptions::close);
  }

  @Override
  public void start() {
    // the node starts when its bean is created, before the servers that expose it
  }

  @Override
  public void stop() {
    if (!node.isRunning()) {
      return;
    }
    int inFlight = node.swarm().sendsInFlight();
    boolean drained = node.close(timeout);
    if (!drained) {
      log.warn("node stopped with sends still in flight after {} ms; they failed with"
          + " SHUTTING_DOWN", timeout.toMillis());
    } else {
      log.info("node stopped ({} sends were in flight and finished)", inFlight);
    }
  }

  @Override
  public boolean isRunning() {
    return node.isRunning();
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
