package dev.kadmesh.p2p.net;

/**
 * Why a connection closed or a dial failed. Low-cardinality, suitable as a metric tag. The
 * {@link #peerFault()} ones mean the peer broke the protocol.
 */
public enum CloseReason {
  /** We closed it (shutdown, eviction, explicit close). */
  LOCAL_CLOSE(false),
  /** The peer closed the TCP connection. */
  REMOTE_CLOSE(false),
  /** A read or write failed at the socket level. */
  IO_ERROR(false),
  /** The TCP connection could not be established (refused, unreachable). */
  CONNECT_FAILED(false),
  /** The TCP connect of a dial did not finish within the connect timeout. */
  DIAL_TIMEOUT(false),
  /**
   * The handshake did not finish in time (a stalled peer, or a very slow path: not punished,
   * since an overloaded honest peer looks the same; the pending-handshake caps bound it).
   */
  HANDSHAKE_TIMEOUT(true, false),
  /** A handshake message could not be decoded or was out of order. */
  MALFORMED_HANDSHAKE(true, true),
  /**
   * The peer belongs to another network. This and the next two are configuration differences
   * (either side may be the wrong one, e.g. our own clock): not punished; checked before any
   * signing, so repeats cost little.
   */
  NETWORK_MISMATCH(true, false),
  /** The peer's client version is incompatible with ours. */
  VERSION_MISMATCH(true, false),
  /** The peer's timestamp is outside the accepted clock skew. */
  CLOCK_SKEW(true, false),
  /** A handshake signature did not verify. */
  BAD_SIGNATURE(true, true),
  /** A different key answered than the one we dialled (our dial: not punished). */
  WRONG_KEY(true, false),
  /** The peer is ourselves. */
  SELF_CONNECTION(true, false),
  /**
   * A frame announced a length above the maximum. Punished during the handshake only: the
   * session maximum is each node's own setting, so an honest peer configured larger can exceed
   * ours.
   */
  FRAME_TOO_LARGE(true, true),
  /** A session frame failed authentication (tampered, replayed, reordered or reflected). */
  DECRYPT_FAILED(true, true),
  /**
   * A frame that had started to arrive was not complete within the frame timeout (a peer
   * trickling bytes; not punished, since a very slow link looks the same).
   */
  SLOW_FRAME(true, false),
  /**
   * A session message broke the protocol above the transport: a malformed envelope, a direct
   * message written by another key, a missing or bad signature where an honest sender always
   * signs (reported by the swarm, counted there by its reject reason).
   */
  PROTOCOL_VIOLATION(true, true),
  /** A connection limit was reached. */
  CAPACITY(false),
  /** The peer's address has too many inbound connections open already. */
  ADDRESS_LIMIT(false),
  /** The peer's address broke the protocol recently and is refused for a while. */
  PENALIZED(false),
  /** Nothing was sent or received for the pool's idle timeout. */
  IDLE(false),
  /** Another connection to the same peer was kept instead of this one. */
  DUPLICATE(false),
  /** Our side failed unexpectedly (a bug; logged). */
  INTERNAL_ERROR(false);

  private final boolean peerFault;
  private final boolean punished;

  CloseReason(boolean peerFault) {
    this(peerFault, false);
  }

  CloseReason(boolean peerFault, boolean punished) {
    this.peerFault = peerFault;
    this.punished = punished;
  }

  /**
   * True when the peer's address is refused for a while after this (see {@link NetLimits}): a
   * deliberate protocol violation, not something an honest but slow or misconfigured dial causes
   * on our side.
   */
  public boolean punished() {
    return punished;
  }

  /** True when the peer broke the protocol. */
  public boolean peerFault() {
    return peerFault;
  }
}
