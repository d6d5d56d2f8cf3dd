package dev.kadmesh.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.dht.Bootstrap;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.MessageStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed's fault rows on real TCP over loopback, at 10 and 100 nodes: bootstrap and a send to a
 * node not in the sender's table, with disconnects (10-30 % of the nodes close after starting),
 * message loss (5-20 % of the messages each node sends are lost) and delays (50-300 ms added to
 * each message). Percentages are drawn from the printed seed. Loss on a real connection is
 * injected above TCP ({@link FaultyTransport}).
 */
class TcpMatrixTest {
  private final TcpCluster cluster = new TcpCluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  @ParameterizedTest(name = "{0} nodes, {1}")
  @CsvSource({"10, DISCONNECTS", "10, DROPS", "10, DELAYS", "100, DISCONNECTS", "100, DROPS",
      "100, DELAYS"})
  void bootstrapThenSendToANodeNotInTheTable(int size, String fault) throws Exception {
    long seed = 31L * size + fault.hashCode();
    Random faults = new Random(seed);
    double drop = fault.equals("DROPS") ? 0.05 + 0.15 * faults.nextDouble() : 0;
    long maxDelay = fault.equals("DELAYS") ? 50 + faults.nextInt(251) : 0;
    double disconnectShare = fault.equals("DISCONNECTS") ? 0.10 + 0.20 * faults.nextDouble() : 0;
    System.out.printf("tcp row: %d nodes, %s, seed %d (drop %.3f, delay up to %d ms,"
        + " disconnect %.2f)%n", size, fault, seed, drop, maxDelay, disconnectShare);
    int bootCount = size == 10 ? 3 : 5;
    int minTable = size == 10 ? 5 : 20;
    // loopback answers in well under a millisecond: a short RPC timeout keeps lost requests cheap
    UnaryOperator<P2PConfig> shape = c -> c.withDht(c.dht().withTable(20, 20, minTable)
        .withRpcTimeout(Duration.ofMillis(800)));
    UnaryOperator<dev.kadmesh.p2p.swarm.Transport> inject = t -> new FaultyTransport(t, drop,
        maxDelay > 0 ? 50 : 0, maxDelay, faults.nextLong(), cluster.resources.scheduler());

    List<P2PNode> boots = new ArrayList<>();
    for (int i = 0; i < bootCount; i++) {
      List<Node> earlier = boots.stream().map(P2PNode::node).toList();
      boots.add(cluster.start(earlier, c -> c.withDht(c.dht().withTable(20, 20, 0)), inject));
    }
    List<Node> bootList = boots.stream().map(P2PNode::node).toList();
    List<P2PNode> others = new ArrayList<>();
    for (int i = bootCount; i < size; i++) {
      others.add(cluster.start(bootList, shape, inject));
    }
    List<P2PNode> gone = new ArrayList<>();
    for (P2PNode n : others) {
      if (faults.nextDouble() < disconnectShare) {
        n.close();
        gone.add(n);
      }
    }
    List<P2PNode> up = others.stream().filter(n -> !gone.contains(n)).toList();

    // Row "Bootstrap with ...": every node still up reports bootstrap success.
    Awaitility.await().atMost(Duration.ofMinutes(5)).until(() -> up.stream()
        .allMatch(n -> n.dht().bootstrapStatus().state() == Bootstrap.State.DONE));

    // Row "Send message to node we don't know after bootstrap with ...".
    P2PNode sender = up.get(0);
    P2PNode target = up.get(up.size() - 1);
    sender.dht().table().evict(target.node().id());
    sender.pool().get(target.node().id()).ifPresent(c -> c.close());
    target.pool().get(sender.node().id()).ifPresent(c -> c.close());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        sender.pool().get(target.node().id()).isEmpty()
            && target.pool().get(sender.node().id()).isEmpty());
    MessageStream inbox = target.swarm().registerProtocol("matrix");
    Message received = null;
    int attempts = 0;
    // lost messages are retried by the sender, as an application would
    while (received == null && attempts < 5) {
      attempts++;
      CompletableFuture<Void> sent = sender.swarm().sendMessageAsync(target.node().id(), "matrix",
          "hello".getBytes(StandardCharsets.UTF_8));
      sent.handle((ok, e) -> null).get(40, TimeUnit.SECONDS);
      received = inbox.poll(Duration.ofSeconds(5));
    }
    assertThat(received).as("message delivered (seed %d)", seed).isNotNull();
    assertThat(received.sender()).isEqualTo(sender.node().id());
    if (drop == 0) {
      assertThat(attempts).isEqualTo(1);
    }
  }
}
