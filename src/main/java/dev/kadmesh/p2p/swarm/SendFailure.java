package dev.kadmesh.p2p.swarm;

/** A message could not be delivered to the network; {@link #kind()} says why. */
public final class SendFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a send failed. */
  public enum Kind {
    /** No node with that id could be found, locally or by a network lookup. */
    NOT_FOUND,
    /** The peer is known but could not be connected to or written to. */
    UNREACHABLE,
    /** No answer or no completion within the deadline. */
    TIMEOUT,
    /** The payload is larger than a message may be. */
    TOO_LARGE,
    /** The arguments are invalid (e.g. an empty protocol name). */
    INVALID,
    /** The node is shutting down. */
    SHUTTING_DOWN
  }

  private final Kind kind;

  public SendFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SendFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
