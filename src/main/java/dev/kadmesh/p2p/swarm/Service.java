package dev.kadmesh.p2p.swarm;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.util.concurrent.CompletableFuture;

/**
 * What a node offers the protocols that run on it: direct messages to any node id, protocol
 * registration, broadcast, shutdown. Real nodes and simulated nodes implement it alike.
 */
public interface Service {

  /** This node as peers see it. */
  Node localNode();

  /**
   * Sends {@code payload} to the node {@code to} under {@code protocol}: finds the peer (routing
   * table, else a network lookup), gets a connection and writes the message. Completes when the
   * message is written; fails with a {@link SendFailure} saying why (not found, unreachable,
   * timed out, too large, invalid, shutting down). Never blocks.
   */
  CompletableFuture<Void> sendMessageAsync(NodeId to, String protocol, byte[] payload);

  /**
   * The blocking form of {@link #sendMessageAsync}, bounded by the configured send timeout. Do not
   * call it from a transport thread.
   *
   * @throws SendFailure when the message could not be sent
   */
  void sendMessage(NodeId to, String protocol, byte[] payload);

  /**
   * Every validated message of {@code protocol} from now on, in a bounded stream.
   *
   * @throws IllegalStateException if the protocol is already registered
   */
  MessageStream registerProtocol(String protocol);

  /** Stops delivering {@code protocol}; its stream is closed. No-op if not registered. */
  void unregisterProtocol(String protocol);

  /** Disseminates {@code payload} to the whole network through gossip. */
  CompletableFuture<Void> broadcast(String protocol, byte[] payload);

  /** Stops accepting work, fails in-flight requests, and closes every connection. */
  void shutdown();
}
