package dev.kadmesh.p2p.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kadmesh.p2p.crypto.Base58;
import dev.kadmesh.p2p.crypto.Hashes;
import dev.kadmesh.p2p.crypto.PrivateKey;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeTest {
  private final SecureRandom random = new SecureRandom(new byte[] {2});

  private NodeId newId() {
    return NodeId.of(PrivateKey.generate(random).publicKey());
  }

  @Test
  void nodeStringRoundTrips() {
    Node node = new Node(newId(), "127.0.0.1", 7513);
    String text = node.toString();
    assertThat(text).startsWith("127.0.0.1:7513/").endsWith(node.id().toBase58());
    assertThat(Node.parse(text)).isEqualTo(node);
  }

  @Test
  void ipv6NodeStringsUseBrackets() {
    Node node = new Node(newId(), "::1", 7513);
    assertThat(node.toString()).startsWith("[::1]:7513/");
    assertThat(Node.parse(node.toString())).isEqualTo(node);
  }

  @Test
  void dhtIdIsSha256OfTheCompressedKey() {
    NodeId id = newId();
    assertThat(id.dhtId().toBytes()).isEqualTo(Hashes.sha256(id.toBytes()));
  }

  @Test
  void eachKindOfBadNodeStringHasItsOwnMessage() {
    String key = newId().toBase58();
    assertThatThrownBy(() -> Node.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Node.parse("127.0.0.1:7513"))
        .isInstanceOf(NodeStringException.class)
        .hasMessageContaining("missing '/<base58 public key>'");
    assertThatThrownBy(() -> Node.parse("127.0.0.1:7513/"))
        .hasMessageContaining("missing public key");
    assertThatThrownBy(() -> Node.parse("127.0.0.1/" + key)).hasMessageContaining("missing port");
    assertThatThrownBy(() -> Node.parse("127.0.0.1:/" + key)).hasMessageContaining("missing port");
    assertThatThrownBy(() -> Node.parse(":7513/" + key)).hasMessageContaining("missing host");
    assertThatThrownBy(() -> Node.parse("127.0.0.1:abc/" + key))
        .hasMessageContaining("bad port 'abc'");
    assertThatThrownBy(() -> Node.parse("127.0.0.1:70000/" + key))
        .hasMessageContaining("bad port 70000");
    assertThatThrownBy(() -> Node.parse("127.0.0.1:0/" + key)).hasMessageContaining("bad port 0");
    assertThatThrownBy(() -> Node.parse("127.0.0.1:7513/0OIl"))
        .hasMessageContaining("invalid base58 character '0'");
    assertThatThrownBy(() -> Node.parse("127.0.0.1:7513/" + Base58.encode(new byte[32])))
        .hasMessageContaining("must be 33 bytes");
    byte[] offCurve = new byte[33];
    offCurve[0] = 0x02;
    offCurve[32] = 5;
    assertThatThrownBy(() -> Node.parse("127.0.0.1:7513/" + Base58.encode(offCurve)))
        .hasMessageContaining("not a point on secp256k1");
    assertThatThrownBy(() -> Node.parse("::1:7513/" + key)).hasMessageContaining("brackets");
    assertThatThrownBy(() -> Node.parse("bad host:7513/" + key)).hasMessageContaining("bad host");
    assertThatThrownBy(() -> Node.parse("0.0.0.0:7513/" + key)).hasMessageContaining("bad host");
    assertThatThrownBy(() -> Node.parse("evil\nhost:7513/" + key)).hasMessageContaining("bad host");
  }

  @Test
  void unionKeepsEachIdOnceInOrderOfFirstAppearance() {
    Node a = new Node(newId(), "127.0.0.1", 1);
    Node b = new Node(newId(), "127.0.0.1", 2);
    Node c = new Node(newId(), "127.0.0.1", 3);
    Node bElsewhere = new Node(b.id(), "127.0.0.2", 9);
    assertThat(Node.union(List.of(a, b), List.of(bElsewhere, c, a))).containsExactly(a, b, c);
  }

  @Test
  void sortByDistancePutsTheClosestFirst() {
    List<Node> nodes =
        List.of(
            new Node(newId(), "h", 1),
            new Node(newId(), "h", 2),
            new Node(newId(), "h", 3),
            new Node(newId(), "h", 4));
    DhtId target = nodes.get(2).dhtId();
    List<Node> sorted = Node.sortByDistance(nodes, target);
    assertThat(sorted.get(0)).isEqualTo(nodes.get(2));
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(target.compareDistance(sorted.get(i - 1).dhtId(), sorted.get(i).dhtId()))
          .isNegative();
    }
  }
}
