package dev.kadmesh.p2p.swarm;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Delivers envelopes between swarms in one thread, at once, with no sockets. */
final class MemoryTransport implements Transport {
  /** Every transport of one test network, by node id. */
  static final class Network {
    final Map<NodeId, MemoryTransport> members = new ConcurrentHashMap<>();
  }

  private final Network network;
  private final Node self;
  private Receiver receiver;
  /** Peers reported as misbehaving, with the reason, in order. */
  final java.util.List<String> misbehaved = new java.util.concurrent.CopyOnWriteArrayList<>();

  MemoryTransport(Network network, Node self) {
    this.network = network;
    this.self = self;
    network.members.put(self.id(), this);
  }

  @Override
  public CompletableFuture<Void> send(NodeId to, Node address, byte[] envelope) {
    MemoryTransport peer = network.members.get(to);
    if (peer == null) {
      return CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.UNREACHABLE, "no such peer " + to));
    }
    peer.receiver.receive(self.id(), self, envelope);
    return CompletableFuture.completedFuture(null);
  }

  /** Injects raw bytes as if {@code from} had sent them. */
  void inject(Node from, byte[] envelope) {
    receiver.receive(from.id(), from, envelope);
  }

  @Override
  public boolean isConnected(NodeId peer) {
    return network.members.containsKey(peer);
  }

  @Override
  public void misbehaved(NodeId peer, RejectReason reason) {
    misbehaved.add(peer + " " + reason);
  }

  @Override
  public void setReceiver(Receiver receiver) {
    this.receiver = receiver;
  }
}
