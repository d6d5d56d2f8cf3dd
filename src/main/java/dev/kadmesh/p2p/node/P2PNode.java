package dev.kadmesh.p2p.node;

import dev.kadmesh.p2p.dht.Dht;
import dev.kadmesh.p2p.gossip.GossipService;
import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.net.Net;
import dev.kadmesh.p2p.net.NetResources;
import dev.kadmesh.p2p.pool.ConnectionPool;
import dev.kadmesh.p2p.swarm.Swarm;
import dev.kadmesh.p2p.swarm.TcpTransport;
import dev.kadmesh.p2p.swarm.Transport;
import dev.kadmesh.p2p.time.ExecutorScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A running Kadmesh node: identity, transport, connection pool, swarm and DHT, built and started
 * from one {@link P2PConfig}. The one entry point the service uses. Thread-safe.
 */
public final class P2PNode implements AutoCloseable {
  private final LocalNode local;
  private final Net net;
  private final ConnectionPool pool;
  private final Swarm swarm;
  private final Dht dht;
  private final GossipService gossip;
  private final Instant startedAt;
  private volatile boolean running;

  private P2PNode(
      LocalNode local,
      Net net,
      ConnectionPool pool,
      Swarm swarm,
      Dht dht,
      GossipService gossip,
      Instant startedAt) {
    this.local = local;
    this.net = net;
    this.pool = pool;
    this.swarm = swarm;
    this.dht = dht;
    this.gossip = gossip;
    this.startedAt = startedAt;
    this.running = true;
  }

  /**
   * Loads or creates the identity, binds the listener, starts accepting peers and starts the
   * bootstrap in the background (it never delays this call).
   *
   * @throws dev.kadmesh.p2p.identity.IdentityException if the key file is unreadable or corrupt
   * @throws IllegalStateException if the listen address cannot be bound
   */
  public static P2PNode start(P2PConfig config, NetResources resources) {
    return start(config, resources, UnaryOperator.identity());
  }

  /**
   * Like {@link #start(P2PConfig, NetResources)}, with the swarm's transport wrapped by {@code
   * transport}: the hook for fault injection (losing or delaying messages) in tests and demos.
   */
  public static P2PNode start(
      P2PConfig config, NetResources resources, UnaryOperator<Transport> transport) {
    Objects.requireNonNull(resources, "resources");
    LocalNode identity =
        LocalNode.loadOrCreate(
            config.dataDir(),
            config.persistIdentity(),
            config.effectiveAdvertisedHost(),
            config.advertisedPort() == 0 ? 1 : config.advertisedPort(),
            config.net().random());
    return start(config, resources, identity, transport);
  }

  /**
   * Like {@link #start(P2PConfig, NetResources)} with a key chosen by the caller (e.g. derived with
   * {@link dev.kadmesh.p2p.identity.ClusterKeys}) rather than generated: it is stored in the data
   * dir if none is there, and a key file holding another key stops startup.
   *
   * @param origin where the key comes from, for the error message
   */
  public static P2PNode start(
      P2PConfig config, NetResources resources, dev.kadmesh.p2p.crypto.PrivateKey key,
      String origin) {
    Objects.requireNonNull(resources, "resources");
    LocalNode identity =
        LocalNode.loadOrStore(
            config.dataDir(),
            config.persistIdentity(),
            config.effectiveAdvertisedHost(),
            config.advertisedPort() == 0 ? 1 : config.advertisedPort(),
            key,
            origin);
    return start(config, resources, identity, UnaryOperator.identity());
  }

  private static P2PNode start(P2PConfig config, NetResources resources, LocalNode identity,
      UnaryOperator<Transport> transport) {
    Net net = Net.start(config.net(), identity, resources);
    int port = config.advertisedPort() == 0 ? net.listenAddress().getPort() : config.advertisedPort();
    LocalNode local = identity.withAddress(config.effectiveAdvertisedHost(), port);
    net.advertise(local.node());
    ConnectionPool pool = new ConnectionPool(net, config.pool(), resources.scheduler());
    Swarm swarm =
        new Swarm(config.swarm(), local, transport.apply(new TcpTransport(net, pool)),
            new ExecutorScheduler(resources.scheduler(), config.net().clock()),
            // request ids need only be unique per peer (responses are matched to their sender):
            // a fast generator, seeded from the configured one
            new java.util.Random(config.net().random().nextLong()));
    Dht dht = new Dht(config.dht(), swarm, config.net().random());
    GossipService gossip = new GossipService(config.gossip(), swarm, dht, config.net().random());
    dht.start();
    return new P2PNode(local, net, pool, swarm, dht, gossip,
        Instant.ofEpochMilli(config.net().clock().getAsLong()));
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

  /** Sending, receiving and protocol registration: the seed's {@code Service}. */
  public Swarm swarm() {
    return swarm;
  }

  public Dht dht() {
    return dht;
  }

  public GossipService gossip() {
    return gossip;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** True from start until {@link #close()}. */
  public boolean isRunning() {
    return running;
  }

  /**
   * Stops gracefully: refuses new sends and broadcasts, lets those in flight finish for up to
   * {@code grace}, then {@link #close()}s, which fails the rest.
   *
   * @return true if nothing in flight had to be failed
   */
  public boolean close(Duration grace) {
    boolean drained;
    try {
      drained = swarm.drain(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    close();
    return drained;
  }

  /**
   * Stops bootstrap and refresh, fails waiting requests, stops accepting, fails pending dials and
   * closes every connection.
   */
  @Override
  public void close() {
    running = false;
    dht.stop();
    swarm.shutdown();
    pool.close();
    net.close();
  }
}
