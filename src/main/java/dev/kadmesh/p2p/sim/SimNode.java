package dev.kadmesh.p2p.sim;

import dev.kadmesh.p2p.dht.Dht;
import dev.kadmesh.p2p.dht.DhtConfig;
import dev.kadmesh.p2p.gossip.GossipService;
import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.swarm.MessageStream;
import dev.kadmesh.p2p.swarm.Service;
import dev.kadmesh.p2p.swarm.Swarm;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A node of the simulated network: the real {@link Swarm} and {@link Dht} over a simulated
 * transport, on the simulator's virtual clock. Use it from the simulator's thread only.
 */
public final class SimNode implements Service {
  final int index;
  final LocalNode local;
  final SimTransport transport;
  final Swarm swarm;
  final Dht dht;
  final GossipService gossip;
  boolean up = true;
  double dropRate = -1;
  long extraDelayMillis;

  SimNode(Simulator sim, int index, LocalNode local, DhtConfig dhtConfig, Random random) {
    this.index = index;
    this.local = local;
    this.transport = new SimTransport(sim, this);
    this.swarm = new Swarm(sim.config().swarm(), local, transport, sim.clock(), random);
    this.dht = new Dht(dhtConfig, swarm, random);
    this.gossip = new GossipService(sim.config().gossip(), swarm, dht, random);
  }

  public GossipService gossip() {
    return gossip;
  }

  public NodeId id() {
    return local.id();
  }

  public Node node() {
    return local.node();
  }

  public Swarm swarm() {
    return swarm;
  }

  public Dht dht() {
    return dht;
  }

  /** False while disconnected. */
  public boolean isUp() {
    return up;
  }

  /** Makes this node lose messages with probability {@code rate} (overrides the network's). */
  public SimNode setDropRate(double rate) {
    if (rate < 0 || rate >= 1) {
      throw new IllegalArgumentException("rate must be in [0, 1)");
    }
    this.dropRate = rate;
    return this;
  }

  /** Adds {@code millis} to every message this node sends or receives. */
  public SimNode setExtraDelay(long millis) {
    this.extraDelayMillis = Math.max(0, millis);
    return this;
  }

  @Override
  public Node localNode() {
    return local.node();
  }

  @Override
  public CompletableFuture<Void> sendMessageAsync(NodeId to, String protocol, byte[] payload) {
    return swarm.sendMessageAsync(to, protocol, payload);
  }

  /**
   * Not available in the simulator: waiting would stop the virtual clock. Use {@link
   * #sendMessageAsync} and {@link Simulator#runUntil}.
   */
  @Override
  public void sendMessage(NodeId to, String protocol, byte[] payload) {
    throw new UnsupportedOperationException(
        "blocking sends would stop virtual time; use sendMessageAsync and Simulator.runUntil");
  }

  @Override
  public MessageStream registerProtocol(String protocol) {
    return swarm.registerProtocol(protocol);
  }

  @Override
  public void unregisterProtocol(String protocol) {
    swarm.unregisterProtocol(protocol);
  }

  @Override
  public CompletableFuture<Void> broadcast(String protocol, byte[] payload) {
    return swarm.broadcast(protocol, payload);
  }

  @Override
  public void shutdown() {
    dht.stop();
    swarm.shutdown();
    up = false;
  }

  @Override
  public String toString() {
    return "SimNode#" + index + "[" + local.node() + "]";
  }
}
