package dev.kadmesh.p2p.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.kadmesh.fuzz.FuzzSeeds;
import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.time.VirtualScheduler;
import dev.kadmesh.p2p.wire.proto.Metadata;
import dev.kadmesh.p2p.wire.proto.ProtocolMessage;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever a session peer sends above the session, the swarm decodes and validates it without
 * throwing, accounts for it exactly once (delivered, or rejected with a reason), and delivers
 * only messages that its sender wrote. The seeds are an honest direct message, unsigned and
 * signed.
 */
class EnvelopeFuzzTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final SecureRandom KEYS = FuzzSeeds.deterministic(7);
  private static final LocalNode ALICE = LocalNode.generate("127.0.0.1", 1001, KEYS);
  private static final LocalNode BOB = LocalNode.generate("127.0.0.1", 1002, KEYS);
  private static final MemoryTransport.Network NETWORK = new MemoryTransport.Network();
  private static final MemoryTransport BOB_NET = new MemoryTransport(NETWORK, BOB.node());
  private static final Swarm BOB_SWARM = new Swarm(SwarmConfig.defaults("kadmesh/0.1.0", 4096),
      BOB, BOB_NET, new VirtualScheduler(T0), new Random(1));
  private static final MessageStream INBOX = BOB_SWARM.registerProtocol("chat");

  private static long accounted() {
    long n = BOB_SWARM.stats().delivered();
    for (RejectReason r : RejectReason.values()) {
      n += BOB_SWARM.stats().rejected(r);
    }
    return n;
  }

  @FuzzTest(maxDuration = "10s")
  void everyEnvelopeIsDeliveredFromItsWriterOrRejectedOnce(byte[] envelope) {
    long received = BOB_SWARM.stats().received();
    long before = accounted();
    BOB_NET.inject(ALICE.node(), envelope);
    assertThat(BOB_SWARM.stats().received()).isEqualTo(received + 1);
    assertThat(accounted()).isEqualTo(before + 1);
    Message m;
    while ((m = INBOX.poll()) != null) {
      assertThat(m.sender()).isEqualTo(ALICE.id());
      assertThat(m.author()).isEqualTo(ALICE.id());
      assertThat(m.protocol()).isEqualTo("chat");
    }
  }

  private static byte[] honest(boolean sign) {
    byte[] payload = "hello, bob".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Metadata unsigned = Metadata.newBuilder()
        .setProtocol("chat")
        .setReqId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setClientVersion("kadmesh/0.1.0")
        .setTimestamp(T0)
        .setAuthPubKey(ByteString.copyFrom(ALICE.id().toBytes()))
        .build();
    Metadata md = sign ? unsigned.toBuilder().setAuthorSign(ByteString.copyFrom(
        Envelope.sign(ALICE.privateKey(), unsigned, payload))).build() : unsigned;
    return ProtocolMessage.newBuilder().setMetadata(md).setPayload(ByteString.copyFrom(payload))
        .build().toByteArray();
  }

  @Test
  void theSeedsAreHonestMessagesThatArrive() {
    String method = "everyEnvelopeIsDeliveredFromItsWriterOrRejectedOnce";
    for (boolean sign : new boolean[] {false, true}) {
      byte[] seed = honest(sign);
      long delivered = BOB_SWARM.stats().delivered();
      BOB_NET.inject(ALICE.node(), seed);
      assertThat(BOB_SWARM.stats().delivered()).isEqualTo(delivered + 1);
      assertThat(Arrays.equals(INBOX.poll().data(), "hello, bob".getBytes(
          java.nio.charset.StandardCharsets.UTF_8))).isTrue();
      FuzzSeeds.check(getClass(), method, sign ? "signed" : "unsigned", seed);
    }
  }
}
