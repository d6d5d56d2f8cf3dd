package dev.kadmesh.p2p.identity;

import dev.kadmesh.p2p.crypto.Base58;
import dev.kadmesh.p2p.crypto.KeyFormatException;
import dev.kadmesh.p2p.crypto.PublicKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * A node's identity: its static secp256k1 public key. Written as the base58 of the 33-byte
 * compressed key. Immutable.
 */
public final class NodeId implements Comparable<NodeId> {
  private final PublicKey publicKey;
  private final DhtId dhtId;

  private NodeId(PublicKey publicKey) {
    this.publicKey = publicKey;
    this.dhtId = DhtId.of(publicKey);
  }

  public static NodeId of(PublicKey publicKey) {
    return new NodeId(Objects.requireNonNull(publicKey, "publicKey"));
  }

  /**
   * Parses the base58 form.
   *
   * @throws KeyFormatException saying whether the base58, the key length or the curve point is
   *     wrong
   */
  public static NodeId fromBase58(String base58) {
    return of(PublicKey.fromBytes(Base58.decode(base58)));
  }

  /**
   * Decodes the 33-byte compressed key. Decoding a curve point costs tens of microseconds, and the
   * same keys arrive again and again in FindNode answers, so recently decoded ids are remembered
   * in a bounded cache shared by the process: two-way set-associative, without locks (ids are
   * immutable, so a racy read sees either nothing or a whole id).
   */
  public static NodeId fromBytes(byte[] bytes) {
    int set = setOf(bytes);
    NodeId first = RECENT[set];
    if (first != null && first.publicKey.hasEncoding(bytes)) {
      return first;
    }
    NodeId second = RECENT[set + 1];
    if (second != null && second.publicKey.hasEncoding(bytes)) {
      return second;
    }
    NodeId id = of(PublicKey.fromBytes(bytes));
    RECENT[set + 1] = first; // the older of the two is dropped
    RECENT[set] = id;
    return id;
  }

  private static final int RECENT_SETS = 65_536;
  private static final NodeId[] RECENT = new NodeId[2 * RECENT_SETS];

  private static int setOf(byte[] bytes) {
    int h = Arrays.hashCode(bytes);
    h ^= h >>> 16;
    return (h & (RECENT_SETS - 1)) * 2;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** {@code SHA-256} of the compressed key: this node's place in the keyspace. */
  public DhtId dhtId() {
    return dhtId;
  }

  public byte[] toBytes() {
    return publicKey.toBytes();
  }

  public String toBase58() {
    return publicKey.toBase58();
  }

  @Override
  public int compareTo(NodeId o) {
    return publicKey.compareTo(o.publicKey);
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof NodeId other && publicKey.equals(other.publicKey));
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return toBase58();
  }
}
