package dev.kadmesh.p2p.dht;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kadmesh.fuzz.FuzzSeeds;
import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.wire.proto.FindNodeResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * FindNode answers are untrusted input: whatever a peer sends, parsing returns either "malformed"
 * or at most k nodes, each with a valid key, never ourselves, never twice, and accounts for every
 * entry it dropped. The seed is an honest answer with one repeat and our own id in it.
 */
class FindNodeResponseFuzzTest {
  private static final int K = 8;
  private static final NodeId SELF = node(0).id();

  private static Node node(int i) {
    return new Node(NodeId.of(PrivateKey.generate(FuzzSeeds.deterministic(100 + i))
        .publicKey()), "10.0.0." + (i + 1), 7000 + i);
  }

  @FuzzTest(maxDuration = "10s")
  void anyAnswerParsesIntoValidDistinctNodesOrIsMalformed(byte[] answer) {
    FindNodeCodec.Parsed parsed = FindNodeCodec.parseResponse(answer, SELF, K);
    if (parsed == null) {
      return;
    }
    int entries;
    try {
      entries = FindNodeResponse.parseFrom(answer).getNodesCount();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("parsed although it is not a FindNode answer", e);
    }
    assertThat(entries).isLessThanOrEqualTo(K);
    assertThat(parsed.nodes().size() + parsed.dropped()).isEqualTo(entries);
    Set<NodeId> ids = new HashSet<>();
    for (Node n : parsed.nodes()) {
      assertThat(ids.add(n.id())).as("no node twice").isTrue();
      assertThat(n.id()).isNotEqualTo(SELF);
      assertThat(n.port()).isBetween(1, 65535);
      assertThat(Node.validHost(n.host())).isTrue();
    }
  }

  @Test
  void theSeedIsAnHonestAnswerWithARepeatAndOurselves() {
    List<Node> nodes = new ArrayList<>(List.of(node(1), node(2), node(3)));
    nodes.add(node(2));
    nodes.add(node(0));
    byte[] seed = FindNodeCodec.response(nodes);
    FindNodeCodec.Parsed parsed = FindNodeCodec.parseResponse(seed, SELF, K);
    assertThat(parsed.nodes()).containsExactly(node(1), node(2), node(3));
    assertThat(parsed.dropped()).isEqualTo(2);
    FuzzSeeds.check(getClass(), "anyAnswerParsesIntoValidDistinctNodesOrIsMalformed", "honest",
        seed);
  }
}
