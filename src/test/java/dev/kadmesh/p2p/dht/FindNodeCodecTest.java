package dev.kadmesh.p2p.dht;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.identity.DhtId;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.wire.proto.FindNodeResponse;
import dev.kadmesh.p2p.wire.proto.NodeInfo;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class FindNodeCodecTest {
  private final SecureRandom random = new SecureRandom(new byte[] {7});

  private Node node(int port) {
    return new Node(NodeId.of(PrivateKey.generate(random).publicKey()), "127.0.0.1", port);
  }

  private static NodeInfo info(byte[] key, String host, int port) {
    return NodeInfo.newBuilder().setPubKey(ByteString.copyFrom(key)).setHost(host).setPort(port)
        .build();
  }

  @Test
  void junkEntriesAreDroppedAndCounted() {
    Node self = node(1);
    Node good1 = node(2);
    Node good2 = node(3);
    byte[] offCurve = new byte[33];
    offCurve[0] = 2;
    offCurve[32] = 5;
    byte[] answer = FindNodeResponse.newBuilder()
        .addNodes(info(good1.id().toBytes(), "127.0.0.1", 2))
        .addNodes(info(new byte[12], "127.0.0.1", 5))              // wrong key length
        .addNodes(info(offCurve, "127.0.0.1", 5))                  // not a curve point
        .addNodes(info(node(6).id().toBytes(), "evil host", 6))     // bad host
        .addNodes(info(node(7).id().toBytes(), "127.0.0.1", 0))     // bad port
        .addNodes(info(node(8).id().toBytes(), "127.0.0.1", 70000)) // bad port
        .addNodes(info(self.id().toBytes(), "127.0.0.1", 1))       // ourselves
        .addNodes(info(good1.id().toBytes(), "127.0.0.9", 9))       // repeated
        .addNodes(info(good2.id().toBytes(), "node-2.kadmesh.svc", 3))
        .build().toByteArray();
    FindNodeCodec.Parsed parsed = FindNodeCodec.parseResponse(answer, self.id(), 20);
    assertThat(parsed.nodes()).containsExactly(good1,
        new Node(good2.id(), "node-2.kadmesh.svc", 3));
    assertThat(parsed.dropped()).isEqualTo(7);
  }

  @Test
  void anAnswerWithMoreThanKEntriesIsMalformedAndNotDecoded() {
    FindNodeResponse.Builder b = FindNodeResponse.newBuilder();
    byte[] key = node(1).id().toBytes();
    for (int i = 0; i < 21; i++) {
      b.addNodes(info(key, "127.0.0.1", 1));
    }
    assertThat(FindNodeCodec.parseResponse(b.build().toByteArray(), node(2).id(), 20)).isNull();
  }

  @Test
  void malformedMessagesAreRecognised() {
    assertThat(FindNodeCodec.parseResponse(new byte[] {(byte) 0xff, 1}, node(1).id(), 20)).isNull();
    assertThat(FindNodeCodec.parseRequest(new byte[] {(byte) 0xff, 1})).isNull();
    assertThat(FindNodeCodec.parseRequest(FindNodeCodec.request(DhtId.fromBytes(new byte[32]))))
        .isEqualTo(DhtId.fromBytes(new byte[32]));
    byte[] shortTarget = dev.kadmesh.p2p.wire.proto.FindNodeRequest.newBuilder()
        .setTarget(ByteString.copyFrom(new byte[5])).build().toByteArray();
    assertThat(FindNodeCodec.parseRequest(shortTarget)).isNull();
  }
}
