package dev.kadmesh.p2p.identity;

import dev.kadmesh.p2p.crypto.Hkdf;
import dev.kadmesh.p2p.crypto.KeyFormatException;
import dev.kadmesh.p2p.crypto.PrivateKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Node keys derived from a secret shared by the nodes of one deployment and each node's ordinal
 * (e.g. a StatefulSet pod's index): every node can compute every other node's public key, so
 * bootnodes can be named by address alone, and only holders of the secret can claim those ids.
 *
 * <p>key(ordinal) = the first HKDF-SHA256(ikm = secret, salt = "kadmesh-cluster-key-v1", info =
 * ordinal (4 bytes) || counter (4 bytes), 32 bytes) with counter = 0, 1, ... that is a valid
 * secp256k1 scalar (1..n-1; counter 0 fails with probability about 2^-128).
 */
public final class ClusterKeys {
  /** Shortest accepted secret, in bytes. */
  public static final int MIN_SECRET_LENGTH = 32;
  private static final byte[] SALT = "kadmesh-cluster-key-v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] secret;

  /** @throws IllegalArgumentException if the secret is shorter than {@link #MIN_SECRET_LENGTH} */
  public ClusterKeys(String secret) {
    byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("cluster secret must be at least " + MIN_SECRET_LENGTH
          + " bytes, got " + bytes.length);
    }
    this.secret = bytes;
  }

  /** The private key of the node with {@code ordinal}. */
  public PrivateKey privateKey(int ordinal) {
    if (ordinal < 0) {
      throw new IllegalArgumentException("ordinal must not be negative, got " + ordinal);
    }
    for (int counter = 0; ; counter++) {
      byte[] info = ByteBuffer.allocate(8).putInt(ordinal).putInt(counter).array();
      try {
        return PrivateKey.fromBytes(Hkdf.derive(secret, SALT, info, 32));
      } catch (KeyFormatException e) {
        // out of the scalar range: try the next counter
      }
    }
  }

  /** The id of the node with {@code ordinal}. */
  public NodeId id(int ordinal) {
    return NodeId.of(privateKey(ordinal).publicKey());
  }

  /**
   * The ordinal in {@code value}: a number, or a name ending in {@code -<number>} such as a
   * StatefulSet pod name ({@code kadmesh-3}).
   *
   * @throws IllegalArgumentException if there is none
   */
  public static int parseOrdinal(String value) {
    if (value != null) {
      String digits = value.substring(value.lastIndexOf('-') + 1);
      if (!digits.isEmpty() && digits.length() <= 9 && digits.chars().allMatch(Character::isDigit)) {
        return Integer.parseInt(digits);
      }
    }
    throw new IllegalArgumentException(
        "must be a number or a name ending in -<number> (a StatefulSet pod name), got '" + value
            + "'");
  }
}
