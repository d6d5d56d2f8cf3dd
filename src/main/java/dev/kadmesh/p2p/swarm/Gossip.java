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
   */
  void onGossip(Message message, byte[] envelope);
}
