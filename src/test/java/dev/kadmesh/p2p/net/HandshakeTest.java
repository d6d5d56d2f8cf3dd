package dev.kadmesh.p2p.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.kadmesh.p2p.crypto.AeadCipher;
import dev.kadmesh.p2p.crypto.AeadException;
import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.wire.proto.HandshakeData;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class HandshakeTest {
  private static final long NOW = 1_800_000_000_000L;
  private final SecureRandom random = new SecureRandom();
  private final PrivateKey alice = PrivateKey.generate(random);
  private final PrivateKey bob = PrivateKey.generate(random);

  private HandshakeConfig config(int network, String version, long clock) {
    return new HandshakeConfig(network, version, Duration.ofSeconds(30), () -> clock, random);
  }

  private HandshakeConfig config() {
    return config(1, "kadmesh/1.2.3", NOW);
  }

  /** A full handshake; each message passes through the given hooks (identity = honest wire). */
  private Handshake[] run(
      Handshake initiator,
      Handshake responder,
      UnaryOperator<byte[]> onReq,
      UnaryOperator<byte[]> onResp,
      UnaryOperator<byte[]> onFin)
      throws HandshakeException {
    byte[] req = onReq.apply(initiator.firstMessage());
    byte[] resp = onResp.apply(responder.handle(req).orElseThrow());
    byte[] fin = onFin.apply(initiator.handle(resp).orElseThrow());
    assertThat(responder.handle(fin)).isEmpty();
    return new Handshake[] {initiator, responder};
  }

  private Handshake[] honest() throws HandshakeException {
    return run(
        Handshake.initiator(config(), alice, bob.publicKey()),
        Handshake.responder(config(), bob),
        m -> m,
        m -> m,
        m -> m);
  }

  @Test
  void bothSidesCompleteWithMatchingDirectionalKeys() throws Exception {
    Handshake[] hs = honest();
    Handshake i = hs[0];
    Handshake r = hs[1];
    assertThat(i.isComplete()).isTrue();
    assertThat(r.isComplete()).isTrue();
    assertThat(r.remoteStaticKey()).isEqualTo(alice.publicKey());
    assertThat(i.remoteStaticKey()).isEqualTo(bob.publicKey());
    assertThat(r.remoteClientVersion()).isEqualTo("kadmesh/1.2.3");
    assertThat(i.sessionKeys().sendKey()).isEqualTo(r.sessionKeys().receiveKey());
    assertThat(i.sessionKeys().receiveKey()).isEqualTo(r.sessionKeys().sendKey());
    assertThat(i.sessionKeys().sendKey()).isNotEqualTo(i.sessionKeys().receiveKey());

    Session a = new Session(i.sessionKeys());
    Session b = new Session(r.sessionKeys());
    assertThat(new String(open(b, seal(a, "ping".getBytes(StandardCharsets.UTF_8))),
        StandardCharsets.UTF_8)).isEqualTo("ping");
    assertThat(new String(open(a, seal(b, "pong".getBytes(StandardCharsets.UTF_8))),
        StandardCharsets.UTF_8)).isEqualTo("pong");
  }

  @Test
  void everyHandshakeGetsFreshKeys() throws Exception {
    assertThat(honest()[0].sessionKeys().sendKey()).isNotEqualTo(honest()[0].sessionKeys().sendKey());
  }

  @Test
  void theResponderContributesItsOwnEphemeralKeyToo() throws Exception {
    // the same request (same initiator ephemeral key) answered twice gives two different sessions
    Handshake i = Handshake.initiator(config(), alice, bob.publicKey());
    byte[] req = i.firstMessage();
    Handshake r1 = Handshake.responder(config(), bob);
    Handshake r2 = Handshake.responder(config(), bob);
    HandshakeData resp1 = HandshakeData.parseFrom(r1.handle(req).orElseThrow());
    HandshakeData resp2 = HandshakeData.parseFrom(r2.handle(req).orElseThrow());
    assertThat(resp1.getPubKey()).isNotEqualTo(resp2.getPubKey());
    assertThat(resp1.getPubKey()).isNotEqualTo(HandshakeData.parseFrom(req).getPubKey());
    assertThat(resp1.getPubKey()).isNotEqualTo(ByteString.copyFrom(bob.publicKey().toBytes()));
  }

  @Test
  void aDifferentNetworkIsRejectedByTheResponder() {
    Handshake i = Handshake.initiator(config(1, "kadmesh/1.0.0", NOW), alice, bob.publicKey());
    Handshake r = Handshake.responder(config(2, "kadmesh/1.0.0", NOW), bob);
    HandshakeException e =
        catchThrowableOfType(HandshakeException.class, () -> r.handle(i.firstMessage()));
    assertThat(e.reason()).isEqualTo(CloseReason.NETWORK_MISMATCH);
  }

  @Test
  void aDifferentNetworkIsRejectedByTheInitiator() throws Exception {
    Handshake i = Handshake.initiator(config(1, "kadmesh/1.0.0", NOW), alice, bob.publicKey());
    Handshake r = Handshake.responder(config(2, "kadmesh/1.0.0", NOW), bob);
    byte[] req = HandshakeData.parseFrom(i.firstMessage()).toBuilder().setNetworkID(2).build()
        .toByteArray();
    byte[] resp = r.handle(req).orElseThrow();
    HandshakeException e = catchThrowableOfType(HandshakeException.class, () -> i.handle(resp));
    assertThat(e.reason()).isEqualTo(CloseReason.NETWORK_MISMATCH);
  }

  @Test
  void anIncompatibleVersionIsRejectedByBothSides() throws Exception {
    Handshake i = Handshake.initiator(config(1, "kadmesh/1.0.0", NOW), alice, bob.publicKey());
    Handshake r = Handshake.responder(config(1, "kadmesh/2.0.0", NOW), bob);
    byte[] req = i.firstMessage();
    assertThat(catchThrowableOfType(HandshakeException.class, () -> r.handle(req)).reason())
        .isEqualTo(CloseReason.VERSION_MISMATCH);

    Handshake r2 = Handshake.responder(config(1, "kadmesh/2.0.0", NOW), bob);
    byte[] forged = HandshakeData.parseFrom(req).toBuilder().setClientVersion("kadmesh/2.1.0")
        .build().toByteArray();
    byte[] resp = r2.handle(forged).orElseThrow();
    assertThat(catchThrowableOfType(HandshakeException.class, () -> i.handle(resp)).reason())
        .isEqualTo(CloseReason.VERSION_MISMATCH);
  }

  @Test
  void timestampsTooOldOrInTheFutureAreRejectedByBothSides() throws Exception {
    long skew = Duration.ofSeconds(31).toMillis();
    for (long offset : new long[] {skew, -skew}) {
      Handshake i = Handshake.initiator(config(1, "kadmesh/1.0.0", NOW + offset), alice,
          bob.publicKey());
      Handshake r = Handshake.responder(config(1, "kadmesh/1.0.0", NOW), bob);
      assertThat(catchThrowableOfType(HandshakeException.class, () -> r.handle(i.firstMessage()))
          .reason()).isEqualTo(CloseReason.CLOCK_SKEW);

      Handshake i2 = Handshake.initiator(config(1, "kadmesh/1.0.0", NOW), alice, bob.publicKey());
      Handshake r2 = Handshake.responder(config(1, "kadmesh/1.0.0", NOW + offset), bob);
      byte[] req = HandshakeData.parseFrom(i2.firstMessage()).toBuilder()
          .setTimestamp(NOW + offset).build().toByteArray();
      byte[] resp = r2.handle(req).orElseThrow();
      assertThat(catchThrowableOfType(HandshakeException.class, () -> i2.handle(resp)).reason())
          .isEqualTo(CloseReason.CLOCK_SKEW);
    }
  }

  @Test
  void theFinishTimestampIsCheckedToo() throws Exception {
    Handshake i = Handshake.initiator(config(), alice, bob.publicKey());
    Handshake r = Handshake.responder(config(), bob);
    byte[] fin = i.handle(r.handle(i.firstMessage()).orElseThrow()).orElseThrow();
    byte[] late = HandshakeData.parseFrom(fin).toBuilder().setTimestamp(NOW + 31_000).build()
        .toByteArray();
    assertThat(catchThrowableOfType(HandshakeException.class, () -> r.handle(late)).reason())
        .isEqualTo(CloseReason.CLOCK_SKEW);
    assertThat(r.isComplete()).isFalse();
  }

  @Test
  void aForgedResponseSignatureIsRejected() throws Exception {
    Handshake i = Handshake.initiator(config(), alice, bob.publicKey());
    Handshake r = Handshake.responder(config(), bob);
    byte[] resp = r.handle(i.firstMessage()).orElseThrow();
    HandshakeData m = HandshakeData.parseFrom(resp);
    byte[] sig = m.getSign().toByteArray();
    sig[10] ^= 1;
    byte[] forged = m.toBuilder().setSign(ByteString.copyFrom(sig)).build().toByteArray();
    assertThat(catchThrowableOfType(HandshakeException.class, () -> i.handle(forged)).reason())
        .isEqualTo(CloseReason.BAD_SIGNATURE);
  }

  @Test
  void aDifferentKeyAnsweringIsRejected() throws Exception {
    PrivateKey mallory = PrivateKey.generate(random);
    Handshake i = Handshake.initiator(config(), alice, bob.publicKey());
    Handshake r = Handshake.responder(config(), mallory);
    byte[] resp = r.handle(i.firstMessage()).orElseThrow();
    assertThat(catchThrowableOfType(HandshakeException.class, () -> i.handle(resp)).reason())
        .isEqualTo(CloseReason.WRONG_KEY);
  }

  @Test
  void aRecordedHandshakeCannotBeReplayed() throws Exception {
    byte[][] recorded = new byte[3][];
    run(
        Handshake.initiator(config(), alice, bob.publicKey()),
        Handshake.responder(config(), bob),
        m -> recorded[0] = m,
        m -> recorded[1] = m,
        m -> recorded[2] = m);

    // Replaying the initiator's messages to a responder: the responder's fresh nonce and
    // ephemeral key change the transcript, so the recorded finish signature no longer verifies.
    Handshake r = Handshake.responder(config(), bob);
    r.handle(recorded[0]).orElseThrow();
    assertThat(catchThrowableOfType(HandshakeException.class, () -> r.handle(recorded[2])).reason())
        .isEqualTo(CloseReason.BAD_SIGNATURE);
    assertThat(r.isComplete()).isFalse();

    // Replaying the responder's answer to an initiator: it belongs to another session.
    Handshake i = Handshake.initiator(config(), alice, bob.publicKey());
    i.firstMessage();
    assertThat(catchThrowableOfType(HandshakeException.class, () -> i.handle(recorded[1])).reason())
        .isEqualTo(CloseReason.MALFORMED_HANDSHAKE);
  }

  @Test
  void oneFlippedBitAnywhereInAnyHandshakeMessageStopsTheSession() throws Exception {
    byte[][] honestMessages = new byte[3][];
    run(
        Handshake.initiator(config(), alice, bob.publicKey()),
        Handshake.responder(config(), bob),
        m -> honestMessages[0] = m,
        m -> honestMessages[1] = m,
        m -> honestMessages[2] = m);
    for (int msg = 0; msg < 3; msg++) {
      int length = honestMessages[msg].length;
      for (int pos = 0; pos < length; pos++) {
        for (int bit : new int[] {0x01, 0x80}) {
          int target = msg;
          int at = pos;
          UnaryOperator<byte[]> flip = m -> {
            byte[] copy = m.clone();
            if (at < copy.length) {
              copy[at] ^= (byte) bit;
            }
            return copy;
          };
          Handshake i = Handshake.initiator(config(), alice, bob.publicKey());
          Handshake r = Handshake.responder(config(), bob);
          boolean established;
          try {
            run(i, r, target == 0 ? flip : m -> m, target == 1 ? flip : m -> m,
                target == 2 ? flip : m -> m);
            established = true;
          } catch (HandshakeException | RuntimeException e) {
            established = false;
          }
          assertThat(established)
              .as("message %d, byte %d, bit %02x", msg, pos, bit)
              .isFalse();
          assertThat(r.isComplete()).isFalse();
        }
      }
    }
  }

  @Test
  void connectingToOurselvesIsRejected() throws Exception {
    assertThatThrownBy(() -> Handshake.initiator(config(), alice, alice.publicKey()))
        .hasMessageContaining("ourselves");
    Handshake i = Handshake.initiator(config(), alice, bob.publicKey());
    Handshake r = Handshake.responder(config(), alice);
    assertThat(catchThrowableOfType(HandshakeException.class, () -> r.handle(i.firstMessage()))
        .reason()).isEqualTo(CloseReason.SELF_CONNECTION);
  }

  @Test
  void garbageAndOutOfOrderMessagesAreMalformed() throws Exception {
    Handshake r = Handshake.responder(config(), bob);
    assertThat(catchThrowableOfType(HandshakeException.class,
        () -> r.handle(new byte[] {(byte) 0xff, 0x01, 0x02})).reason())
        .isEqualTo(CloseReason.MALFORMED_HANDSHAKE);

    Handshake i = Handshake.initiator(config(), alice, bob.publicKey());
    byte[] req = i.firstMessage();
    Handshake r2 = Handshake.responder(config(), bob);
    r2.handle(req);
    // a second request where the finish is expected
    assertThat(catchThrowableOfType(HandshakeException.class, () -> r2.handle(req)).reason())
        .isEqualTo(CloseReason.MALFORMED_HANDSHAKE);
  }

  @Test
  void sessionRejectsReflectedReplayedReorderedAndTamperedFrames() throws Exception {
    Handshake[] hs = honest();
    byte[] first = "first".getBytes(StandardCharsets.UTF_8);
    byte[] second = "second".getBytes(StandardCharsets.UTF_8);

    Session a = new Session(hs[0].sessionKeys());
    byte[] f1 = seal(a, first);
    byte[] f2 = seal(a, second);
    // reflected: our own frame sent back to us
    assertThatThrownBy(() -> open(new Session(hs[0].sessionKeys()), f1))
        .isInstanceOf(AeadException.class);
    // reordered
    assertThatThrownBy(() -> open(new Session(hs[1].sessionKeys()), f2))
        .isInstanceOf(AeadException.class);
    // replayed
    Session b = new Session(hs[1].sessionKeys());
    assertThat(open(b, f1)).isEqualTo(first);
    assertThatThrownBy(() -> open(b, f1)).isInstanceOf(AeadException.class);
    // tampered, every bit of every byte
    for (int pos = 0; pos < f1.length; pos++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] t = f1.clone();
        t[pos] ^= (byte) (1 << bit);
        Session fresh = new Session(hs[1].sessionKeys());
        assertThatThrownBy(() -> open(fresh, t)).isInstanceOf(AeadException.class);
      }
    }
  }

  @Test
  void aFrameSplitAcrossBuffersOpensLikeAContiguousOne() throws Exception {
    Handshake[] hs = honest();
    Session a = new Session(hs[0].sessionKeys());
    Session b = new Session(hs[1].sessionKeys());
    byte[] message = new byte[5000];
    new java.util.Random(7).nextBytes(message);
    byte[] sealed = seal(a, message);
    io.netty.buffer.CompositeByteBuf split = io.netty.buffer.Unpooled.compositeBuffer();
    split.addComponent(true, io.netty.buffer.Unpooled.wrappedBuffer(sealed, 0, 1234));
    split.addComponent(true,
        io.netty.buffer.Unpooled.wrappedBuffer(sealed, 1234, sealed.length - 1234));
    assertThat(split.nioBufferCount()).isEqualTo(2);
    assertThat(b.open(split)).isEqualTo(message);
    assertThat(open(b, seal(a, message))).isEqualTo(message); // the next one, contiguous
    split.release();
  }

  private static byte[] seal(Session session, byte[] plaintext) {
    byte[] sealed = SessionBytes.seal(session, plaintext);
    assertThat(sealed).hasSize(plaintext.length + AeadCipher.TAG_LENGTH);
    return sealed;
  }

  private static byte[] open(Session session, byte[] frame) throws AeadException {
    return SessionBytes.open(session, frame);
  }
}
