package dev.kadmesh.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.dht.Bootstrap;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.pool.PoolConfig;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed's fault rows on real TCP over loopback, at 10 and 100 nodes: bootstrap and a send to a
 * node not in the sender's table, with disconnects (10-30 % of the nodes close after starting),
 * message loss (5-20 % of the messages each node sends are lost) and delays (50-300 ms added to
 * each message). Percentages are drawn from the printed seed. Loss on a real connection is
 * injected above TCP ({@link FaultyTransport}).
 *
 * <p>{@code -Dkadmesh.tcpMatrix.sizes=1000} (the {@code tcp1000} Maven profile) runs the same rows,
 * and the plain one, at 1000 nodes: every node in this JVM, so connections idle for 2 s are closed
 * to stay within the file-descriptor limit, and lookups get a 5 s timeout since two cores run all
 * the handshakes of a simultaneous join.
 */
class TcpMatrixTest {
  private final TcpCluster cluster = new TcpCluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  static List<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String size : System.getProperty("kadmesh.tcpMatrix.sizes", "10,100").split(",")) {
      int n = Integer.parseInt(size.trim());
      if (n >= 1000) { // the plain row at 10 and 100 is SwarmTcpTest's
        cases.add(Arguments.of(n, "NONE"));
      }
      for (String fault : List.of("DISCONNECTS", "DROPS", "DELAYS")) {
        cases.add(Arguments.of(n, fault));
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} nodes, {1}")
  @MethodSource("cases")
  void bootstrapThenSendToANodeNotInTheTable(int size, String fault) throws Exception {
    long seed = 31L * size + fault.hashCode();
    Random faults = new Random(seed);
    double drop = fault.equals("DROPS") ? 0.05 + 0.15 * faults.nextDouble() : 0;
    long maxDelay = fault.equals("DELAYS") ? 50 + faults.nextInt(251) : 0;
    double disconnectShare = fault.equals("DISCONNECTS") ? 0.10 + 0.20 * faults.nextDouble() : 0;
    System.out.printf("tcp row: %d nodes, %s, seed %d (drop %.3f, delay up to %d ms,"
        + " disconnect %.2f)%n", size, fault, seed, drop, maxDelay, disconnectShare);
    boolean large = size >= 1000;
    if (large) {
      requireDescriptors(13L * size + 1000);
    }
    int bootCount = size == 10 ? 3 : large ? 10 : 5;
    int minTable = size == 10 ? 5 : 20;
    // loopback answers in well under a millisecond: a short RPC timeout keeps lost requests cheap
    Duration rpcTimeout = large ? Duration.ofSeconds(5) : Duration.ofMillis(800);
    UnaryOperator<P2PConfig> pool = c -> large
        ? c.withPool(new PoolConfig(1000, 900, Duration.ofMillis(500), Duration.ofSeconds(2)))
        : c;
    UnaryOperator<P2PConfig> shape = c -> pool.apply(c).withDht(c.dht()
        .withTable(20, 20, minTable).withRpcTimeout(rpcTimeout));
    UnaryOperator<dev.kadmesh.p2p.swarm.Transport> inject = t -> new FaultyTransport(t, drop,
        maxDelay > 0 ? 50 : 0, maxDelay, faults.nextLong(), cluster.resources.scheduler());

    List<P2PNode> boots = new ArrayList<>();
    for (int i = 0; i < bootCount; i++) {
      List<Node> earlier = boots.stream().map(P2PNode::node).toList();
      boots.add(cluster.start(earlier, c -> pool.apply(c).withDht(c.dht().withTable(20, 20, 0)
          .withRpcTimeout(rpcTimeout)), inject));
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
    Awaitility.await().atMost(Duration.ofMinutes(large ? 30 : 5)).until(() -> up.stream()
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
      sent.handle((ok, e) -> null).get(large ? 120 : 40, TimeUnit.SECONDS);
      received = inbox.poll(Duration.ofSeconds(5));
    }
    assertThat(received).as("message delivered (seed %d)", seed).isNotNull();
    assertThat(received.sender()).isEqualTo(sender.node().id());
    if (drop == 0) {
      assertThat(attempts).isEqualTo(1);
    }
  }

  private static void requireDescriptors(long needed) {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean os
        && os.getMaxFileDescriptorCount() < needed) {
      throw new IllegalStateException("this row needs about " + needed + " file descriptors;"
          + " this process may open " + os.getMaxFileDescriptorCount() + " (raise ulimit -n)");
    }
  }
}
