package dev.kadmesh.p2p.swarm;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.util.concurrent.CompletableFuture;

/**
 * How the swarm reaches peers: real TCP sessions ({@link TcpTransport}) or the simulator's
 * in-process links. Every message is one encoded envelope; the transport authenticates the peer
 * that sent it.
 */
public interface Transport {

  /**
   * Sends one envelope to {@code to}, over an existing connection if there is one, otherwise by
   * connecting to {@code address} (which may be null when unknown). Completes when written; fails
   * with a {@link SendFailure} or the transport's own exception.
   */
  CompletableFuture<Void> send(NodeId to, Node address, byte[] envelope);

  /** True when a connection to {@code peer} is open. */
  boolean isConnected(NodeId peer);

  /**
   * Drops the connection to {@code peer}, which sent a message no honest node sends ({@code
   * reason}). Over TCP its address is also refused for a while when it opened the connection.
   * Called on the thread that delivered the message, during {@link Receiver#receive}. The
   * simulator closes the link and loses what is in flight on it, but has no addresses to refuse.
   */
  void misbehaved(NodeId peer, RejectReason reason);

  /** Where incoming envelopes go. Set once, before traffic starts. */
  void setReceiver(Receiver receiver);

  /** Receives envelopes from authenticated peers. Must not block. */
  interface Receiver {
    /**
     * @param sender the authenticated peer that sent the bytes
     * @param senderNode the peer's dialable address, or null if it announced none
     */
    void receive(NodeId sender, Node senderNode, byte[] envelope);
  }
}
