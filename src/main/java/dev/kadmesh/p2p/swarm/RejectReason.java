package dev.kadmesh.p2p.swarm;

/** Why an incoming message was not delivered. Low-cardinality, suitable as a metric tag. */
public enum RejectReason {
  /** Not a valid envelope. */
  MALFORMED,
  /** The author's client version is incompatible. */
  VERSION_MISMATCH,
  /** Authored too long ago or too far in the future. */
  TIMESTAMP,
  /** A direct message whose author is not the session's peer. */
  AUTHOR_MISMATCH,
  /** A required signature is missing. */
  MISSING_SIGNATURE,
  /** A signature does not verify. */
  BAD_SIGNATURE,
  /** No protocol is registered under that name. */
  UNKNOWN_PROTOCOL,
  /** A response to no request of ours (or from another peer than the one asked). */
  UNSOLICITED_RESPONSE,
  /** The protocol's stream was full. */
  OVERFLOW,
  /** Gossip arrived but gossip is not enabled on this node. */
  GOSSIP_DISABLED,
  /** The node is shutting down. */
  SHUTTING_DOWN
}
