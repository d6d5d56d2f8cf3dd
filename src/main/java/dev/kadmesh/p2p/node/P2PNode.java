package dev.kadmesh.p2p.node;

import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.net.Net;
import dev.kadmesh.p2p.net.NetResources;
import dev.kadmesh.p2p.pool.ConnectionPool;
import java.time.Instant;
import java.util.Objects;

/**
 * A running Kadmesh node: identity, transport and connection pool, built and started from one
 * {@link P2PConfig}. The one entry point the service uses. Thread-safe.
 */
public final class P2PNode implements AutoCloseable {
  private final LocalNode local;
  private final Net net;
  private final ConnectionPool pool;
  private final Instant startedAt;
  private volatile boolean running;

  private P2PNode(LocalNode local, Net net, ConnectionPool pool, Instant startedAt) {
    this.local = local;
    this.net = net;
    this.pool = pool;
    this.startedAt = startedAt;
    this.running = true;
  }

  /**
   * Loads or creates the identity, binds the listener and starts accepting peers.
   *
   * @throws dev.kadmesh.p2p.identity.IdentityException if the key file is unreadable or corrupt
   * @throws IllegalStateException if the listen address cannot be bound
   */
  public static P2PNode start(P2PConfig config, NetResources resources) {
    Objects.requireNonNull(resources, "resources");
    LocalNode identity =
        LocalNode.loadOrCreate(
            config.dataDir(),
            config.persistIdentity(),
            config.effectiveAdvertisedHost(),
            config.advertisedPort() == 0 ? 1 : config.advertisedPort(),
            config.net().random());
    Net net = Net.start(config.net(), identity, resources);
    int port = config.advertisedPort() == 0 ? net.listenAddress().getPort() : config.advertisedPort();
    LocalNode local = identity.withAddress(config.effectiveAdvertisedHost(), port);
    ConnectionPool pool = new ConnectionPool(net, config.pool(), resources.scheduler());
    return new P2PNode(local, net, pool, Instant.ofEpochMilli(config.net().clock().getAsLong()));
  }

  public LocalNode local() {
    return local;
  }

  /** This node as peers see it: identity and advertised address. */
  public Node node() {
    return local.node();
  }

  public Net net() {
    return net;
  }

  public ConnectionPool pool() {
    return pool;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** True from start until {@link #close()}. */
  public boolean isRunning() {
    return running;
  }

  /** Stops accepting, fails pending dials, closes every connection. */
  @Override
  public void close() {
    running = false;
    pool.close();
    net.close();
  }
}
