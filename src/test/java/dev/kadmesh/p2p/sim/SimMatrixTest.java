package dev.kadmesh.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.MessageStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed's test table on the simulator, rows "Bootstrap" and "Send message to node we don't
 * know after Bootstrap", plain and with each fault, at 10, 100 and 1000 nodes. docs/test-matrix.md
 * maps every row to these cases.
 *
 * <p>Parameters per size (within the table's ranges): 10 nodes: 3 bootnodes, k = 100, 16 buckets,
 * minimum table 5; 100 nodes: 5 bootnodes, k = 50, 64 buckets, minimum 20; 1000 nodes: 10
 * bootnodes, k = 20, 128 buckets, minimum 50. "Random %" faults are drawn from the run's seed:
 * 10 to 30 % of the non-bootnodes disconnect after starting; message loss of 5 to 20 %; one-way
 * delays of 50 to 500 ms. Each case prints its seed; the same seed reproduces it exactly.
 */
class SimMatrixTest {

  enum Fault {
    NONE,
    FAULTY_NODES,
    DISCONNECTS,
    DROPS,
    DELAYS
  }

  static List<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (int size : new int[] {10, 100, 1000}) {
      for (Fault f : Fault.values()) {
        cases.add(Arguments.of(size, f));
      }
    }
    return cases;
  }

  private static int[] shape(int size) {
    return switch (size) {
      case 10 -> new int[] {3, 100, 16, 5};
      case 100 -> new int[] {5, 50, 64, 20};
      default -> new int[] {10, 20, 128, 50};
    };
  }

  @ParameterizedTest(name = "{0} nodes, {1}")
  @MethodSource("cases")
  void bootstrapThenSendToANodeNotInTheTable(int size, Fault fault) {
    long seed = 1000L * size + fault.ordinal();
    Random faults = new Random(seed);
    int[] shape = shape(size);
    SimConfig config = SimConfig.defaults(seed);
    double dropRate = 0.05 + 0.15 * faults.nextDouble();
    long delay = 50 + faults.nextInt(451);
    switch (fault) {
      case DROPS -> config = config.withDropRate(dropRate);
      case DELAYS -> config = config.withDelay(Duration.ofMillis(50), Duration.ofMillis(delay));
      default -> { }
    }
    SimNetwork net = new SimNetwork(config, size, shape[0], shape[1], shape[2], shape[3]);
    System.out.printf("row: %d nodes, %s (drop %.3f, max delay %d ms)%n", size, fault,
        fault == Fault.DROPS ? dropRate : 0.0, fault == Fault.DELAYS ? delay : 50);

    List<SimNode> gone = new ArrayList<>();
    if (fault == Fault.DISCONNECTS || fault == Fault.FAULTY_NODES) {
      // a seeded 10-30 % of the non-bootnodes go down shortly after starting
      double share = 0.10 + 0.20 * faults.nextDouble();
      net.sim.runFor(Duration.ofMillis(200));
      for (SimNode n : net.others) {
        if (faults.nextDouble() < share) {
          net.sim.disconnect(n);
          gone.add(n);
        }
      }
      System.out.printf("  %d of %d nodes disconnected%n", gone.size(), size);
    }
    if (fault == Fault.FAULTY_NODES) {
      // the faulty nodes come back: the network has to take them in again
      net.sim.runFor(Duration.ofSeconds(5));
      gone.forEach(net.sim::reconnect);
      gone.clear();
    }

    // Row "Bootstrap": every node that is up reports bootstrap success with the minimum table.
    // (A node that disconnected cannot bootstrap: the row expects success from the others.)
    assertThat(net.awaitBootstrap(Duration.ofMinutes(15)))
        .as("all up nodes bootstrapped, seed %d", seed).isTrue();
    for (SimNode n : net.others) {
      if (n.isUp()) {
        assertThat(n.dht().table().size()).isGreaterThanOrEqualTo(shape[3]);
      }
    }

    // Row "Send message to node we don't know after Bootstrap": pick a node and a target that is
    // up and not in its routing table; the target outputs the message.
    Random pick = new Random(seed);
    List<SimNode> up = net.others.stream().filter(SimNode::isUp).toList();
    SimNode sender = null;
    SimNode target = null;
    for (int i = 0; i < 10_000 && target == null; i++) {
      SimNode s = up.get(pick.nextInt(up.size()));
      SimNode t = up.get(pick.nextInt(up.size()));
      if (s != t && s.dht().table().find(t.id()).isEmpty() && !s.transport.isConnected(t.id())) {
        sender = s;
        target = t;
      }
    }
    if (target == null) {
      // small networks: every table knows everyone; make the sender forget one and close the
      // connection between them, as an idle timeout would
      sender = up.get(0);
      target = up.get(1);
      sender.dht().table().evict(target.id());
      net.sim.closeConnection(sender, target);
      assertThat(sender.dht().table().find(target.id())).isEmpty();
    }
    MessageStream inbox = target.registerProtocol("matrix");
    long lookupsBefore = sender.dht().stats().lookups();
    long start = net.sim.clock().nowMillis();
    CompletableFuture<Void> sent = null;
    // with message loss a lookup or the message itself may be lost: the sender retries, as an
    // application would, and the row expects the message to arrive
    int attempts = 0;
    while (inbox.size() == 0 && attempts < 5) {
      attempts++;
      sent = sender.sendMessageAsync(target.id(), "matrix",
          "hello".getBytes(StandardCharsets.UTF_8));
      CompletableFuture<Void> s = sent;
      net.sim.runUntil(() -> inbox.size() > 0 || s.isCompletedExceptionally(),
          Duration.ofSeconds(60));
      net.sim.runUntil(() -> inbox.size() > 0, Duration.ofSeconds(5));
    }
    assertThat(inbox.size()).as("message delivered, seed %d", seed).isGreaterThanOrEqualTo(1);
    Message m = inbox.poll();
    assertThat(m.sender()).isEqualTo(sender.id());
    assertThat(sender.dht().stats().lookups()).isGreaterThan(lookupsBefore);
    if (fault != Fault.DROPS) {
      assertThat(attempts).isEqualTo(1);
    }
    System.out.printf("  sent after %d attempt(s), %d lookup rounds, %d FindNode RPCs, %d ms"
            + " virtual%n", attempts, sender.dht().stats().lookupRounds(),
        sender.dht().stats().lookupRpcs(), net.sim.clock().nowMillis() - start);
  }

}
