package dev.kadmesh.p2p.net;

import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.identity.NodeId;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A peer speaking the wire protocol by hand over a blocking socket, so tests can misbehave at any
 * byte.
 */
final class RawPeer implements AutoCloseable {
  final Socket socket;
  final DataInputStream in;
  final DataOutputStream out;
  final PrivateKey key = PrivateKey.generate(new SecureRandom());
  Session session;

  RawPeer(InetSocketAddress address) throws IOException {
    this(address, null);
  }

  /** Connects from {@code localHost} (another loopback address, e.g. 127.0.0.2) when not null. */
  RawPeer(InetSocketAddress address, String localHost) throws IOException {
    socket = new Socket();
    if (localHost != null) {
      socket.bind(new InetSocketAddress(localHost, 0));
    }
    socket.connect(address, 2000);
    socket.setSoTimeout(5000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  static HandshakeConfig config() {
    return new HandshakeConfig(1, "kadmesh/0.1.0", Duration.ofSeconds(60),
        System::currentTimeMillis, new SecureRandom());
  }

  /** Runs the initiator side, letting {@code onFin} alter the last message. */
  RawPeer handshake(NodeId remote, UnaryOperator<byte[]> onFin) throws Exception {
    Handshake hs = Handshake.initiator(config(), key, remote.publicKey());
    writeFrame(hs.firstMessage());
    byte[] fin = hs.handle(readFrame()).orElseThrow();
    writeFrame(onFin.apply(fin));
    session = new Session(hs.sessionKeys());
    return this;
  }

  RawPeer handshake(NodeId remote) throws Exception {
    return handshake(remote, m -> m);
  }

  void writeFrame(byte[] payload) throws IOException {
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  byte[] readFrame() throws IOException {
    int length = in.readInt();
    byte[] b = new byte[length];
    in.readFully(b);
    return b;
  }

  /** True when the other side closes the connection within the socket timeout. */
  boolean closedByPeer() throws IOException {
    try {
      while (in.read() >= 0) {
        // drain whatever was in flight
      }
      return true;
    } catch (EOFException | SocketException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
