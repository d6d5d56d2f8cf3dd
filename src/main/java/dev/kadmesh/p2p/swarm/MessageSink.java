package dev.kadmesh.p2p.swarm;

/**
 * Receives the messages of a registered protocol as they arrive, on a transport thread. It must
 * return quickly and never block; returning false counts the message as an overflow.
 */
@FunctionalInterface
public interface MessageSink {

  /** Takes {@code message}; false if it could not be taken (e.g. a buffer is full). */
  boolean accept(Message message);
}
