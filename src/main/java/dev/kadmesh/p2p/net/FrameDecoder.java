package dev.kadmesh.p2p.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frames {@code <uint32 big-endian length><bytes>} and emits each
 * frame's bytes as a retained {@link ByteBuf} slice, without copying them; the next handler
 * releases it. A length above the current maximum fails the channel before
 * anything of that size is allocated, and everything after it is discarded.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  static final int HEADER_LENGTH = 4;
  private long maxLength;
  private boolean failed;
  private long partialSince; // System.nanoTime() when an incomplete frame was last left waiting
  private Runnable onPartial = () -> { };

  FrameDecoder(int maxLength) {
    this.maxLength = maxLength;
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
    if (actualReadableBytes() == 0 || failed) {
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
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < HEADER_LENGTH) {
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length > maxLength) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw new FrameTooLargeException(length, maxLength);
    }
    if (in.readableBytes() < HEADER_LENGTH + length) {
      return;
    }
    in.skipBytes(HEADER_LENGTH);
    out.add(in.readRetainedSlice((int) length));
    partialSince = 0; // progress: the clock of a following incomplete frame starts afresh
  }

  /** A peer announced a frame longer than allowed. */
  static final class FrameTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FrameTooLargeException(long length, long max) {
      super("frame length " + length + " exceeds the maximum " + max);
    }
  }
}
