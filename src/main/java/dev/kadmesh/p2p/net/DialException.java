package dev.kadmesh.p2p.net;

/** A dial failed; {@link #reason()} says why (refused, timeout, wrong key, network mismatch...). */
public final class DialException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final CloseReason reason;

  public DialException(CloseReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public CloseReason reason() {
    return reason;
  }
}
