package dev.kadmesh.p2p.identity;

import dev.kadmesh.p2p.crypto.PrivateKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * This node: its private key and its advertised {@link Node} (identity and address). Immutable and
 * thread-safe.
 */
public final class LocalNode {
  private final PrivateKey privateKey;
  private final Node node;

  public LocalNode(PrivateKey privateKey, String host, int port) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.node = new Node(NodeId.of(privateKey.publicKey()), host, port);
  }

  /** A node with a fresh key that is not stored anywhere. */
  public static LocalNode generate(String host, int port, SecureRandom random) {
    return new LocalNode(PrivateKey.generate(random), host, port);
  }

  /**
   * Loads the key from {@code dataDir} if a key file is there; otherwise generates one and, when
   * {@code persist} is true, stores it (atomically, owner-only).
   *
   * @throws IdentityException if the key file exists but cannot be read or is corrupt (it is never
   *     overwritten), or a new key cannot be stored
   */
  public static LocalNode loadOrCreate(
      Path dataDir, boolean persist, String host, int port, SecureRandom random) {
    KeyStore store = new KeyStore(dataDir);
    PrivateKey key = store.load().orElse(null);
    if (key == null) {
      key = PrivateKey.generate(random);
      if (persist) {
        store.save(key);
      }
    }
    return new LocalNode(key, host, port);
  }

  /**
   * Like {@link #loadOrCreate(Path, boolean, String, int, SecureRandom)}, with the key given
   * rather than generated: it is stored if no key file exists yet, and a key file that holds
   * another key stops startup (the node's id would silently differ from the one its peers expect).
   *
   * @throws IdentityException if the key file is unreadable, corrupt or holds another key
   */
  public static LocalNode loadOrStore(
      Path dataDir, boolean persist, String host, int port, PrivateKey key, String origin) {
    KeyStore store = new KeyStore(dataDir);
    PrivateKey stored = store.load().orElse(null);
    if (stored == null) {
      if (persist) {
        store.save(key);
      }
    } else if (!stored.publicKey().equals(key.publicKey())) {
      throw new IdentityException(store.file() + " holds the key of node "
          + NodeId.of(stored.publicKey()) + ", not the key derived from " + origin + " (node "
          + NodeId.of(key.publicKey()) + "); remove the file or change the settings");
    }
    return new LocalNode(key, host, port);
  }

  /** The path of the key file in {@code dataDir}. */
  public static Path keyFile(Path dataDir) {
    return new KeyStore(dataDir).file();
  }

  /** The same identity advertised at another address (e.g. once the listen port is known). */
  public LocalNode withAddress(String host, int port) {
    return new LocalNode(privateKey, host, port);
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public Node node() {
    return node;
  }

  public NodeId id() {
    return node.id();
  }

  public DhtId dhtId() {
    return node.dhtId();
  }

  @Override
  public String toString() {
    return node.toString();
  }
}
