package dev.kadmesh.p2p.swarm;

/** Answers requests of one protocol (e.g. FindNode). Runs on a transport thread: never block. */
@FunctionalInterface
public interface RequestHandler {
  /** The response payload, or null to send no response. */
  byte[] handle(Message request);
}
