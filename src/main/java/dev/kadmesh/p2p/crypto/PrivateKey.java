package dev.kadmesh.p2p.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * A secp256k1 private key. Signs digests (deterministic ECDSA, RFC 6979, low {@code s}) and
 * agrees shared secrets (ECDH). Immutable and thread-safe. {@link #toString()} never reveals the
 * key.
 */
public final class PrivateKey {
  private final BigInteger d;
  private final PublicKey publicKey;

  private PrivateKey(BigInteger d) {
    this.d = d;
    this.publicKey = PublicKey.of(Secp256k1.multiplyBase(d));
  }

  /** A fresh random key. */
  public static PrivateKey generate(SecureRandom random) {
    byte[] bytes = new byte[32];
    while (true) {
      random.nextBytes(bytes);
      BigInteger d = new BigInteger(1, bytes);
      if (d.signum() > 0 && d.compareTo(Secp256k1.N) < 0) {
        return new PrivateKey(d);
      }
    }
  }

  /**
   * Decodes a 32-byte big-endian scalar.
   *
   * @throws KeyFormatException if the length is wrong or the scalar is out of range
   */
  public static PrivateKey fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 32) {
      throw new KeyFormatException(
          "private key must be 32 bytes, got " + (bytes == null ? 0 : bytes.length));
    }
    BigInteger d = new BigInteger(1, bytes);
    if (d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0) {
      throw new KeyFormatException("private key is out of the secp256k1 scalar range");
    }
    return new PrivateKey(d);
  }

  /** The 32-byte big-endian scalar (a copy). Handle with care. */
  public byte[] toBytes() {
    return Secp256k1.toBytes32(d);
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** Signs a 32-byte digest; returns 64 bytes {@code r || s} with {@code s <= n/2}. */
  public byte[] sign(byte[] digest) {
    if (digest == null || digest.length != 32) {
      throw new IllegalArgumentException("digest must be 32 bytes");
    }
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, Secp256k1.DOMAIN));
    BigInteger[] rs = signer.generateSignature(digest);
    BigInteger s = rs[1].compareTo(Secp256k1.HALF_N) > 0 ? Secp256k1.N.subtract(rs[1]) : rs[1];
    byte[] out = new byte[64];
    System.arraycopy(Secp256k1.toBytes32(rs[0]), 0, out, 0, 32);
    System.arraycopy(Secp256k1.toBytes32(s), 0, out, 32, 32);
    return out;
  }

  /** ECDH: the 32-byte x coordinate of {@code d * peer}. */
  public byte[] agree(PublicKey peer) {
    return peer.point().multiply(d).normalize().getAffineXCoord().getEncoded();
  }

  @Override
  public String toString() {
    return "PrivateKey[" + publicKey + "]";
  }
}
