package dev.kadmesh.p2p.net;

import static dev.kadmesh.p2p.net.HandshakeFuzzing.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kadmesh.fuzz.FuzzSeeds;
import org.junit.jupiter.api.Test;

/**
 * The responder's side of the handshake against any sequence of messages: it either fails with a
 * reason (the connection is then closed) or completes, and it completes only with the one key
 * that can sign (Alice's, from the honest seed): no input makes it accept an identity nobody
 * proved.
 */
class HandshakeResponderFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void theResponderFailsWithAReasonOrCompletesWithAProvenKey(byte[] input) {
    HandshakeFuzzing.feed(HandshakeFuzzing.responder(), input, ALICE.publicKey());
  }

  @Test
  void theSeedIsTheHonestRequestAndFinish() throws Exception {
    byte[][] t = HandshakeFuzzing.honestTranscript();
    byte[] seed = HandshakeFuzzing.join(t[0], t[2]);
    Handshake responder = HandshakeFuzzing.responder();
    for (byte[] m : HandshakeFuzzing.split(seed)) {
      responder.handle(m);
    }
    assertThat(responder.isComplete()).isTrue();
    FuzzSeeds.check(getClass(), "theResponderFailsWithAReasonOrCompletesWithAProvenKey", "honest",
        seed);
  }
}
