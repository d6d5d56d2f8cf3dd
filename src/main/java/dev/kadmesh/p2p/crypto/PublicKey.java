package dev.kadmesh.p2p.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 public key, always held in its 33-byte compressed SEC1 form. Instances are
 * immutable, validated on construction (the point is on the curve and not infinity) and safe to
 * share between threads.
 */
public final class PublicKey implements Comparable<PublicKey> {
  /** Length of the compressed encoding. */
  public static final int LENGTH = 33;

  private final byte[] encoded;
  private final ECPoint point;
  private final int hash;
  private String base58;

  private PublicKey(byte[] encoded, ECPoint point) {
    this.encoded = encoded;
    this.point = point;
    this.hash = Arrays.hashCode(encoded);
  }

  static PublicKey of(ECPoint point) {
    ECPoint normalized = point.normalize();
    return new PublicKey(normalized.getEncoded(true), normalized);
  }

  /**
   * Decodes a 33-byte compressed key.
   *
   * @throws KeyFormatException if the length is wrong or the bytes are not a point of the curve
   */
  public static PublicKey fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new KeyFormatException(
          "public key must be "
              + LENGTH
              + " bytes (compressed secp256k1), got "
              + (bytes == null ? 0 : bytes.length));
    }
    if (bytes[0] != 0x02 && bytes[0] != 0x03) {
      throw new KeyFormatException("public key is not a compressed secp256k1 point (prefix byte)");
    }
    ECPoint point;
    try {
      point = Secp256k1.PARAMS.getCurve().decodePoint(bytes);
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException("public key is not a point on secp256k1");
    }
    if (point.isInfinity() || !point.isValid()) {
      throw new KeyFormatException("public key is not a point on secp256k1");
    }
    return new PublicKey(bytes.clone(), point.normalize());
  }

  /** Whether {@code bytes} is this key's compressed encoding. */
  public boolean hasEncoding(byte[] bytes) {
    return Arrays.equals(encoded, bytes);
  }

  /** The 33-byte compressed encoding (a copy). */
  public byte[] toBytes() {
    return encoded.clone();
  }

  /** Base58 of the compressed encoding, as used in node strings. */
  public String toBase58() {
    String text = base58; // computed once: ids are printed for every message an API hands out
    if (text == null) {
      text = Base58.encode(encoded);
      base58 = text; // a race computes the same immutable string twice, harmlessly
    }
    return text;
  }

  ECPoint point() {
    return point;
  }

  /**
   * Verifies a 64-byte {@code r || s} signature over a 32-byte digest. Signatures with a high
   * {@code s} are rejected, so a signature has exactly one valid encoding.
   */
  public boolean verify(byte[] digest, byte[] signature) {
    if (digest == null || digest.length != 32 || signature == null || signature.length != 64) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.signum() == 0 || r.compareTo(Secp256k1.N) >= 0) {
      return false;
    }
    if (s.signum() == 0 || s.compareTo(Secp256k1.HALF_N) > 0) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(point, Secp256k1.DOMAIN));
    return verifier.verifySignature(digest, r, s);
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof PublicKey other && hash == other.hash
            && Arrays.equals(encoded, other.encoded));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Unsigned lexicographic order of the compressed encodings. */
  @Override
  public int compareTo(PublicKey o) {
    return Arrays.compareUnsigned(encoded, o.encoded);
  }

  @Override
  public String toString() {
    return toBase58();
  }
}
