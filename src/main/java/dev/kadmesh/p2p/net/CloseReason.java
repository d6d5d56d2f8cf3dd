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
  /** The handshake did not finish in time (a stalled peer, or a very slow path). */
  HANDSHAKE_TIMEOUT(true),
  /** A handshake message could not be decoded or was out of order. */
  MALFORMED_HANDSHAKE(true),
  /** The peer belongs to another network. */
  NETWORK_MISMATCH(true),
  /** The peer's client version is incompatible with ours. */
  VERSION_MISMATCH(true),
  /** The peer's timestamp is outside the accepted clock skew. */
  CLOCK_SKEW(true),
  /** A handshake signature did not verify. */
  BAD_SIGNATURE(true),
  /** A different key answered than the one we dialled. */
  WRONG_KEY(true),
  /** The peer is ourselves. */
  SELF_CONNECTION(true),
  /** A frame announced a length above the maximum. */
  FRAME_TOO_LARGE(true),
  /** A session frame failed authentication (tampered, replayed, reordered or reflected). */
  DECRYPT_FAILED(true),
  /** A connection limit was reached. */
  CAPACITY(false),
  /** Nothing was sent or received for the pool's idle timeout. */
  IDLE(false),
  /** Another connection to the same peer was kept instead of this one. */
  DUPLICATE(false),
  /** Our side failed unexpectedly (a bug; logged). */
  INTERNAL_ERROR(false);

  private final boolean peerFault;

  CloseReason(boolean peerFault) {
    this.peerFault = peerFault;
  }

  /** True when the peer broke the protocol. */
  public boolean peerFault() {
    return peerFault;
  }
}
