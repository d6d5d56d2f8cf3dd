package dev.kadmesh.p2p.net;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An established, encrypted connection to an authenticated peer. Thread-safe: {@link #send} may be
 * called from any thread; messages are sealed and written in call order.
 */
public final class Connection {
  /** Who opened the TCP connection. */
  public enum Direction {
    INBOUND,
    OUTBOUND
  }

  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final Channel channel;
  private final NodeId remoteId;
  private final NodeId localId;
  private final Node remoteNode;
  private final Direction direction;
  private final String remoteClientVersion;
  private final int maxMessageLength;
  private final long maxPendingWriteBytes;
  private final AtomicLong pendingWriteBytes = new AtomicLong();
  private volatile long lastActivityNanos = System.nanoTime();
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private final PeerHandler handler;

  Connection(
      Channel channel,
      PeerHandler handler,
      NodeId localId,
      NodeId remoteId,
      Node remoteNode,
      Direction direction,
      String remoteClientVersion,
      NetConfig config) {
    this.channel = channel;
    this.handler = handler;
    this.localId = localId;
    this.remoteId = remoteId;
    this.remoteNode = remoteNode;
    this.direction = direction;
    this.remoteClientVersion = remoteClientVersion;
    this.maxMessageLength = config.maxMessageLength();
    this.maxPendingWriteBytes = config.maxPendingWriteBytes();
  }

  /** Process-unique id of this connection, for logs. */
  public long id() {
    return id;
  }

  /** The authenticated identity of the peer. */
  public NodeId remoteId() {
    return remoteId;
  }

  /**
   * The peer as a dialable node: the address it announced in the handshake (signed with the rest
   * of the transcript), or for outbound connections the address we dialled. Empty when an inbound
   * peer announced no address.
   */
  public Optional<Node> remoteNode() {
    return Optional.ofNullable(remoteNode);
  }

  /** The node that opened the TCP connection. */
  public NodeId initiator() {
    return direction == Direction.OUTBOUND ? localId : remoteId;
  }

  public Direction direction() {
    return direction;
  }

  /** The TCP address of the peer (for inbound connections, its ephemeral source port). */
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) channel.remoteAddress();
  }

  /** Our end of the TCP connection. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  public String remoteClientVersion() {
    return remoteClientVersion;
  }

  public boolean isOpen() {
    return !closed.isDone() && channel.isActive();
  }

  /** Completes with the reason once the connection has closed. */
  public CompletableFuture<CloseReason> closeFuture() {
    return closed.copy();
  }

  /**
   * Encrypts and sends one message. Completes when the frame is written to the socket; fails with
   * a {@link SendException} when the connection is closed, the message is above the maximum, or
   * more than the configured bytes are already queued for this peer.
   */
  public CompletableFuture<Void> send(byte[] message) {
    if (message.length > maxMessageLength) {
      return CompletableFuture.failedFuture(
          new SendException(
              SendException.Kind.TOO_LARGE,
              "message of " + message.length + " bytes exceeds the maximum " + maxMessageLength));
    }
    if (!isOpen()) {
      return CompletableFuture.failedFuture(
          new SendException(SendException.Kind.CLOSED, "connection to " + remoteId + " is closed"));
    }
    long size = message.length;
    if (pendingWriteBytes.addAndGet(size) > maxPendingWriteBytes) {
      pendingWriteBytes.addAndGet(-size);
      return CompletableFuture.failedFuture(
          new SendException(
              SendException.Kind.OVERLOADED,
              "more than " + maxPendingWriteBytes + " bytes queued for " + remoteId));
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    touch();
    channel
        .writeAndFlush(message)
        .addListener(
            f -> {
              pendingWriteBytes.addAndGet(-size);
              if (f.isSuccess()) {
                result.complete(null);
              } else {
                result.completeExceptionally(
                    new SendException(
                        SendException.Kind.CLOSED,
                        "send to " + remoteId + " failed: " + f.cause().getMessage()));
              }
            });
    return result;
  }

  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /** Nanoseconds (monotonic) since a message was last sent or received on this connection. */
  public long idleNanos() {
    return System.nanoTime() - lastActivityNanos;
  }

  /** Closes the connection (reason {@link CloseReason#LOCAL_CLOSE}). */
  public void close() {
    close(CloseReason.LOCAL_CLOSE);
  }

  /** Closes the connection with the given reason, reported to listeners. */
  public void close(CloseReason reason) {
    handler.close(reason);
  }

  void markClosed(CloseReason reason) {
    closed.complete(reason);
  }

  @Override
  public String toString() {
    return "Connection#" + id + "[" + direction + " " + remoteId + " " + channel.remoteAddress() + "]";
  }
}
