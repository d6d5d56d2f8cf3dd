package dev.kadmesh.p2p.swarm;

import dev.kadmesh.p2p.crypto.Hashes;
import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.wire.proto.Metadata;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The author's signature over a message: ECDSA over {@code SHA-256("kadmesh-envelope-v1" ||
 * canonical metadata without authorSign || payload)}, where the canonical metadata is every field
 * in field-number order, strings and bytes prefixed with their uint32 big-endian length, the
 * timestamp as int64 big-endian and the flags as one byte each (docs/protocol.md). The signature
 * covers every byte of the payload, whatever its length.
 */
final class Envelope {
  private static final byte[] LABEL = "kadmesh-envelope-v1".getBytes(StandardCharsets.US_ASCII);

  private Envelope() {}

  static byte[] digest(Metadata m, byte[] payload) {
    MessageDigest md = Hashes.newSha256();
    md.update(LABEL);
    lengthPrefixed(md, m.getProtocol().getBytes(StandardCharsets.UTF_8));
    lengthPrefixed(md, m.getReqId().toByteArray());
    lengthPrefixed(md, m.getClientVersion().getBytes(StandardCharsets.UTF_8));
    md.update(ByteBuffer.allocate(8).putLong(m.getTimestamp()).array());
    md.update((byte) (m.getGossip() ? 1 : 0));
    lengthPrefixed(md, m.getAuthPubKey().toByteArray());
    md.update((byte) (m.getResponse() ? 1 : 0));
    lengthPrefixed(md, payload);
    return md.digest();
  }

  static byte[] sign(PrivateKey key, Metadata unsigned, byte[] payload) {
    return key.sign(digest(unsigned, payload));
  }

  private static void lengthPrefixed(MessageDigest md, byte[] value) {
    md.update(ByteBuffer.allocate(4).putInt(value.length).array());
    md.update(value);
  }
}
