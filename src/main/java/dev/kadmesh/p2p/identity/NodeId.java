package dev.kadmesh.p2p.identity;

import dev.kadmesh.p2p.crypto.Base58;
import dev.kadmesh.p2p.crypto.KeyFormatException;
import dev.kadmesh.p2p.crypto.PublicKey;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
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
   * (a bounded cache shared by the process).
   */
  public static NodeId fromBytes(byte[] bytes) {
    ByteBuffer key = ByteBuffer.wrap(bytes.clone());
    synchronized (RECENT) {
      NodeId cached = RECENT.get(key);
      if (cached != null) {
        return cached;
      }
    }
    NodeId id = of(PublicKey.fromBytes(bytes));
    synchronized (RECENT) {
      RECENT.put(key, id);
    }
    return id;
  }

  private static final int RECENT_CAPACITY = 65_536;
  private static final Map<ByteBuffer, NodeId> RECENT =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, NodeId> eldest) {
          return size() > RECENT_CAPACITY;
        }
      };

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
