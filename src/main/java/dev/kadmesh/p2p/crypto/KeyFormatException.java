package dev.kadmesh.p2p.crypto;

/** Thrown when bytes do not encode a valid key or signature. The message says what is wrong. */
public final class KeyFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public KeyFormatException(String message) {
    super(message);
  }
}
