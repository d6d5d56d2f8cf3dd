package dev.kadmesh.p2p.net;

import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A real transport on loopback that records everything it sees, for tests. */
final class TestPeer implements NetListener, AutoCloseable {
  record Received(Connection connection, byte[] message) {}

  record Closed(Connection connection, CloseReason reason) {}

  final LocalNode local;
  final Net net;
  final BlockingQueue<Connection> inbound = new LinkedBlockingQueue<>();
  final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
  final BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();
  final BlockingQueue<CloseReason> handshakeFailures = new LinkedBlockingQueue<>();

  TestPeer(NetResources resources, NetConfig config) {
    LocalNode key = LocalNode.generate("127.0.0.1", 1, new SecureRandom());
    this.net = Net.start(config, key, resources);
    this.local = key.withAddress("127.0.0.1", net.listenAddress().getPort());
    net.advertise(local.node());
    net.subscribe(this);
  }

  NodeId id() {
    return local.id();
  }

  Node node() {
    return local.node();
  }

  InetSocketAddress address() {
    return net.listenAddress();
  }

  @Override
  public void onInboundConnection(Connection connection) {
    inbound.add(connection);
  }

  @Override
  public void onMessage(Connection connection, byte[] message) {
    messages.add(new Received(connection, message));
  }

  @Override
  public void onConnectionClosed(Connection connection, CloseReason reason) {
    closed.add(new Closed(connection, reason));
  }

  @Override
  public void onHandshakeFailed(InetSocketAddress remote, CloseReason reason) {
    handshakeFailures.add(reason);
  }

  @Override
  public void close() {
    net.close();
  }
}
