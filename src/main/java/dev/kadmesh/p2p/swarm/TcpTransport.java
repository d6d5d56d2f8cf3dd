package dev.kadmesh.p2p.swarm;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.net.CloseReason;
import dev.kadmesh.p2p.net.Connection;
import dev.kadmesh.p2p.net.Net;
import dev.kadmesh.p2p.net.NetListener;
import dev.kadmesh.p2p.pool.ConnectionPool;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The swarm's transport over real TCP sessions, through the connection pool. */
public final class TcpTransport implements Transport {
  private final ConnectionPool pool;
  private volatile Receiver receiver;
  /** The connection whose message the receiver is handling on this thread, if any. */
  private final ThreadLocal<Connection> receiving = new ThreadLocal<>();

  public TcpTransport(Net net, ConnectionPool pool) {
    this.pool = pool;
    net.subscribe(
        new NetListener() {
          @Override
          public void onMessage(Connection connection, byte[] message) {
            Receiver r = receiver;
            if (r != null) {
              receiving.set(connection);
              try {
                r.receive(connection.remoteId(), connection.remoteNode().orElse(null), message);
              } finally {
                receiving.remove();
              }
            }
          }
        });
  }

  @Override
  public CompletableFuture<Void> send(NodeId to, Node address, byte[] envelope) {
    Optional<Connection> open = pool.get(to);
    if (open.isPresent()) {
      return open.get().send(envelope);
    }
    if (address == null) {
      return CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.UNREACHABLE, "no connection to " + to + " and no address"));
    }
    return pool.getConnection(address.address(), to).thenCompose(c -> c.send(envelope));
  }

  @Override
  public boolean isConnected(NodeId peer) {
    return pool.get(peer).isPresent();
  }

  @Override
  public void misbehaved(NodeId peer, RejectReason reason) {
    // the connection the message came on (a peer may hold two for a moment), else the pool's
    Connection current = receiving.get();
    if (current != null && current.remoteId().equals(peer)) {
      current.close(CloseReason.PROTOCOL_VIOLATION);
    }
    pool.get(peer).ifPresent(c -> c.close(CloseReason.PROTOCOL_VIOLATION));
  }

  @Override
  public void setReceiver(Receiver receiver) {
    this.receiver = receiver;
  }
}
