package dev.kadmesh.p2p.swarm;

/**
 * Told about every message a swarm sends, delivers or rejects, e.g. to record metrics. Called on
 * transport threads: implementations must be quick and never block.
 */
public interface SwarmObserver {

  /** An envelope of {@code bytes} for {@code protocol} was written to a peer. */
  default void sent(String protocol, int bytes) {}

  /**
   * A validated message with a payload of {@code bytes} was handed to {@code protocol}'s stream,
   * request handler or waiting request.
   */
  default void delivered(String protocol, int bytes) {}

  /** A received message was rejected. */
  default void rejected(RejectReason reason) {}
}
