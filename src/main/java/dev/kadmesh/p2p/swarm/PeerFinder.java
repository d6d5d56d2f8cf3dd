package dev.kadmesh.p2p.swarm;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Finds peers by id for the swarm: the DHT. */
public interface PeerFinder {

  /** The node if it is in the local routing table. */
  Optional<Node> findLocal(NodeId id);

  /** The node, from the local table or a network lookup; empty when the network does not know it. */
  CompletableFuture<Optional<Node>> find(NodeId id);

  /** A peer talked to us (or answered): it is alive at that address. */
  void seen(Node node);
}
