package dev.kadmesh.p2p.net;

import dev.kadmesh.p2p.crypto.AeadCipher;
import dev.kadmesh.p2p.crypto.AeadException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * The encrypted session of one connection: one AES-256-GCM cipher per direction, each with its own
 * key and implicit counter nonce. A frame that fails to open (tampered, replayed, reordered, or our
 * own frame reflected back) is fatal for the connection.
 *
 * <p>Not thread-safe: sealing happens on the connection's event loop in write order, opening in
 * read order.
 */
final class Session {
  private final AeadCipher sender;
  private final AeadCipher receiver;

  Session(Handshake.SessionKeys keys) {
    this.sender = new AeadCipher(keys.sendKey());
    this.receiver = new AeadCipher(keys.receiveKey());
  }

  /** Seals {@code plaintext} at the writer index of {@code out}, which moves past it. */
  void seal(byte[] plaintext, ByteBuf out) {
    int length = plaintext.length + AeadCipher.TAG_LENGTH;
    out.ensureWritable(length);
    sender.seal(plaintext, out.nioBuffer(out.writerIndex(), length));
    out.writerIndex(out.writerIndex() + length);
  }

  /** Opens the readable bytes of {@code frame}, in place when they are contiguous. */
  byte[] open(ByteBuf frame) throws AeadException {
    if (frame.nioBufferCount() == 1) {
      return receiver.open(frame.nioBuffer());
    }
    return receiver.open(ByteBufUtil.getBytes(frame));
  }
}
