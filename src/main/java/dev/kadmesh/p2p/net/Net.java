package dev.kadmesh.p2p.net;

import dev.kadmesh.p2p.crypto.AeadCipher;
import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP transport: listens for peers, dials peers, runs the handshake on every connection and
 * hands out {@link Connection}s with established sessions. Events go to subscribed {@link
 * NetListener}s. Thread-safe. Uses the event loops of a shared {@link NetResources}; owns no
 * threads.
 */
public final class Net implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Net.class);

  private final NetConfig config;
  private final LocalNode local;
  private final NetResources resources;
  private final List<NetListener> listeners = new CopyOnWriteArrayList<>();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicInteger pendingInbound = new AtomicInteger();
  private final AtomicInteger pendingOutbound = new AtomicInteger();
  private final java.util.concurrent.ConcurrentHashMap<java.net.InetAddress, AtomicInteger>
      inboundByAddress = new java.util.concurrent.ConcurrentHashMap<>();
  private final PenaltyBox penalties;
  private final LongAdder punished = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final InboundBudget budget;
  private volatile boolean closed;
  private volatile String advertised = "";
  private Channel serverChannel;

  private Net(NetConfig config, LocalNode local, NetResources resources) {
    this.config = config;
    this.local = local;
    this.resources = resources;
    this.penalties = new PenaltyBox(config.limits().penaltyBase().toMillis(),
        config.limits().penaltyMax().toMillis(), () -> System.nanoTime() / 1_000_000);
    long budgetBytes = config.limits().inboundBufferBytes();
    this.budget = new InboundBudget(budgetBytes == 0 ? 0 : Math.max(budgetBytes,
        FrameDecoder.bufferFor(config.maxMessageLength() + AeadCipher.TAG_LENGTH)));
  }

  /**
   * Binds the listening socket and returns the running transport.
   *
   * @throws IllegalStateException naming the address when it cannot be bound
   */
  public static Net start(NetConfig config, LocalNode local, NetResources resources) {
    Net net = new Net(config, local, resources);
    net.bind();
    return net;
  }

  private void bind() {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(resources.group())
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    acceptInbound(ch);
                  }
                });
    ChannelFuture f = b.bind(config.listenHost(), config.listenPort()).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IllegalStateException(
          "cannot listen on " + config.listenHost() + ":" + config.listenPort() + ": "
              + f.cause().getMessage(),
          f.cause());
    }
    serverChannel = f.channel();
  }

  private void acceptInbound(SocketChannel ch) {
    InetSocketAddress remote = ch.remoteAddress();
    if (closed || !admit(remote)) {
      ch.close();
      notifyHandshakeFailed(remote, closed ? CloseReason.LOCAL_CLOSE : CloseReason.CAPACITY);
      return;
    }
    java.net.InetAddress limited = limitedAs(remote.getAddress());
    if (limited != null && !withinAddressLimits(ch, remote, limited)) {
      return;
    }
    if (pendingInbound.incrementAndGet() > config.maxPendingHandshakes()) {
      pendingInbound.decrementAndGet();
      ch.close();
      notifyHandshakeFailed(remote, CloseReason.CAPACITY);
      return;
    }
    install(ch, Handshake.responder(config.handshakeConfig(), local.privateKey(), advertised), null,
        null);
  }

  /** Refusal and per-address cap; false (the channel closed) when one of them bites. */
  private boolean withinAddressLimits(
      SocketChannel ch, InetSocketAddress remote, java.net.InetAddress address) {
    if (penalties.refuses(address)) {
      ch.close();
      notifyHandshakeFailed(remote, CloseReason.PENALIZED);
      return false;
    }
    AtomicInteger fromAddress = inboundByAddress.compute(address,
        (a, n) -> n == null ? new AtomicInteger(1) : incremented(n));
    ch.closeFuture().addListener(f -> inboundByAddress.computeIfPresent(address,
        (a, n) -> n.decrementAndGet() == 0 ? null : n));
    if (fromAddress.get() > config.limits().maxInboundPerAddress()) {
      ch.close();
      notifyHandshakeFailed(remote, CloseReason.ADDRESS_LIMIT);
      return false;
    }
    return true;
  }

  /**
   * What the per-address cap and refusals count {@code address} as (its {@link AddressGroup}),
   * or null when it is exempt from them.
   */
  private java.net.InetAddress limitedAs(java.net.InetAddress address) {
    NetLimits limits = config.limits();
    return limits.isExempt(address) ? null : AddressGroup.of(address, limits.ipv6GroupPrefix());
  }

  private static AtomicInteger incremented(AtomicInteger n) {
    n.incrementAndGet();
    return n;
  }

  private boolean admit(InetSocketAddress remote) {
    for (NetListener l : listeners) {
      if (!l.admitInbound(remote)) {
        return false;
      }
    }
    return true;
  }

  private void install(
      Channel ch,
      Handshake handshake,
      CompletableFuture<Connection> promise,
      InetSocketAddress dialled) {
    channels.add(ch);
    FrameDecoder decoder = new FrameDecoder(NetConfig.MAX_HANDSHAKE_MESSAGE, budget);
    ch.pipeline()
        .addLast("flush", new FlushConsolidationHandler(64, true))
        .addLast("frames", decoder)
        .addLast("peer", new PeerHandler(this, handshake, decoder, promise, dialled));
  }

  /**
   * Sets the address announced to peers in handshakes from now on, so that they can dial this
   * node back and put it in their routing tables.
   */
  public void advertise(Node node) {
    if (!node.id().equals(local.id())) {
      throw new IllegalArgumentException("advertised node must have our id");
    }
    advertised = node.hostPort();
  }

  /** The bound address (with the actual port when the configured port was 0). */
  public InetSocketAddress listenAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  public NetConfig config() {
    return config;
  }

  NodeId localId() {
    return local.id();
  }

  /**
   * Connections currently mid-handshake, both directions. Only inbound ones are capped (by
   * {@link NetConfig#maxPendingHandshakes()}), so that peers who never finish cannot stop this
   * node from dialling out; outbound ones are bounded by the pool's connection limit.
   */
  public int pendingHandshakes() {
    return pendingInbound.get() + pendingOutbound.get();
  }

  /**
   * True on a transport event-loop thread, where nothing may block (listeners and futures
   * completed by the transport run there).
   */
  public static boolean onTransportThread() {
    return Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread
        && Thread.currentThread().getName().startsWith("kadmesh-net");
  }

  /** Registers a listener; close the returned handle to remove it. */
  public AutoCloseable subscribe(NetListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Opens a connection to {@code remote} at {@code address} and runs the handshake. Completes with
   * the connection once the session is up; fails with a {@link DialException} saying why (refused,
   * timed out, a different key answered, network or version mismatch, capacity, shut down) within
   * the connect timeout plus the handshake timeout (plus name resolution for DNS names, which runs
   * on the resolver threads of {@link NetResources}). Never blocks.
   */
  public CompletableFuture<Connection> dial(InetSocketAddress address, NodeId remote) {
    CompletableFuture<Connection> promise = new CompletableFuture<>();
    if (closed) {
      promise.completeExceptionally(new DialException(CloseReason.LOCAL_CLOSE, "transport is shut down"));
      return promise;
    }
    if (remote.equals(local.id())) {
      promise.completeExceptionally(
          new DialException(CloseReason.SELF_CONNECTION, "cannot dial our own node id"));
      return promise;
    }
    pendingOutbound.incrementAndGet();
    String host = address.getHostString();
    if (!address.isUnresolved()) {
      connect(address, address, remote, promise);
    } else if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
      connect(address, new InetSocketAddress(host, address.getPort()), remote, promise);
    } else {
      // DNS can block: resolve off the event loops.
      try {
        resources.resolver().execute(() -> {
          InetSocketAddress resolved = new InetSocketAddress(host, address.getPort());
          if (resolved.isUnresolved()) {
            pendingOutbound.decrementAndGet();
            promise.completeExceptionally(
                new DialException(CloseReason.CONNECT_FAILED, "cannot resolve " + host));
            return;
          }
          try {
            connect(address, resolved, remote, promise);
          } catch (RuntimeException e) { // event loops shutting down
            pendingOutbound.decrementAndGet();
            promise.completeExceptionally(
                new DialException(CloseReason.LOCAL_CLOSE, "transport is shut down"));
          }
        });
      } catch (RejectedExecutionException e) {
        pendingOutbound.decrementAndGet();
        promise.completeExceptionally(
            new DialException(CloseReason.CAPACITY, "too many name resolutions in progress"));
      }
    }
    return promise;
  }

  private void connect(
      InetSocketAddress address,
      InetSocketAddress target,
      NodeId remote,
      CompletableFuture<Connection> promise) {
    Handshake handshake =
        Handshake.initiator(
            config.handshakeConfig(), local.privateKey(), remote.publicKey(), advertised);
    Bootstrap b =
        new Bootstrap()
            .group(resources.group())
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    install(ch, handshake, promise, address);
                  }
                });
    b.connect(target)
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                pendingOutbound.decrementAndGet();
                CloseReason reason =
                    f.cause() instanceof io.netty.channel.ConnectTimeoutException
                        ? CloseReason.DIAL_TIMEOUT
                        : CloseReason.CONNECT_FAILED;
                promise.completeExceptionally(
                    new DialException(
                        reason, "cannot connect to " + target + ": " + f.cause().getMessage()));
              }
            });
  }

  void established(
      Connection connection, CompletableFuture<Connection> dialPromise, long handshakeNanos) {
    (dialPromise != null ? pendingOutbound : pendingInbound).decrementAndGet();
    if (closed) {
      if (dialPromise != null) {
        dialPromise.completeExceptionally(
            new DialException(CloseReason.LOCAL_CLOSE, "transport is shut down"));
      }
      connection.close(CloseReason.LOCAL_CLOSE);
      return;
    }
    if (dialPromise != null) {
      if (!dialPromise.complete(connection)) {
        connection.close(CloseReason.LOCAL_CLOSE);
        return;
      }
    }
    for (NetListener l : listeners) {
      l.onEstablished(connection, handshakeNanos);
    }
    if (dialPromise == null) {
      for (NetListener l : listeners) {
        l.onInboundConnection(connection);
      }
    }
  }

  void countIn(int bytes) {
    bytesIn.add(bytes);
  }

  void countOut(int bytes) {
    bytesOut.add(bytes);
  }

  /** Bytes received on every connection so far, framing included. */
  public long bytesIn() {
    return bytesIn.sum();
  }

  /** Bytes written to every connection so far, framing included. */
  public long bytesOut() {
    return bytesOut.sum();
  }

  void handshakeFailed(
      InetSocketAddress remote, CloseReason reason, CompletableFuture<Connection> dialPromise) {
    (dialPromise != null ? pendingOutbound : pendingInbound).decrementAndGet();
    if (dialPromise == null) { // a peer we dialled is not punished for failing our handshake
      punishIfAtFault(remote, reason);
    }
    if (dialPromise != null) {
      dialPromise.completeExceptionally(
          new DialException(reason, "handshake with " + remote + " failed: " + reason));
    }
    notifyHandshakeFailed(remote, reason);
  }

  /** A peer that broke the protocol: its address is refused for a while (see NetLimits). */
  private void punishIfAtFault(InetSocketAddress remote, CloseReason reason) {
    if (!reason.punished() || remote == null || remote.getAddress() == null
        || !penalties.enabled()) {
      return;
    }
    java.net.InetAddress limited = limitedAs(remote.getAddress());
    if (limited != null) {
      long millis = penalties.punish(limited);
      punished.increment();
      log.debug("{} broke the protocol ({}): refused for {} ms", remote, reason, millis);
    }
  }

  void countThrottle() {
    throttled.increment();
  }

  /** Peers punished for breaking the protocol so far (their addresses refused for a while). */
  public long punished() {
    return punished.sum();
  }

  /** Times a connection was paused for sending faster than the rate limits allow. */
  public long throttled() {
    return throttled.sum();
  }

  /**
   * Bytes reserved now by large frames that have started to arrive (at most {@link
   * NetLimits#inboundBufferBytes()}).
   */
  public long inboundBufferBytes() {
    return budget.reserved();
  }

  /** Connections waiting now, without reading, for the inbound buffer budget. */
  public int bufferWaiting() {
    return budget.waiting();
  }

  /** Times a connection had to wait for the inbound buffer budget so far. */
  public long bufferWaits() {
    return budget.waits();
  }

  private void notifyHandshakeFailed(InetSocketAddress remote, CloseReason reason) {
    for (NetListener l : listeners) {
      l.onHandshakeFailed(remote, reason);
    }
  }

  void deliver(Connection connection, byte[] message) {
    for (NetListener l : listeners) {
      l.onMessage(connection, message);
    }
  }

  void closed(Connection connection, CloseReason reason) {
    // as in handshakeFailed: a peer we dialled is not punished; nor an oversized session frame
    // (see CloseReason.FRAME_TOO_LARGE)
    if (connection.direction() == Connection.Direction.INBOUND
        && reason != CloseReason.FRAME_TOO_LARGE) {
      punishIfAtFault(connection.remoteAddress(), reason);
    }
    for (NetListener l : listeners) {
      l.onConnectionClosed(connection, reason);
    }
  }

  private WriteBufferWaterMark waterMark() {
    int high = (int) Math.min(Integer.MAX_VALUE, config.maxPendingWriteBytes());
    return new WriteBufferWaterMark(high / 2, high);
  }

  /** Stops listening and closes every connection; waits up to five seconds. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    for (Channel ch : channels) {
      PeerHandler handler = ch.pipeline().get(PeerHandler.class);
      if (handler != null) {
        handler.close(CloseReason.LOCAL_CLOSE);
      }
    }
    channels.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    log.debug("transport of {} closed", local.id());
  }
}
