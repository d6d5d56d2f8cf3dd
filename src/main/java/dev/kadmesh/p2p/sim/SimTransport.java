package dev.kadmesh.p2p.sim;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.swarm.Transport;
import java.util.concurrent.CompletableFuture;

/** A simulated node's link to the simulated network. */
final class SimTransport implements Transport {
  private final Simulator sim;
  private final SimNode owner;
  private Receiver receiver;

  SimTransport(Simulator sim, SimNode owner) {
    this.sim = sim;
    this.owner = owner;
  }

  @Override
  public CompletableFuture<Void> send(NodeId to, Node address, byte[] envelope) {
    return sim.send(owner, to, envelope);
  }

  @Override
  public boolean isConnected(NodeId peer) {
    return sim.isConnected(owner, peer);
  }

  @Override
  public void misbehaved(NodeId peer, dev.kadmesh.p2p.swarm.RejectReason reason) {
    sim.cutOff(owner, peer);
  }

  @Override
  public void setReceiver(Receiver receiver) {
    this.receiver = receiver;
  }

  void receive(SimNode from, byte[] envelope) {
    receiver.receive(from.id(), from.node(), envelope);
  }
}
