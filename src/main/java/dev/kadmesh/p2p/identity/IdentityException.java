package dev.kadmesh.p2p.identity;

/** The node identity could not be loaded or stored. Fatal at startup; the message names the file. */
public final class IdentityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IdentityException(String message, Throwable cause) {
    super(message, cause);
  }

  public IdentityException(String message) {
    super(message);
  }
}
