package dev.kadmesh.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.kadmesh.p2p.gossip.GossipConfig;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.net.CloseReason;
import dev.kadmesh.p2p.net.Connection;
import dev.kadmesh.p2p.net.ScriptedPeer;
import java.net.InetSocketAddress;
import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.MessageStream;
import dev.kadmesh.p2p.swarm.RejectReason;
import dev.kadmesh.p2p.swarm.Swarm;
import dev.kadmesh.p2p.wire.proto.ProtocolMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A malicious peer above the session, over real TCP: Mallory holds an authenticated connection to
 * the honest node and sends it what she likes. Forged and tampered broadcasts are rejected and
 * cost her the connection (and, from her own address, a refusal for a while), an old
 * message replayed after the timestamp window is rejected, a flood of unique broadcasts leaves the
 * seen-cache at its bound, and honest messages keep arriving throughout.
 */
class HostileSwarmTcpTest {
  private final TcpCluster cluster = new TcpCluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** The honest node, Alice (an honest author) and Mallory, both connected to it. */
  private P2PNode[] network(UnaryOperator<P2PConfig> honestConfig) {
    P2PNode honest = cluster.start(List.of(), honestConfig);
    List<Node> boot = List.of(honest.node());
    P2PNode alice = cluster.start(boot);
    P2PNode mallory = cluster.start(boot);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        mallory.pool().get(honest.node().id()).isPresent()
            && alice.pool().get(honest.node().id()).isPresent());
    return new P2PNode[] {honest, alice, mallory};
  }

  private static Connection link(P2PNode from, P2PNode to) {
    return from.pool().get(to.node().id()).orElseThrow();
  }

  private static byte[] payload(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (seed * 31 + i);
    }
    return b;
  }

  /** Every cluster node shares 127.0.0.1: refusing Mallory's address would refuse them all. */
  private static P2PConfig withoutPenalties(P2PConfig c) {
    return c.withNet(c.net().withLimits(c.net().limits().withPenalties(Duration.ZERO,
        Duration.ZERO)));
  }

  @Test
  void forgedAndTamperedBroadcastsAreRejectedAndTheirSenderDisconnected() throws Exception {
    P2PNode[] n = network(HostileSwarmTcpTest::withoutPenalties);
    P2PNode honest = n[0];
    P2PNode alice = n[1];
    P2PNode mallory = n[2];
    MessageStream inbox = honest.swarm().registerProtocol("news");
    byte[] news = payload(100, 1);
    Swarm.Authored genuine = alice.swarm().gossipEnvelope("news", news);

    // Alice's message with one payload byte changed after the first 32
    ProtocolMessage pm = ProtocolMessage.parseFrom(genuine.envelope());
    byte[] changed = news.clone();
    changed[40] ^= 1;
    byte[] tampered = pm.toBuilder().setPayload(ByteString.copyFrom(changed)).build().toByteArray();
    // Mallory's own signed message, relabelled as written by Alice
    ProtocolMessage own = ProtocolMessage.parseFrom(
        mallory.swarm().gossipEnvelope("news", news).envelope());
    byte[] forged = own.toBuilder().setMetadata(own.getMetadata().toBuilder()
        .setAuthPubKey(ByteString.copyFrom(alice.node().id().toBytes()))).build().toByteArray();

    java.util.concurrent.BlockingQueue<CloseReason> closes =
        new java.util.concurrent.LinkedBlockingQueue<>();
    honest.net().subscribe(new dev.kadmesh.p2p.net.NetListener() {
      @Override
      public void onConnectionClosed(Connection connection, CloseReason reason) {
        if (connection.remoteId().equals(mallory.node().id())) {
          closes.add(reason);
        }
      }
    });
    int rejected = 0;
    for (byte[] bad : List.of(tampered, forged)) {
      Connection toHonest = mallory.pool()
          .getConnection(honest.node().address(), honest.node().id()).get(10, TimeUnit.SECONDS);
      toHonest.send(bad).join();
      int expected = ++rejected;
      await().atMost(Duration.ofSeconds(10)).until(() ->
          honest.swarm().stats().rejected(RejectReason.BAD_SIGNATURE) == expected
              && !toHonest.isOpen());
      assertThat(closes.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.PROTOCOL_VIOLATION);
    }
    assertThat(honest.swarm().stats().violations()).isEqualTo(2);
    assertThat(inbox.size()).isZero();
    assertThat(link(alice, honest).isOpen()).as("other peers stay connected").isTrue();

    Connection again = mallory.pool()
        .getConnection(honest.node().address(), honest.node().id()).get(10, TimeUnit.SECONDS);
    again.send(genuine.envelope()).join(); // relayed as is: Alice's words, accepted
    Message m = inbox.poll(Duration.ofSeconds(10));
    assertThat(m).isNotNull();
    assertThat(m.author()).isEqualTo(alice.node().id());
    assertThat(m.sender()).isEqualTo(mallory.node().id());
    assertThat(m.data()).isEqualTo(news);
  }

  @Test
  void aPeerSendingWhatNoHonestNodeSendsHasItsAddressRefusedForAWhile() throws Exception {
    P2PNode honest = cluster.start(List.of(), c -> c.withNet(c.net().withLimits(
        c.net().limits().withPenalties(Duration.ofMinutes(1), Duration.ofMinutes(10)))));
    P2PNode alice = cluster.start(List.of(honest.node()));
    MessageStream inbox = honest.swarm().registerProtocol("chat");
    java.util.concurrent.BlockingQueue<CloseReason> refusals =
        new java.util.concurrent.LinkedBlockingQueue<>();
    honest.net().subscribe(new dev.kadmesh.p2p.net.NetListener() {
      @Override
      public void onHandshakeFailed(InetSocketAddress remote, CloseReason reason) {
        refusals.add(reason);
      }
    });
    InetSocketAddress at = honest.net().listenAddress();
    try (ScriptedPeer mallory = ScriptedPeer.connect(at, honest.node().id(), "127.0.0.2")) {
      mallory.send(new byte[] {(byte) 0xff, 0x01, 0x02}); // not an envelope
      assertThat(mallory.closedByPeer()).isTrue();
    }
    assertThat(honest.swarm().stats().rejected(RejectReason.MALFORMED)).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> honest.net().punished() == 1);
    assertThatThrownBy(() -> ScriptedPeer.connect(at, honest.node().id(), "127.0.0.2").close())
        .isInstanceOf(java.io.IOException.class);
    assertThat(refusals.poll(10, TimeUnit.SECONDS)).as("refused before any handshake work")
        .isEqualTo(CloseReason.PENALIZED);
    // the honest peer on another address is served as before
    alice.swarm().sendTo(honest.node(), "chat", payload(10, 4)).get(10, TimeUnit.SECONDS);
    assertThat(inbox.poll(Duration.ofSeconds(10))).isNotNull();
  }

  @Test
  void aMessageReplayedAfterTheTimestampWindowIsRejected() throws Exception {
    Duration window = Duration.ofSeconds(1);
    P2PNode[] n = network(c -> c.withSwarm(c.swarm().withMessageWindow(window)));
    P2PNode honest = n[0];
    MessageStream inbox = honest.swarm().registerProtocol("news");
    Swarm.Authored genuine = n[1].swarm().gossipEnvelope("news", payload(50, 2));
    long authored = ProtocolMessage.parseFrom(genuine.envelope()).getMetadata().getTimestamp();
    Connection toHonest = link(n[2], honest);

    toHonest.send(genuine.envelope()).join();
    assertThat(inbox.poll(Duration.ofSeconds(10))).isNotNull();
    long duplicates = honest.gossip().duplicates();
    toHonest.send(genuine.envelope()).join(); // again within the window: a known duplicate
    await().atMost(Duration.ofSeconds(10))
        .until(() -> honest.gossip().duplicates() > duplicates);

    // once the window has passed the same bytes are refused for their age
    await().atMost(Duration.ofSeconds(10))
        .until(() -> System.currentTimeMillis() > authored + window.toMillis() + 200);
    toHonest.send(genuine.envelope()).join();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        honest.swarm().stats().rejected(RejectReason.TIMESTAMP) >= 1);
    assertThat(inbox.size()).as("delivered once only").isZero();
  }

  @Test
  void aFloodOfUniqueBroadcastsLeavesTheSeenCacheAtItsBound() throws Exception {
    int capacity = 500;
    int flood = 3000;
    // the stream holds more than the flood, so that this test's reading speed cannot lose any
    P2PNode[] n = network(c -> c.withGossip(GossipConfig.defaults().withSeenCapacity(capacity))
        .withSwarm(c.swarm().withInboxCapacity(2 * flood)));
    P2PNode honest = n[0];
    P2PNode mallory = n[2];
    MessageStream inbox = honest.swarm().registerProtocol("flood");
    MessageStream news = honest.swarm().registerProtocol("news");
    Connection toHonest = link(mallory, honest);
    for (int i = 0; i < flood; i++) {
      toHonest.send(mallory.swarm().gossipEnvelope("flood", payload(32, i)).envelope());
    }
    for (int got = 0; got < flood; got++) { // every one of them valid: all delivered
      assertThat(inbox.poll(Duration.ofSeconds(20))).as("message %d of %d (%d dropped)", got,
          flood, inbox.dropped()).isNotNull();
      assertThat(honest.gossip().seenSize()).isLessThanOrEqualTo(capacity);
    }
    assertThat(inbox.dropped()).isZero();
    assertThat(honest.swarm().stats().rejected(RejectReason.BAD_SIGNATURE)).isZero();

    n[1].gossip().broadcast("news", payload(20, 3)).get(10, TimeUnit.SECONDS);
    assertThat(news.poll(Duration.ofSeconds(10))).as("an honest broadcast still arrives")
        .isNotNull();
  }
}
