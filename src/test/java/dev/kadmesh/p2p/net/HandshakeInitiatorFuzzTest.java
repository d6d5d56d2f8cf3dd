package dev.kadmesh.p2p.net;

import static dev.kadmesh.p2p.net.HandshakeFuzzing.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kadmesh.fuzz.FuzzSeeds;
import org.junit.jupiter.api.Test;

/**
 * The initiator's side of the handshake (it dialled Bob) against any answers: it either fails with
 * a reason or completes, and it completes only with Bob, the key it dialled.
 */
class HandshakeInitiatorFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void theInitiatorFailsWithAReasonOrCompletesWithTheKeyItDialled(byte[] input) {
    Handshake initiator = HandshakeFuzzing.initiator();
    initiator.firstMessage();
    HandshakeFuzzing.feed(initiator, input, BOB.publicKey());
  }

  @Test
  void theSeedIsTheHonestResponse() throws Exception {
    byte[] seed = HandshakeFuzzing.join(HandshakeFuzzing.honestTranscript()[1]);
    Handshake initiator = HandshakeFuzzing.initiator();
    initiator.firstMessage();
    for (byte[] m : HandshakeFuzzing.split(seed)) {
      initiator.handle(m);
    }
    assertThat(initiator.isComplete()).isTrue();
    FuzzSeeds.check(getClass(), "theInitiatorFailsWithAReasonOrCompletesWithTheKeyItDialled",
        "honest", seed);
  }
}
