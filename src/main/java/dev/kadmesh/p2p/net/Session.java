package dev.kadmesh.p2p.net;

import dev.kadmesh.p2p.crypto.AeadCipher;
import dev.kadmesh.p2p.crypto.AeadException;

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

  byte[] seal(byte[] plaintext) {
    return sender.seal(plaintext);
  }

  byte[] open(byte[] frame) throws AeadException {
    return receiver.open(frame);
  }
}
