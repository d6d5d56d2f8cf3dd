package dev.kadmesh.p2p.swarm;

import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.net.DialException;
import dev.kadmesh.p2p.net.SendException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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
    /** A local limit was reached (connections, requests in flight); says nothing about the peer. */
    OVERLOADED,
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

  /** The failure behind {@code error} as a SendFailure, unwrapping futures and transport errors. */
  public static SendFailure of(Throwable error, NodeId to) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof SendFailure sf) {
      return sf;
    }
    if (e instanceof DialException de) {
      Kind kind =
          switch (de.reason()) {
            case LOCAL_CLOSE -> Kind.SHUTTING_DOWN;
            case CAPACITY -> Kind.OVERLOADED;
            case DIAL_TIMEOUT, HANDSHAKE_TIMEOUT -> Kind.TIMEOUT;
            default -> Kind.UNREACHABLE;
          };
      return new SendFailure(kind, "cannot reach " + to + ": " + de.getMessage(), de);
    }
    if (e instanceof SendException se) {
      Kind kind =
          switch (se.kind()) {
            case TOO_LARGE -> Kind.TOO_LARGE;
            case OVERLOADED -> Kind.OVERLOADED;
            case CLOSED -> Kind.UNREACHABLE;
          };
      return new SendFailure(kind, se.getMessage(), se);
    }
    return new SendFailure(Kind.UNREACHABLE, "sending to " + to + " failed: " + e.getMessage(), e);
  }
}
