package dev.kadmesh.p2p.net;

import dev.kadmesh.p2p.crypto.AeadException;
import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.identity.NodeId;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A peer that completes a real handshake from a chosen loopback address and then sends whatever
 * session messages a test writes, for tests above the transport (the swarm, the DHT) that play a
 * malicious node.
 */
public final class ScriptedPeer implements AutoCloseable {
  private final RawPeer raw;

  private ScriptedPeer(RawPeer raw) {
    this.raw = raw;
  }

  /** Connects from {@code fromHost} (e.g. 127.0.0.2) and runs the handshake with {@code remote}. */
  public static ScriptedPeer connect(InetSocketAddress target, NodeId remote, String fromHost)
      throws Exception {
    RawPeer raw = new RawPeer(target, fromHost);
    try {
      raw.handshake(remote);
    } catch (Exception e) {
      raw.close();
      throw e;
    }
    return new ScriptedPeer(raw);
  }

  public NodeId id() {
    return NodeId.of(raw.key.publicKey());
  }

  public PrivateKey key() {
    return raw.key;
  }

  /** Seals {@code plaintext} as the next session message and writes it. */
  public void send(byte[] plaintext) throws IOException {
    byte[] sealed = SessionBytes.seal(raw.session, plaintext);
    raw.writeFrame(sealed);
  }

  /** Reads and opens the next session message (blocks up to the socket timeout, 5 s). */
  public byte[] receive() throws IOException, AeadException {
    return SessionBytes.open(raw.session, raw.readFrame());
  }

  /** True when the node closes the connection within the socket timeout. */
  public boolean closedByPeer() throws IOException {
    return raw.closedByPeer();
  }

  @Override
  public void close() throws IOException {
    raw.close();
  }
}
