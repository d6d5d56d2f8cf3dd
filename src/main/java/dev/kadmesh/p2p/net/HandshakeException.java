package dev.kadmesh.p2p.net;

/** The peer failed the handshake. Always the peer's fault (or the path's), never our bug. */
final class HandshakeException extends Exception {
  private static final long serialVersionUID = 1L;
  private final CloseReason reason;
  private final transient byte[] reply;

  HandshakeException(CloseReason reason, String detail) {
    this(reason, detail, null);
  }

  private HandshakeException(CloseReason reason, String detail, byte[] reply) {
    super(reason + ": " + detail);
    this.reason = reason;
    this.reply = reply;
  }

  /** The same failure, with a message to send to the peer before closing. */
  HandshakeException withReply(byte[] message) {
    return new HandshakeException(reason, getMessage(), message);
  }

  /** A message telling the peer why we refuse it, or null. */
  byte[] reply() {
    return reply;
  }

  CloseReason reason() {
    return reason;
  }
}
