package dev.kadmesh.p2p.net;

import dev.kadmesh.p2p.crypto.AeadException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** A session's seal and open on arrays, for tests that play a peer. */
final class SessionBytes {
  private SessionBytes() {}

  static byte[] seal(Session session, byte[] plaintext) {
    ByteBuf out = Unpooled.buffer();
    session.seal(plaintext, out);
    return ByteBufUtil.getBytes(out);
  }

  static byte[] open(Session session, byte[] frame) throws AeadException {
    return session.open(Unpooled.wrappedBuffer(frame));
  }
}
