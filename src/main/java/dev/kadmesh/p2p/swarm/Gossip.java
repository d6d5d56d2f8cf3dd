package dev.kadmesh.p2p.swarm;

import java.util.concurrent.CompletableFuture;

/** The broadcast layer plugged into a swarm. */
public interface Gossip {

  /** Starts disseminating a message this node authors. */
  CompletableFuture<Void> broadcast(String protocol, byte[] payload);

  /**
   * A gossip message arrived and passed validation (author signature, timestamp, version). The
   * gossip layer decides on delivery and relay.
   *
   * @param message the validated message
   * @param envelope its exact bytes, for relaying unchanged
   * @param id the message id: the envelope digest its author signed (docs/protocol.md 8.1), the
   *     same however the bytes were relayed
   * @param relayHeight the relay hint the sender set (docs/protocol.md)
   */
  void onGossip(Message message, byte[] envelope, byte[] id, int relayHeight);
}
