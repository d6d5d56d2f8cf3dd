package dev.kadmesh.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.kadmesh.p2p.dht.LookupResult;
import dev.kadmesh.p2p.identity.DhtId;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.swarm.MessageStream;
import dev.kadmesh.p2p.swarm.RejectReason;
import dev.kadmesh.p2p.swarm.Transport;
import dev.kadmesh.p2p.wire.proto.FindNodeResponse;
import dev.kadmesh.p2p.wire.proto.NodeInfo;
import dev.kadmesh.p2p.wire.proto.ProtocolMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A malicious DHT node over real TCP: Mallory answers every FindNode with junk, in turn an answer
 * far above k entries, one node repeated, the asker's own id, and keys and addresses that do not
 * parse. The honest node's lookups still find every honest node, its routing table holds only
 * real, distinct nodes and never itself, the junk is counted, and it keeps serving its peers.
 */
class HostileFindNodeTcpTest {
  private static final String FIND_NODE = "dht/findnode";
  private final TcpCluster cluster = new TcpCluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** Rewrites the FindNode answers a node sends; everything else passes unchanged. */
  private static final class JunkAnswers implements Transport {
    private final Transport inner;
    private final List<Node> honest;
    private final AtomicInteger answers = new AtomicInteger();
    private final java.util.Map<NodeId, AtomicInteger> answersTo =
        new java.util.concurrent.ConcurrentHashMap<>();
    private final Random random = new Random(8);

    JunkAnswers(Transport inner, List<Node> honest) {
      this.inner = inner;
      this.honest = honest;
    }

    @Override
    public CompletableFuture<Void> send(NodeId to, Node address, byte[] envelope) {
      try {
        ProtocolMessage pm = ProtocolMessage.parseFrom(envelope);
        if (pm.getMetadata().getProtocol().equals(FIND_NODE) && pm.getMetadata().getResponse()) {
          byte[] junk = junk(answers.getAndIncrement() % 4, to);
          answersTo.computeIfAbsent(to, id -> new AtomicInteger()).incrementAndGet();
          envelope = pm.toBuilder().setPayload(ByteString.copyFrom(junk))
              .setMetadata(pm.getMetadata().toBuilder().clearAuthorSign()).build().toByteArray();
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
      return inner.send(to, address, envelope);
    }

    /** Junk answers sent to {@code asker} so far. */
    int answeredTo(NodeId asker) {
      AtomicInteger n = answersTo.get(asker);
      return n == null ? 0 : n.get();
    }

    private byte[] junk(int kind, NodeId asker) {
      FindNodeResponse.Builder b = FindNodeResponse.newBuilder();
      switch (kind) {
        case 0 -> { // five times k entries, each with a long host
          for (int i = 0; i < 100; i++) {
            b.addNodes(info(randomKey(), "h" + "x".repeat(200) + i, 7000 + i));
          }
        }
        case 1 -> { // one honest node, twenty times
          Node n = honest.get(0);
          for (int i = 0; i < 20; i++) {
            b.addNodes(info(ByteString.copyFrom(n.id().toBytes()), n.host(), n.port()));
          }
        }
        case 2 -> b.addNodes(info(ByteString.copyFrom(asker.toBytes()), "127.0.0.1", 4000));
        default -> {
          byte[] notOnTheCurve = new byte[33];
          notOnTheCurve[0] = 0x02;
          java.util.Arrays.fill(notOnTheCurve, 1, 33, (byte) 0xff);
          b.addNodes(info(ByteString.copyFrom(notOnTheCurve), "127.0.0.1", 4001));
          b.addNodes(info(ByteString.copyFrom(new byte[] {1, 2, 3}), "127.0.0.1", 4002));
          b.addNodes(info(randomKey(), "", 4003));
          b.addNodes(info(randomKey(), "127.0.0.1", 0));
          b.addNodes(info(randomKey(), "127.0.0.1", 70000));
        }
      }
      return b.build().toByteArray();
    }

    private ByteString randomKey() {
      byte[] k = new byte[33];
      synchronized (random) {
        random.nextBytes(k);
      }
      k[0] = 0x09; // no valid compressed key starts so
      return ByteString.copyFrom(k);
    }

    private static NodeInfo info(ByteString key, String host, int port) {
      return NodeInfo.newBuilder().setPubKey(key).setHost(host).setPort(port).build();
    }

    @Override
    public boolean isConnected(NodeId peer) {
      return inner.isConnected(peer);
    }

    @Override
    public void misbehaved(NodeId peer, RejectReason reason) {
      inner.misbehaved(peer, reason);
    }

    @Override
    public void setReceiver(Receiver receiver) {
      inner.setReceiver(receiver);
    }
  }

  @Test
  void junkFindNodeAnswersAreDroppedAndTheHonestNodeKeepsWorking() throws Exception {
    P2PNode honest = cluster.start(List.of());
    List<Node> boot = List.of(honest.node());
    List<P2PNode> others = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      others.add(cluster.start(boot));
    }
    List<Node> honestNodes = others.stream().map(P2PNode::node).toList();
    JunkAnswers[] junk = new JunkAnswers[1];
    P2PNode mallory = cluster.start(boot, c -> c, t -> junk[0] = new JunkAnswers(t, honestNodes));
    await().atMost(Duration.ofSeconds(30))
        .until(() -> honest.dht().table().find(mallory.node().id()).isPresent());

    Set<NodeId> real = new HashSet<>();
    real.add(mallory.node().id());
    honestNodes.forEach(n -> real.add(n.id()));
    long junkBefore = honest.dht().stats().junkNodes();
    // lookups for the nodes closest to a target ask every node the honest one knows, Mallory too
    Random targets = new Random(5);
    NodeId asker = honest.node().id();
    int answeredBefore = junk[0].answeredTo(asker);
    for (int round = 0; junk[0].answeredTo(asker) < answeredBefore + 8 && round < 40; round++) {
      byte[] t = new byte[32];
      targets.nextBytes(t);
      LookupResult r = honest.dht().lookupClosest(DhtId.fromBytes(t)).get(30, TimeUnit.SECONDS);
      assertThat(r.closest()).as("round %d", round).isNotEmpty()
          .allSatisfy(n -> assertThat(real).contains(n.id()));
    }
    assertThat(junk[0].answeredTo(asker)).as("Mallory answered the honest node's FindNodes")
        .isGreaterThanOrEqualTo(answeredBefore + 8);
    assertThat(honest.dht().stats().junkNodes()).isGreaterThan(junkBefore);

    for (Node n : honestNodes) { // by the network, not from the table
      LookupResult r = honest.dht().lookupClosest(n.id().dhtId()).get(30, TimeUnit.SECONDS);
      assertThat(r.closest()).as("finds %s", n).first().isEqualTo(n);
    }
    List<Node> table = honest.dht().table().all();
    assertThat(table).extracting(Node::id).doesNotHaveDuplicates()
        .doesNotContain(honest.node().id())
        .allSatisfy(id -> assertThat(real).contains(id));

    MessageStream inbox = honest.swarm().registerProtocol("chat");
    others.get(0).swarm().sendTo(honest.node(), "chat", new byte[] {1}).get(10, TimeUnit.SECONDS);
    assertThat(inbox.poll(Duration.ofSeconds(10))).as("still serving its peers").isNotNull();
  }
}
