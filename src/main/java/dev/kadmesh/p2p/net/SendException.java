package dev.kadmesh.p2p.net;

/** A message could not be handed to the connection; the message says why. */
public final class SendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a send failed. */
  public enum Kind {
    CLOSED,
    TOO_LARGE,
    OVERLOADED
  }

  private final Kind kind;

  SendException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
