package dev.kadmesh.p2p.net;

import dev.kadmesh.p2p.crypto.AeadCipher;
import dev.kadmesh.p2p.crypto.AeadException;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one connection: feeds handshake frames to the {@link Handshake} state machine, then seals
 * outgoing and opens incoming session frames. Runs on the channel's event loop only.
 */
final class PeerHandler extends ChannelDuplexHandler implements FrameDecoder.ReadGate {
  private static final Logger log = LoggerFactory.getLogger(PeerHandler.class);
  private static final long MIN_PAUSE_MILLIS = 10;

  private final Net net;
  private final Handshake handshake;
  private final FrameDecoder decoder;
  private final CompletableFuture<Connection> dialPromise;
  private final InetSocketAddress dialled;
  private ChannelHandlerContext ctx;
  private Session session;
  private Connection connection;
  private ScheduledFuture<?> handshakeTimer;
  private long handshakeStart;
  private CloseReason closeReason;
  // inbound rate limit: token buckets refilled by elapsed time (NetLimits)
  private double messageTokens;
  private double byteTokens;
  private long refilledAt;
  private boolean throttled;
  private boolean waitingForBudget;
  private boolean frameTimerArmed;
  private ScheduledFuture<?> frameTimer;
  private ScheduledFuture<?> resumeTimer;
  private final java.util.ArrayDeque<byte[]> held = new java.util.ArrayDeque<>();

  /** {@code dialPromise} and {@code dialled} are non-null for outbound connections. */
  PeerHandler(
      Net net,
      Handshake handshake,
      FrameDecoder decoder,
      CompletableFuture<Connection> dialPromise,
      InetSocketAddress dialled) {
    this.net = net;
    this.dialled = dialled;
    this.handshake = handshake;
    this.decoder = decoder;
    this.dialPromise = dialPromise;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    decoder.onPartial(this::armFrameTimer);
    decoder.readGate(this);
  }

  /** The decoder waits for the transport's buffer budget: no reading meanwhile. */
  @Override
  public void waitingForBudget(boolean waiting) {
    waitingForBudget = waiting;
    if (waiting) {
      ctx.channel().config().setAutoRead(false);
    } else {
      resumeIfFree();
    }
  }

  private void resumeIfFree() {
    if (!throttled && !waitingForBudget && closeReason == null && ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** After the handshake, an incomplete frame must be complete within the frame timeout. */
  private void armFrameTimer() {
    long timeout = net.config().limits().frameTimeout().toNanos();
    if (session == null || timeout == 0 || frameTimerArmed) {
      return;
    }
    frameTimerArmed = true;
    frameTimer = ctx.executor().schedule(this::checkFrameDeadline, timeout, TimeUnit.NANOSECONDS);
  }

  private void checkFrameDeadline() {
    frameTimerArmed = false;
    long since = decoder.partialSince();
    if (since == 0 || closeReason != null || !ctx.channel().isActive()) {
      return; // nothing waiting: the next incomplete frame arms the timer again
    }
    // the frame's length is known once its header is in: a large one gets longer
    long timeout = net.config().limits().frameDeadlineNanos(decoder.pendingLength());
    long waited = throttled ? 0 : System.nanoTime() - since; // our pause is not the peer's delay
    if (waited >= timeout) {
      log.debug("{}: a frame of {} bytes took more than {} ms", ctx.channel().remoteAddress(),
          decoder.pendingLength(), timeout / 1_000_000);
      close(CloseReason.SLOW_FRAME);
      return;
    }
    frameTimerArmed = true;
    frameTimer = ctx.executor().schedule(this::checkFrameDeadline, timeout - waited,
        TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    handshakeStart = System.nanoTime();
    long timeout = net.config().handshakeTimeout().toMillis();
    handshakeTimer =
        ctx.executor()
            .schedule(() -> close(CloseReason.HANDSHAKE_TIMEOUT), timeout, TimeUnit.MILLISECONDS);
    if (handshake.isInitiator()) {
      writeFrame(ctx, handshake.firstMessage(), ctx.voidPromise());
      ctx.flush();
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    byte[] plaintext;
    try {
      net.countIn(FrameDecoder.HEADER_LENGTH + frame.readableBytes());
      if (closeReason != null) {
        return;
      }
      if (session == null) {
        onHandshakeFrame(ctx, ByteBufUtil.getBytes(frame));
        return;
      }
      plaintext = session.open(frame);
    } catch (AeadException e) {
      close(CloseReason.DECRYPT_FAILED);
      return;
    } finally {
      frame.release();
    }
    connection.touch();
    if (throttled) { // decoded from bytes read before the pause: delivered when it ends
      held.add(plaintext);
      return;
    }
    deliverCharged(plaintext);
  }

  /** Delivers one message and takes it from the allowance, pausing reads when that runs out. */
  private void deliverCharged(byte[] plaintext) {
    double waitSeconds = charge(plaintext.length + AeadCipher.TAG_LENGTH);
    net.deliver(connection, plaintext);
    if (waitSeconds > 0) {
      throttled = true;
      ctx.channel().config().setAutoRead(false);
      net.countThrottle();
      // at least 10 ms: a peer just over the limit would otherwise cost a timer and two
      // interest changes every few messages
      resumeTimer = ctx.executor().schedule(this::resumeReading,
          Math.max(MIN_PAUSE_MILLIS, (long) Math.ceil(waitSeconds * 1000)), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Takes one message of {@code bytes} from the connection's allowance (token buckets refilled by
   * elapsed time) and returns how long to stop reading for the allowance to be back above zero (0
   * while it lasts). The peer is then slowed by TCP flow control; nothing it sent is dropped.
   */
  private double charge(int bytes) {
    NetLimits limits = net.config().limits();
    int messageRate = limits.messagesPerSecond();
    long byteRate = limits.bytesPerSecond();
    if (messageRate == 0 && byteRate == 0) {
      return 0;
    }
    long now = System.nanoTime();
    double seconds = (now - refilledAt) / 1e9;
    refilledAt = now;
    double waitSeconds = 0;
    if (messageRate > 0) {
      messageTokens = Math.min(messageRate, messageTokens + seconds * messageRate) - 1;
      waitSeconds = Math.max(waitSeconds, -messageTokens / messageRate);
    }
    if (byteRate > 0) {
      byteTokens = Math.min(byteBurst(byteRate), byteTokens + seconds * byteRate) - bytes;
      waitSeconds = Math.max(waitSeconds, -byteTokens / byteRate);
    }
    return waitSeconds;
  }

  /** A second's worth, and at least one maximal message so that every message can pass. */
  private long byteBurst(long byteRate) {
    return Math.max(byteRate, net.config().maxMessageLength() + AeadCipher.TAG_LENGTH);
  }

  private void resumeReading() {
    throttled = false;
    decoder.restartPartialClock();
    while (!held.isEmpty() && !throttled && closeReason == null) {
      deliverCharged(held.poll());
    }
    resumeIfFree();
  }

  private void onHandshakeFrame(ChannelHandlerContext ctx, byte[] frame) {
    Optional<byte[]> reply;
    try {
      reply = handshake.handle(frame);
    } catch (HandshakeException e) {
      log.debug("handshake with {} failed: {}", ctx.channel().remoteAddress(), e.getMessage());
      if (e.reply() != null) {
        closeReason = e.reason();
        ChannelPromise sent = ctx.newPromise();
        writeFrame(ctx, e.reply(), sent);
        ctx.flush();
        sent.addListener(f -> close(e.reason()));
      } else {
        close(e.reason());
      }
      return;
    }
    reply.ifPresent(r -> writeFrame(ctx, r, ctx.voidPromise()));
    if (reply.isPresent()) {
      ctx.flush();
    }
    if (handshake.isComplete()) {
      established(ctx.channel());
    }
  }

  private void established(Channel channel) {
    NodeId remoteId = NodeId.of(handshake.remoteStaticKey());
    Node remoteNode;
    try {
      remoteNode = remoteNode(remoteId);
    } catch (IllegalArgumentException e) {
      log.debug("{} advertised a bad address: {}", channel.remoteAddress(), e.getMessage());
      close(CloseReason.MALFORMED_HANDSHAKE);
      return;
    }
    handshakeTimer.cancel(false);
    session = new Session(handshake.sessionKeys());
    NetLimits limits = net.config().limits();
    messageTokens = limits.messagesPerSecond();
    byteTokens = byteBurst(limits.bytesPerSecond());
    refilledAt = System.nanoTime();
    if (decoder.partialSince() != 0) {
      armFrameTimer();
    }
    decoder.setMaxLength(net.config().maxMessageLength() + AeadCipher.TAG_LENGTH);
    connection =
        new Connection(
            channel,
            this,
            net.localId(),
            remoteId,
            remoteNode,
            dialPromise != null ? Connection.Direction.OUTBOUND : Connection.Direction.INBOUND,
            handshake.remoteClientVersion(),
            net.config());
    net.established(connection, dialPromise, System.nanoTime() - handshakeStart);
  }

  /** The peer's advertised address, else (outbound) the one we dialled, else null. */
  private Node remoteNode(NodeId remoteId) {
    String advertised = handshake.remoteAdvertisedAddress();
    if (!advertised.isEmpty()) {
      return Node.at(remoteId, advertised);
    }
    if (dialled != null) {
      return new Node(remoteId, dialled.getHostString(), dialled.getPort());
    }
    return null;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (session == null || closeReason != null) {
      promise.setFailure(new IOException("no open session"));
      return;
    }
    byte[] plaintext = (byte[]) msg;
    int length = plaintext.length + AeadCipher.TAG_LENGTH;
    net.countOut(FrameDecoder.HEADER_LENGTH + length);
    ByteBuf buf = ctx.alloc().buffer(FrameDecoder.HEADER_LENGTH + length);
    try {
      buf.writeInt(length);
      session.seal(plaintext, buf); // straight into the socket's buffer: no copy
    } catch (RuntimeException e) {
      buf.release();
      promise.setFailure(e);
      return;
    }
    ctx.write(buf, promise);
  }

  private void writeFrame(ChannelHandlerContext ctx, byte[] payload, ChannelPromise promise) {
    net.countOut(FrameDecoder.HEADER_LENGTH + payload.length);
    ByteBuf buf = ctx.alloc().buffer(FrameDecoder.HEADER_LENGTH + payload.length);
    buf.writeInt(payload.length);
    buf.writeBytes(payload);
    ctx.write(buf, promise);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root = cause instanceof DecoderException && cause.getCause() != null
        ? cause.getCause()
        : cause;
    if (root instanceof FrameDecoder.FrameTooLargeException) {
      log.debug("{}: {}", ctx.channel().remoteAddress(), root.getMessage());
      close(CloseReason.FRAME_TOO_LARGE);
    } else if (root instanceof IOException) {
      log.debug("{}: {}", ctx.channel().remoteAddress(), root.toString());
      close(CloseReason.IO_ERROR);
    } else {
      log.warn("unexpected error on connection to {}", ctx.channel().remoteAddress(), cause);
      close(CloseReason.INTERNAL_ERROR);
    }
  }

  /** Closes the channel; the first reason given wins. Safe from any thread. */
  void close(CloseReason reason) {
    Channel channel = ctx.channel();
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> close(reason));
      return;
    }
    if (closeReason == null) {
      closeReason = reason;
    }
    channel.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    if (frameTimer != null) { // a waiting timer would keep this closed connection reachable
      frameTimer.cancel(false);
    }
    if (resumeTimer != null) {
      resumeTimer.cancel(false);
    }
    if (closeReason == null) {
      closeReason = CloseReason.REMOTE_CLOSE;
    }
    if (connection != null) {
      // authenticated before the close: not lost, unless the peer broke the protocol
      while (!held.isEmpty() && !closeReason.punished()) {
        net.deliver(connection, held.poll());
      }
      held.clear();
      connection.markClosed(closeReason);
      net.closed(connection, closeReason);
    } else {
      net.handshakeFailed(
          (InetSocketAddress) ctx.channel().remoteAddress(), closeReason, dialPromise);
    }
    ctx.fireChannelInactive();
  }
}
