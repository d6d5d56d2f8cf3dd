package dev.kadmesh.p2p.net;

import java.net.InetSocketAddress;

/**
 * Receives the transport's events. Callbacks run on event loop threads: they must return quickly
 * and never block. Events of one connection arrive in order.
 */
public interface NetListener {

  /**
   * Asked when a peer opens a TCP connection, before any handshake work. Return false to close it
   * at once (e.g. a connection limit is reached).
   */
  default boolean admitInbound(InetSocketAddress remote) {
    return true;
  }

  /**
   * A connection finished its handshake, in either direction; {@code handshakeNanos} is the time
   * from TCP connect to the session being ready. Called before {@link #onInboundConnection}.
   */
  default void onEstablished(Connection connection, long handshakeNanos) {}

  /** A connection the peer opened has finished its handshake. */
  default void onInboundConnection(Connection connection) {}

  /** A session message arrived (decrypted and authenticated). */
  default void onMessage(Connection connection, byte[] message) {}

  /** An established connection closed, in either direction. */
  default void onConnectionClosed(Connection connection, CloseReason reason) {}

  /** A connection was dropped before its handshake finished. */
  default void onHandshakeFailed(InetSocketAddress remote, CloseReason reason) {}
}
