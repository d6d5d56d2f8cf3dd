package dev.kadmesh.p2p.crypto;

/** A ciphertext failed authentication: tampered, replayed, reordered or not for this key. */
public final class AeadException extends Exception {
  private static final long serialVersionUID = 1L;

  public AeadException(String message) {
    super(message);
  }
}
