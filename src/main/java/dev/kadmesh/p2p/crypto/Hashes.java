package dev.kadmesh.p2p.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the one hash of the protocol. */
public final class Hashes {
  private Hashes() {}

  /** SHA-256 over the concatenation of the given parts. */
  public static byte[] sha256(byte[]... parts) {
    MessageDigest md = newSha256();
    for (byte[] part : parts) {
      md.update(part);
    }
    return md.digest();
  }

  /** A fresh SHA-256 digest instance, for callers that feed it in pieces. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
