package dev.kadmesh.p2p.pool;

import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.net.CloseReason;
import dev.kadmesh.p2p.net.Connection;
import dev.kadmesh.p2p.net.DialException;
import dev.kadmesh.p2p.net.Net;
import dev.kadmesh.p2p.net.NetListener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Holds at most one connection per peer, shared by every user of the node.
 *
 * <ul>
 *   <li>{@link #getConnection} returns the existing connection or dials once, however many callers
 *       ask at the same time.
 *   <li>When both sides dial each other at once, both keep the connection opened by the node with
 *       the smaller key and drop the other; both sides decide the same way without talking. The
 *       dropped connection is closed by the node that opened it, after a grace period in which
 *       messages already in flight on it are still delivered.
 *   <li>Limits: total connections (established and dialling) and established inbound connections.
 *       Inbound connections beyond them are refused before the handshake.
 * </ul>
 *
 * Thread-safe; no method blocks.
 */
public final class ConnectionPool implements AutoCloseable {
  private final PoolConfig config;
  private final BiFunction<InetSocketAddress, NodeId, CompletableFuture<Connection>> dialer;
  private volatile java.util.concurrent.ScheduledFuture<?> idleSweep;
  private final ScheduledExecutorService scheduler;
  private final AutoCloseable subscription;
  private final Map<NodeId, Connection> established = new HashMap<>();
  private final Map<NodeId, CompletableFuture<Connection>> pending = new HashMap<>();
  private int inbound;
  private boolean closed;

  /**
   * A pool over {@code net}: it dials through it and takes over the connections peers open to it.
   */
  public ConnectionPool(Net net, PoolConfig config, ScheduledExecutorService scheduler) {
    this(net, net::dial, config, scheduler);
  }

  /** A pool that dials through {@code dialer} (tests count dials this way). */
  ConnectionPool(
      Net net,
      BiFunction<InetSocketAddress, NodeId, CompletableFuture<Connection>> dialer,
      PoolConfig config,
      ScheduledExecutorService scheduler) {
    this.config = config;
    this.dialer = dialer;
    this.scheduler = scheduler;
    this.subscription = net.subscribe(new Events());
    scheduleIdleSweep();
  }

  private void scheduleIdleSweep() {
    long period = Math.max(10, config.idleTimeout().toMillis() / 4);
    try {
      idleSweep = scheduler.schedule(() -> {
        if (!closedNow()) {
          closeIdle();
          scheduleIdleSweep();
        }
      }, period, TimeUnit.MILLISECONDS);
      if (closedNow()) { // closed while this was being scheduled: close() may have missed it
        idleSweep.cancel(false);
      }
    } catch (RejectedExecutionException e) {
      // the scheduler is shutting down: so is the pool
    }
  }

  /** Closes the connections idle for longer than the idle timeout. */
  void closeIdle() {
    long limit = config.idleTimeout().toNanos();
    for (Connection c : connections()) {
      if (c.idleNanos() > limit) {
        c.close(CloseReason.IDLE);
      }
    }
  }

  /**
   * The connection to {@code remote}, dialling {@code address} if there is none. Completes when
   * the session is up; fails with a {@link DialException} if the dial fails, a limit is reached or
   * the pool shuts down first.
   */
  public CompletableFuture<Connection> getConnection(InetSocketAddress address, NodeId remote) {
    CompletableFuture<Connection> dial;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(shutDown());
      }
      Connection existing = established.get(remote);
      if (existing != null && existing.isOpen()) {
        return CompletableFuture.completedFuture(existing);
      }
      CompletableFuture<Connection> waiting = pending.get(remote);
      if (waiting != null) {
        return waiting.copy();
      }
      if (established.size() + pending.size() >= config.maxConnections()) {
        return CompletableFuture.failedFuture(
            new DialException(
                CloseReason.CAPACITY,
                "connection limit reached (" + config.maxConnections() + " connections)"));
      }
      dial = new CompletableFuture<>();
      pending.put(remote, dial);
    }
    dialer
        .apply(address, remote)
        .whenComplete(
            (connection, error) -> {
              if (error == null) {
                register(connection);
              } else {
                synchronized (this) {
                  pending.remove(remote, dial);
                }
                dial.completeExceptionally(unwrap(error));
              }
            });
    return dial.copy();
  }

  /** The open connection to {@code remote}, if any. */
  public synchronized Optional<Connection> get(NodeId remote) {
    Connection c = established.get(remote);
    return c != null && c.isOpen() ? Optional.of(c) : Optional.empty();
  }

  /** A snapshot of the established connections. */
  public synchronized List<Connection> connections() {
    return new ArrayList<>(established.values());
  }

  public synchronized int size() {
    return established.size();
  }

  public synchronized int inboundCount() {
    return inbound;
  }

  /** Dials in progress. */
  public synchronized int pendingCount() {
    return pending.size();
  }

  private void register(Connection connection) {
    CompletableFuture<Connection> waiter;
    Connection winner;
    Connection loser = null;
    boolean refuse = false;
    synchronized (this) {
      NodeId id = connection.remoteId();
      Connection existing = established.get(id);
      if (closed) {
        refuse = true;
        winner = null;
      } else if (existing != null && existing != connection && existing.isOpen()) {
        winner = preferred(existing, connection);
        loser = winner == existing ? connection : existing;
        if (loser == existing) {
          replace(existing, connection);
        }
      } else if (connection.direction() == Connection.Direction.INBOUND
          && (inbound >= config.maxInbound()
              || established.size() + pending.size() >= config.maxConnections())) {
        refuse = true;
        winner = null;
      } else {
        if (existing != null) {
          remove(existing);
        }
        add(connection);
        winner = connection;
      }
      waiter = winner != null ? pending.remove(id) : null;
    }
    if (refuse) {
      // A pending dial of ours to this peer is unaffected: it goes on and registers by itself.
      connection.close(closedNow() ? CloseReason.LOCAL_CLOSE : CloseReason.CAPACITY);
      return;
    }
    if (loser != null) {
      retire(loser);
    }
    if (waiter != null) {
      waiter.complete(winner);
    }
  }

  /**
   * Of two open connections to one peer, the one opened by the node with the smaller key; when one
   * node opened both, the newer one (it redialled for a reason).
   */
  private static Connection preferred(Connection existing, Connection candidate) {
    NodeId a = existing.initiator();
    NodeId b = candidate.initiator();
    if (a.equals(b)) {
      return candidate;
    }
    return a.compareTo(b) < 0 ? existing : candidate;
  }

  /** The node that opened a dropped duplicate closes it after the grace period; the other waits. */
  private void retire(Connection loser) {
    Duration grace = config.duplicateGrace();
    if (loser.direction() == Connection.Direction.INBOUND) {
      grace = grace.multipliedBy(2); // the peer closes it first; this is the backstop
    }
    if (grace.isZero()) {
      loser.close(CloseReason.DUPLICATE);
      return;
    }
    try {
      scheduler.schedule(
          () -> loser.close(CloseReason.DUPLICATE), grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      loser.close(CloseReason.DUPLICATE);
    }
  }

  private synchronized boolean closedNow() {
    return closed;
  }

  private void add(Connection c) {
    established.put(c.remoteId(), c);
    if (c.direction() == Connection.Direction.INBOUND) {
      inbound++;
    }
  }

  private void remove(Connection c) {
    if (established.remove(c.remoteId(), c) && c.direction() == Connection.Direction.INBOUND) {
      inbound--;
    }
  }

  private void replace(Connection old, Connection c) {
    remove(old);
    add(c);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null
        ? t.getCause()
        : t;
  }

  private static DialException shutDown() {
    return new DialException(CloseReason.LOCAL_CLOSE, "connection pool is shut down");
  }

  /**
   * Closes every connection and fails every pending {@link #getConnection} at once. The
   * underlying transport stays up; its owner closes it.
   */
  @Override
  public void close() {
    List<Connection> toClose;
    List<CompletableFuture<Connection>> toFail;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(established.values());
      toFail = new ArrayList<>(pending.values());
      established.clear();
      pending.clear();
      inbound = 0;
    }
    java.util.concurrent.ScheduledFuture<?> sweep = idleSweep;
    if (sweep != null) { // a waiting sweep would hold this pool, and its transport, until it ran
      sweep.cancel(false);
    }
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    toFail.forEach(f -> f.completeExceptionally(shutDown()));
    toClose.forEach(c -> c.close(CloseReason.LOCAL_CLOSE));
  }

  private final class Events implements NetListener {
    @Override
    public boolean admitInbound(InetSocketAddress remote) {
      synchronized (ConnectionPool.this) {
        return !closed
            && inbound < config.maxInbound()
            && established.size() + pending.size() < config.maxConnections();
      }
    }

    @Override
    public void onInboundConnection(Connection connection) {
      register(connection);
    }

    @Override
    public void onConnectionClosed(Connection connection, CloseReason reason) {
      synchronized (ConnectionPool.this) {
        remove(connection);
      }
    }
  }
}
