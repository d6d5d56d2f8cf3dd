package dev.kadmesh.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.MessageStream;
import dev.kadmesh.p2p.swarm.SendFailure;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rows of the seed's test table on real TCP over loopback. */
class SwarmTcpTest {
  private final TcpCluster cluster = new TcpCluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Message m) {
    return new String(m.data(), StandardCharsets.UTF_8);
  }

  @Test
  void simpleMessageExchangeThroughTheSwarm() throws Exception {
    P2PNode node1 = cluster.start(List.of());
    P2PNode node2 = cluster.start(List.of());
    MessageStream at2 = node2.swarm().registerProtocol("ping");
    MessageStream at1 = node1.swarm().registerProtocol("ping");

    node1.swarm().sendTo(node2.node(), "ping", utf8("ping")).get(10, TimeUnit.SECONDS);
    Message ping = at2.poll(Duration.ofSeconds(10));
    assertThat(text(ping)).isEqualTo("ping");
    assertThat(ping.sender()).isEqualTo(node1.node().id());
    // the receiver updates itself with the sending node
    assertThat(node2.dht().table().find(node1.node().id())).contains(node1.node());

    node2.swarm().sendMessage(ping.sender(), "ping", utf8("pong"));
    Message pong = at1.poll(Duration.ofSeconds(10));
    assertThat(text(pong)).isEqualTo("pong");
    assertThat(pong.sender()).isEqualTo(node2.node().id());
  }

  @Test
  void sendMessageToAnUnknownNodeUsesFindNode() throws Exception {
    P2PNode node1 = cluster.start(List.of());
    P2PNode node2 = cluster.start(List.of());
    P2PNode node3 = cluster.start(List.of());
    // nodes 2 and 3 know only node 1; node 1 hears from both
    node2.dht().seen(node1.node());
    node3.dht().seen(node1.node());
    node2.swarm().request(node1.node(), "dht/ping", new byte[0]).get(10, TimeUnit.SECONDS);
    node3.swarm().request(node1.node(), "dht/ping", new byte[0]).get(10, TimeUnit.SECONDS);
    assertThat(node2.dht().table().all()).containsExactly(node1.node());
    assertThat(node1.dht().table().size()).isEqualTo(2);

    MessageStream at3 = node3.swarm().registerProtocol("hello");
    node2.swarm().sendMessage(node3.node().id(), "hello", utf8("found you"));

    Message m = at3.poll(Duration.ofSeconds(10));
    assertThat(text(m)).isEqualTo("found you");
    assertThat(m.sender()).isEqualTo(node2.node().id());
    assertThat(node2.dht().stats().lookups()).isEqualTo(1);
    assertThat(node2.dht().stats().lookupsFound()).isEqualTo(1);
    assertThat(node2.dht().stats().lookupRounds()).isEqualTo(1);
  }

  @Test
  void sendingToANodeNobodyKnowsFailsAsNotFound() {
    P2PNode node1 = cluster.start(List.of());
    P2PNode node2 = cluster.start(List.of());
    node2.dht().seen(node1.node());
    NodeId nobody = LocalNode.generate("127.0.0.1", 1, new SecureRandom()).id();
    assertThatThrownBy(() -> node2.swarm().sendMessage(nobody, "hello", utf8("anyone?")))
        .isInstanceOfSatisfying(SendFailure.class,
            e -> assertThat(e.kind()).isEqualTo(SendFailure.Kind.NOT_FOUND))
        .hasMessageContaining("not found");
  }

  @Test
  void sendingToAKnownNodeThatIsGoneFailsAsUnreachable() throws Exception {
    P2PNode node = cluster.start(List.of());
    try (java.net.Socket holder = new java.net.Socket()) {
      holder.bind(new java.net.InetSocketAddress("127.0.0.1", 0)); // a port nobody listens on
      Node gone = new Node(LocalNode.generate("127.0.0.1", 1, new SecureRandom()).id(),
          "127.0.0.1", holder.getLocalPort());
      node.dht().seen(gone);
      assertThatThrownBy(() -> node.swarm().sendMessage(gone.id(), "hello", utf8("?")))
          .isInstanceOfSatisfying(SendFailure.class,
              e -> assertThat(e.kind()).isEqualTo(SendFailure.Kind.UNREACHABLE))
          .hasMessageContaining("cannot reach");
    }
  }

  @ParameterizedTest(name = "{0} nodes, {1} bootnodes")
  @CsvSource({"10, 3, 5", "10, 5, 5", "100, 3, 20", "100, 5, 20"})
  void bootstrapAndSendToANodeNotInTheTable(int total, int bootnodeCount, int minTable)
      throws Exception {
    List<P2PNode> boots = new ArrayList<>();
    for (int i = 0; i < bootnodeCount; i++) {
      List<Node> earlier = boots.stream().map(P2PNode::node).toList();
      boots.add(cluster.start(earlier, TcpCluster.table(20, 20, Math.min(i, minTable))));
    }
    List<Node> bootList = boots.stream().map(P2PNode::node).toList();
    List<P2PNode> others = new ArrayList<>();
    for (int i = bootnodeCount; i < total; i++) {
      others.add(cluster.start(bootList, TcpCluster.table(20, 20, minTable)));
    }
    CompletableFuture.allOf(
            others.stream().map(n -> n.dht().bootstrapped()).toArray(CompletableFuture[]::new))
        .get(120, TimeUnit.SECONDS);
    for (P2PNode n : others) {
      assertThat(n.dht().table().size()).as("table of %s", n.node()).isGreaterThanOrEqualTo(minTable);
      assertThat(n.dht().bootstrapStatus().state().name()).isEqualTo("DONE");
    }

    // pick a sender and a target it neither knows nor is connected to
    Random random = new Random(total);
    P2PNode sender = null;
    P2PNode target = null;
    for (int attempt = 0; attempt < 1000 && target == null; attempt++) {
      P2PNode s = others.get(random.nextInt(others.size()));
      P2PNode t = cluster.nodes.get(random.nextInt(cluster.nodes.size()));
      if (s != t
          && s.dht().table().find(t.node().id()).isEmpty()
          && s.pool().get(t.node().id()).isEmpty()) {
        sender = s;
        target = t;
      }
    }
    if (total > 10) {
      assertThat(target).as("a target outside the sender's table").isNotNull();
    }
    if (target == null) {
      // in a 10-node network every table can hold everyone: pick any pair, drop the entry
      sender = others.get(0);
      target = others.get(1);
      P2PNode s = sender;
      P2PNode t = target;
      s.dht().table().evict(t.node().id());
      s.pool().get(t.node().id()).ifPresent(c -> c.close());
      t.pool().get(s.node().id()).ifPresent(c -> c.close());
      await().atMost(Duration.ofSeconds(10))
          .until(() -> s.pool().get(t.node().id()).isEmpty()
              && t.pool().get(s.node().id()).isEmpty());
    }
    long lookupsBefore = sender.dht().stats().lookups();
    MessageStream inbox = target.swarm().registerProtocol("direct");
    sender.swarm().sendMessage(target.node().id(), "direct", utf8("hello stranger"));
    Message m = inbox.poll(Duration.ofSeconds(20));
    assertThat(m).isNotNull();
    assertThat(text(m)).isEqualTo("hello stranger");
    assertThat(m.sender()).isEqualTo(sender.node().id());
    assertThat(sender.dht().stats().lookups()).isEqualTo(lookupsBefore + 1);
    assertThat(sender.dht().stats().lookupsFound()).isPositive();
  }

  @Test
  void fiveHundredNodesEachSendToTheFirstAndAllGetItsAnswer() throws Exception {
    int count = 500;
    // all 500 dial at once: let the first node accept that many handshakes in parallel
    P2PNode first = cluster.start(List.of(), c -> new P2PConfig(c.dataDir(), c.persistIdentity(),
        c.advertisedHost(), c.advertisedPort(), c.net().withMaxPendingHandshakes(1000), c.pool(),
        c.swarm(), c.dht(), c.gossip()));
    MessageStream inbox = first.swarm().registerProtocol("to-first");
    List<P2PNode> rest = new ArrayList<>();
    List<MessageStream> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      P2PNode n = cluster.start(List.of(), TcpCluster.table(20, 20, 0));
      n.dht().seen(first.node());
      rest.add(n);
      replies.add(n.swarm().registerProtocol("from-first"));
    }
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sends.add(rest.get(i).swarm().sendMessageAsync(first.node().id(), "to-first",
          utf8("message " + i)));
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

    Set<NodeId> senders = new HashSet<>();
    for (int i = 0; i < count; i++) {
      Message m = inbox.poll(Duration.ofSeconds(30));
      assertThat(m).as("message %d of %d", i, count).isNotNull();
      senders.add(m.sender());
      first.swarm().sendMessageAsync(m.sender(), "from-first", utf8("answer to " + text(m)));
    }
    assertThat(senders).hasSize(count);
    assertThat(inbox.dropped()).isZero();
    for (int i = 0; i < count; i++) {
      Message answer = replies.get(i).poll(Duration.ofSeconds(30));
      assertThat(answer).as("answer at node %d", i).isNotNull();
      assertThat(text(answer)).isEqualTo("answer to message " + i);
      assertThat(answer.sender()).isEqualTo(first.node().id());
    }
  }
}
