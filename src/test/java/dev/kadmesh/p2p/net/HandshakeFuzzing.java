package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.crypto.PrivateKey;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic handshakes for fuzzing: fixed keys, a fixed clock and randomness reset for every
 * input, so an honest transcript recorded once stays valid and a finding reproduces.
 */
final class HandshakeFuzzing {
  static final long NOW = 1_800_000_000_000L;
  static final PrivateKey ALICE = PrivateKey.generate(seeded(1));
  static final PrivateKey BOB = PrivateKey.generate(seeded(2));

  private HandshakeFuzzing() {}

  static SecureRandom seeded(int seed) {
    return dev.kadmesh.fuzz.FuzzSeeds.deterministic(seed);
  }

  static Handshake initiator() {
    return Handshake.initiator(config(3), ALICE, BOB.publicKey(), "127.0.0.1:7001");
  }

  static Handshake responder() {
    return Handshake.responder(config(4), BOB, "127.0.0.1:7002");
  }

  private static HandshakeConfig config(int seed) {
    return new HandshakeConfig(1, "kadmesh/1.0.0", Duration.ofSeconds(60), () -> NOW,
        seeded(seed));
  }

  /** The honest messages between {@link #initiator()} and {@link #responder()}: req, resp, fin. */
  static byte[][] honestTranscript() throws HandshakeException {
    Handshake i = initiator();
    Handshake r = responder();
    byte[] req = i.firstMessage();
    byte[] resp = r.handle(req).orElseThrow();
    byte[] fin = i.handle(resp).orElseThrow();
    r.handle(fin);
    if (!i.isComplete() || !r.isComplete()) {
      throw new IllegalStateException("the honest transcript does not complete");
    }
    return new byte[][] {req, resp, fin};
  }

  /**
   * Feeds {@code input}'s messages to {@code handshake} until it fails or completes, and checks
   * the outcome: a failure carries a reason; a completion is with {@code provenKey}, the only key
   * whose holder could have signed it.
   */
  static void feed(Handshake handshake, byte[] input, dev.kadmesh.p2p.crypto.PublicKey provenKey) {
    for (byte[] message : split(input)) {
      try {
        handshake.handle(message);
      } catch (HandshakeException e) {
        assertThat(e.reason()).isNotNull();
        assertThat(handshake.isComplete()).isFalse();
        return;
      }
      if (handshake.isComplete()) {
        assertThat(handshake.remoteStaticKey()).isEqualTo(provenKey);
        assertThat(handshake.sessionKeys()).isNotNull();
        return;
      }
    }
  }

  /** Messages as {@code <uint16 length><bytes>...}. */
  static byte[] join(byte[]... messages) {
    ByteBuffer b = ByteBuffer.allocate(2 * messages.length + java.util.Arrays.stream(messages)
        .mapToInt(m -> m.length).sum());
    for (byte[] m : messages) {
      b.putShort((short) m.length).put(m);
    }
    return b.array();
  }

  /**
   * The inverse of {@link #join}, for any bytes: the length-prefixed messages, then whatever
   * bytes remain (if any) as one more message.
   */
  static List<byte[]> split(byte[] input) {
    List<byte[]> out = new ArrayList<>();
    int at = 0;
    while (input.length - at >= 2) {
      int n = ((input[at] & 0xff) << 8) | (input[at + 1] & 0xff);
      if (n > input.length - at - 2) {
        break;
      }
      out.add(java.util.Arrays.copyOfRange(input, at + 2, at + 2 + n));
      at += 2 + n;
    }
    if (at < input.length) {
      out.add(java.util.Arrays.copyOfRange(input, at, input.length));
    }
    return out;
  }
}
