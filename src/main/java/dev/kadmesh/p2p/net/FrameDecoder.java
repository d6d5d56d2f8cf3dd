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

  FrameDecoder(int maxLength) {
    this.maxLength = maxLength;
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
  }

  /** A peer announced a frame longer than allowed. */
  static final class FrameTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FrameTooLargeException(long length, long max) {
      super("frame length " + length + " exceeds the maximum " + max);
    }
  }
}
