package dev.kadmesh.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.swarm.MessageStream;
import dev.kadmesh.soak.SoakRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real nodes on loopback under continuous churn (a node leaves and a new one joins every second),
 * 5 % message loss and steady traffic; heap after GC, threads, descriptors and delivery are
 * sampled ten times and must level off. 60 s in the test command;
 * {@code ./mvnw test -Dtest=TcpSoakTest -Dkadmesh.soak.duration=PT2H} for a long run.
 */
class TcpSoakTest {
  private static final int SIZE = 20;
  private static final int BOOTNODES = 3;
  private final TcpCluster cluster = new TcpCluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aChurningLossyNetworkWithTrafficLevelsOff() throws Exception {
    Duration length = SoakRecorder.duration(Duration.ofSeconds(60));
    long seed = 17;
    Random random = new Random(seed);
    System.out.println("tcp soak: " + length + ", seed " + seed);
    List<P2PNode> boots = new ArrayList<>();
    for (int i = 0; i < BOOTNODES; i++) {
      boots.add(cluster.start(boots.stream().map(P2PNode::node).toList(),
          c -> c.withDht(c.dht().withTable(20, 20, 0))));
    }
    List<Node> bootList = boots.stream().map(P2PNode::node).toList();
    List<P2PNode> others = new ArrayList<>();
    Map<P2PNode, MessageStream> inboxes = new HashMap<>();
    AtomicLong delivered = new AtomicLong();
    for (P2PNode b : boots) {
      inboxes.put(b, b.swarm().registerProtocol("soak"));
    }
    for (int i = BOOTNODES; i < SIZE; i++) {
      others.add(join(bootList, random, inboxes));
    }

    SoakRecorder recorder = new SoakRecorder("real TCP, " + SIZE + " nodes");
    long sent = 0;
    long start = System.nanoTime();
    long end = start + length.toNanos();
    long nextChurn = start + TimeUnit.SECONDS.toNanos(1);
    long sampleEvery = length.toNanos() / 10;
    long nextSample = start + sampleEvery;
    while (System.nanoTime() < end) {
      long now = System.nanoTime();
      if (now >= nextChurn) { // one leaves, a new one joins
        P2PNode leaving = others.remove(random.nextInt(others.size()));
        leaving.close();
        cluster.nodes.remove(leaving);
        MessageStream gone = inboxes.remove(leaving);
        delivered.addAndGet(gone.size());
        others.add(join(bootList, random, inboxes));
        nextChurn += TimeUnit.SECONDS.toNanos(1);
      }
      List<P2PNode> everyone = new ArrayList<>(inboxes.keySet());
      P2PNode from = everyone.get(random.nextInt(everyone.size()));
      P2PNode to = everyone.get(random.nextInt(everyone.size()));
      if (from != to) {
        from.swarm().sendMessageAsync(to.node().id(), "soak", new byte[64]);
        sent++;
      }
      for (MessageStream inbox : inboxes.values()) {
        while (inbox.poll() != null) {
          delivered.incrementAndGet();
        }
      }
      if (now >= nextSample) {
        recorder.sample(Duration.ofNanos(now - start), sent, delivered.get());
        nextSample += sampleEvery;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // traffic pace: ~500 msg/s
    }
    System.out.print(recorder.report());
    recorder.assertLevelsOff();
    // sends to a node that leaves before it connects, and lost messages (nobody retries here),
    // are the only losses
    SoakRecorder.Sample last = recorder.samples().get(recorder.samples().size() - 1);
    assertThat(last.delivered() / (double) last.sent()).as(recorder.report())
        .isGreaterThan(0.80);
  }

  private P2PNode join(List<Node> bootList, Random random, Map<P2PNode, MessageStream> inboxes) {
    long faultSeed = random.nextLong();
    P2PNode n = cluster.start(bootList, c -> c.withDht(c.dht().withTable(20, 20, 5)
            .withRpcTimeout(Duration.ofMillis(800))),
        t -> new FaultyTransport(t, 0.05, 0, 0, faultSeed, cluster.resources.scheduler()));
    inboxes.put(n, n.swarm().registerProtocol("soak"));
    return n;
  }
}
