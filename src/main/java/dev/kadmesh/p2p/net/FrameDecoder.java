package dev.kadmesh.p2p.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Splits the byte stream into frames {@code <uint32 big-endian length><bytes>} and emits each
 * frame's bytes as a retained {@link ByteBuf} slice, without copying them; the next handler
 * releases it. A length above the current maximum fails the channel before
 * anything of that size is allocated, and everything after it is discarded.
 *
 * <p>An incomplete frame longer than {@value #UNBUDGETED_FRAME} bytes reserves the buffer it will
 * fill ({@link #bufferFor}) from the transport's {@link InboundBudget} before its body is read. While the budget is spent the decoder
 * asks its {@link ReadGate} to stop reading, and carries on, with the bytes reserved, once they
 * are granted.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  static final int HEADER_LENGTH = 4;
  /**
   * Frames up to this length need no reservation: every connection may hold about this much
   * anyway, in the buffer of one socket read.
   */
  static final int UNBUDGETED_FRAME = 64 * 1024;

  /** Stops and restarts reading from the connection while the decoder waits for the budget. */
  interface ReadGate {
    void waitingForBudget(boolean waiting);
  }

  private final InboundBudget budget;
  private final InboundBudget.Waiter waiter = this::granted;
  private ReadGate gate = waiting -> { };
  private ChannelHandlerContext ctx;
  private long maxLength;
  private boolean failed;
  private long partialSince; // System.nanoTime() when an incomplete frame was last left waiting
  private Runnable onPartial = () -> { };
  private long held; // bytes reserved for the incomplete frame in the buffer
  private long pendingLength; // announced length of the incomplete frame (0: none, or no header)
  private boolean waiting; // queued for the budget
  private boolean inactive;

  FrameDecoder(int maxLength) {
    this(maxLength, new InboundBudget(0));
  }

  FrameDecoder(int maxLength, InboundBudget budget) {
    this.maxLength = maxLength;
    this.budget = budget;
  }

  /**
   * The buffer a frame of {@code length} bytes ends up in: the decoder's buffer grows the way the
   * allocator grows buffers (to a power of two up to 4 MiB, then in steps of 4 MiB).
   */
  static long bufferFor(long length) {
    return io.netty.buffer.ByteBufAllocator.DEFAULT.calculateNewCapacity(
        (int) Math.min(Integer.MAX_VALUE, length + HEADER_LENGTH), Integer.MAX_VALUE);
  }

  void readGate(ReadGate gate) {
    this.gate = gate;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
  }

  /**
   * Called (on the event loop) when a read leaves an incomplete frame waiting and none was
   * waiting before.
   */
  void onPartial(Runnable callback) {
    this.onPartial = callback;
  }

  /**
   * When the incomplete frame now waiting started to wait, or since the last frame completed,
   * whichever is later ({@link System#nanoTime()}); 0 when no frame is incomplete.
   */
  long partialSince() {
    return partialSince;
  }

  /** Restarts the clock of the waiting frame (after we, not the peer, paused reading). */
  void restartPartialClock() {
    if (partialSince != 0) {
      partialSince = System.nanoTime() | 1;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    super.channelRead(ctx, msg);
    if (actualReadableBytes() == 0 || failed || waiting) {
      partialSince = 0;
    } else if (partialSince == 0) {
      partialSince = System.nanoTime() | 1; // never 0
      onPartial.run();
    }
  }

  /** Changes the maximum for the frames that follow (called on the event loop). */
  void setMaxLength(int maxLength) {
    this.maxLength = maxLength;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (waiting) {
      // the base class would ask for another read when a read produced no frame: not now
      discardSomeReadBytes(); // but frames decoded before the wait need not stay in memory
      ctx.fireChannelReadComplete();
      return;
    }
    super.channelReadComplete(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < HEADER_LENGTH || waiting) {
      if (in.readableBytes() < HEADER_LENGTH) {
        pendingLength = 0;
      }
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length > maxLength) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw new FrameTooLargeException(length, maxLength);
    }
    if (in.readableBytes() < HEADER_LENGTH + length) {
      pendingLength = length;
      if (length > UNBUDGETED_FRAME && held == 0 && !inactive && budget.enabled()) {
        long bytes = budget.fit(bufferFor(length));
        if (budget.reserve(bytes, waiter)) {
          held = bytes;
        } else {
          waiting = true;
          gate.waitingForBudget(true);
        }
      }
      return;
    }
    in.skipBytes(HEADER_LENGTH);
    out.add(in.readRetainedSlice((int) length));
    pendingLength = 0;
    partialSince = 0; // progress: the clock of a following incomplete frame starts afresh
    releaseHeld();
  }

  /** From the budget, on whichever thread released the bytes: hand over to the event loop. */
  private void granted(long bytes) {
    try {
      ctx.executor().execute(() -> onGranted(bytes));
    } catch (RejectedExecutionException shuttingDown) {
      budget.release(bytes);
    }
  }

  private void onGranted(long bytes) {
    if (inactive || !waiting) {
      waiting = false;
      budget.release(bytes);
      return;
    }
    waiting = false;
    held = bytes; // the frame's clock starts afresh below: the wait was ours, not the peer's
    gate.waitingForBudget(false);
    try { // decode what is already buffered: the peer may have sent all of it
      channelRead(ctx, Unpooled.EMPTY_BUFFER);
    } catch (Exception e) {
      ctx.fireExceptionCaught(e);
    }
  }

  private void releaseHeld() {
    if (held != 0) {
      long bytes = held;
      held = 0;
      budget.release(bytes);
    }
  }

  /** The announced length of the frame now arriving (0 if none, or its header is incomplete). */
  long pendingLength() {
    return pendingLength;
  }

  /** Whether the decoder waits for the budget before reading on. */
  boolean waitingForBudget() {
    return waiting;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    inactive = true;
    giveBack();
    super.channelInactive(ctx);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    inactive = true;
    giveBack();
  }

  private void giveBack() {
    if (waiting && budget.cancel(waiter)) {
      waiting = false; // if not cancelled, the grant is on its way and onGranted gives it back
    }
    releaseHeld();
  }

  /** A peer announced a frame longer than allowed. */
  static final class FrameTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FrameTooLargeException(long length, long max) {
      super("frame length " + length + " exceeds the maximum " + max);
    }
  }
}
