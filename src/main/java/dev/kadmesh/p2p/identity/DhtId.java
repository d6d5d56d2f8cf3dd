package dev.kadmesh.p2p.identity;

import dev.kadmesh.p2p.crypto.Hashes;
import dev.kadmesh.p2p.crypto.PublicKey;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A point of the Kademlia XOR keyspace. A node's id is {@code SHA-256(compressed public key)}, 256
 * bits; ids of other lengths exist only for worked examples and tests, and ids are only compared
 * with ids of the same length. Immutable.
 */
public final class DhtId implements Comparable<DhtId> {
  /** Length in bytes of a node's id. */
  public static final int LENGTH = 32;

  private final byte[] bytes;
  private final int hash;
  /** The bytes as big-endian 64-bit words, for ids of {@link #LENGTH} bytes; null otherwise. */
  private final long[] words;

  private DhtId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
    if (bytes.length == LENGTH) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      words = new long[] {b.getLong(), b.getLong(), b.getLong(), b.getLong()};
    } else {
      words = null;
    }
  }

  /** The id of the node that owns {@code key}. */
  public static DhtId of(PublicKey key) {
    return new DhtId(Hashes.sha256(key.toBytes()));
  }

  /** Wraps raw id bytes (copied). */
  public static DhtId fromBytes(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("an id needs at least one byte");
    }
    return new DhtId(bytes.clone());
  }

  /** Parses a hex id such as {@code a665a4}. */
  public static DhtId fromHex(String hex) {
    try {
      return fromBytes(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex id: '" + hex + "'", e);
    }
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Number of bits in this id. */
  public int bitLength() {
    return bytes.length * 8;
  }

  /** Bit {@code index} of this id, counted from the most significant (0). */
  public boolean bit(int index) {
    return (bytes[index >>> 3] & (0x80 >>> (index & 7))) != 0;
  }

  /** The XOR distance to {@code other}, as an id of the same length. */
  public DhtId xor(DhtId other) {
    requireSameLength(other);
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (bytes[i] ^ other.bytes[i]);
    }
    return new DhtId(out);
  }

  /**
   * Number of leading bits this id shares with {@code other}, i.e. the leading zero bits of their
   * XOR: 0 when the first bit differs, {@link #bitLength()} for equal ids.
   */
  public int commonPrefixLength(DhtId other) {
    requireSameLength(other);
    if (words != null) {
      for (int i = 0; i < words.length; i++) {
        long x = words[i] ^ other.words[i];
        if (x != 0) {
          return i * 64 + Long.numberOfLeadingZeros(x);
        }
      }
      return bitLength();
    }
    for (int i = 0; i < bytes.length; i++) {
      int x = (bytes[i] ^ other.bytes[i]) & 0xff;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return bitLength();
  }

  /**
   * Compares the distances of {@code a} and {@code b} to this id: negative when {@code a} is
   * closer, positive when {@code b} is closer, zero when they are the same id.
   */
  public int compareDistance(DhtId a, DhtId b) {
    requireSameLength(a);
    requireSameLength(b);
    if (words != null) {
      for (int i = 0; i < words.length; i++) {
        long da = a.words[i] ^ words[i];
        long db = b.words[i] ^ words[i];
        if (da != db) {
          return Long.compareUnsigned(da, db);
        }
      }
      return 0;
    }
    for (int i = 0; i < bytes.length; i++) {
      int da = (a.bytes[i] ^ bytes[i]) & 0xff;
      int db = (b.bytes[i] ^ bytes[i]) & 0xff;
      if (da != db) {
        return Integer.compare(da, db);
      }
    }
    return 0;
  }

  /** True when {@code a} is strictly closer to this id than {@code b} is. */
  public boolean isCloser(DhtId a, DhtId b) {
    return compareDistance(a, b) < 0;
  }

  private void requireSameLength(DhtId other) {
    if (other.bytes.length != bytes.length) {
      throw new IllegalArgumentException(
          "ids of different lengths: " + bitLength() + " and " + other.bitLength() + " bits");
    }
  }

  /** Unsigned numeric order of the ids (their distance from the all-zero id). */
  @Override
  public int compareTo(DhtId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DhtId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Lower-case hex. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
