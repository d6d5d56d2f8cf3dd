package dev.kadmesh.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.gossip.GossipConfig;
import dev.kadmesh.p2p.swarm.MessageStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Broadcast by gossip on the simulator: coverage, duplicates, validation before relay. */
class GossipSimTest {

  private static List<MessageStream> subscribeAll(SimNetwork net, String protocol) {
    List<MessageStream> streams = new ArrayList<>();
    for (SimNode n : net.sim.nodes()) {
      streams.add(n.registerProtocol(protocol));
    }
    return streams;
  }

  @ParameterizedTest(name = "{0} nodes, {1} drop rate")
  @CsvSource({"100, 0.0, 1.0", "1000, 0.0, 1.0", "100, 0.1, 0.95", "1000, 0.1, 0.95"})
  void aBroadcastReachesTheNetworkAndIsDeliveredOnceEverywhere(int total, double drops,
      double minCoverage) {
    SimNetwork net = new SimNetwork(SimConfig.defaults(total).withDropRate(drops), total, 5, 20, 20,
        10);
    assertThat(net.awaitBootstrap(Duration.ofMinutes(10))).isTrue();
    List<MessageStream> inboxes = subscribeAll(net, "news");
    SimNode author = net.others.get(0);
    long start = net.sim.clock().nowMillis();
    author.broadcast("news", "extra".getBytes(StandardCharsets.UTF_8));
    boolean reached99 = net.sim.runUntil(
        () -> inboxes.stream().filter(s -> s.size() > 0).count() >= 0.99 * (total - 1),
        Duration.ofSeconds(30));
    long to99 = reached99 ? net.sim.clock().nowMillis() - start : -1;
    // then let every copy in flight land, to count all duplicates
    net.sim.runFor(Duration.ofMillis(Math.max(0, 30_000 - (net.sim.clock().nowMillis() - start))));

    int received = 0;
    for (int i = 0; i < inboxes.size(); i++) {
      MessageStream s = inboxes.get(i);
      assertThat(s.size()).as("deliveries at node %d", i).isLessThanOrEqualTo(1);
      if (s.size() == 1) {
        received++;
        assertThat(s.poll().author()).isEqualTo(author.id());
      }
    }
    double coverage = received / (double) (total - 1);
    long duplicates = net.sim.nodes().stream().mapToLong(n -> n.gossip().duplicates()).sum();
    System.out.printf("gossip %d nodes, drops %.2f: coverage %.4f, duplicates per node %.2f,"
        + " 99%% reached after %d ms (virtual; -1: never)%n", total, drops, coverage,
        duplicates / (double) total, to99);
    assertThat(inboxes.get(net.sim.nodes().indexOf(author)).size()).isZero();
    assertThat(coverage).isGreaterThanOrEqualTo(minCoverage);
  }

  @Test
  void aMessageTheValidatorRefusesIsNeitherDeliveredNorRelayed() {
    SimNetwork net = new SimNetwork(SimConfig.defaults(21), 50, 3, 20, 20, 10);
    assertThat(net.awaitBootstrap(Duration.ofMinutes(5))).isTrue();
    List<MessageStream> inboxes = subscribeAll(net, "votes");
    for (SimNode n : net.sim.nodes()) {
      n.gossip().registerValidator("votes", m -> m.data().length > 0);
    }
    SimNode author = net.others.get(0);
    author.broadcast("votes", new byte[0]);
    net.sim.runFor(Duration.ofSeconds(30));
    assertThat(inboxes).allMatch(s -> s.size() == 0);
    long relayedByOthers = net.sim.nodes().stream().filter(n -> n != author)
        .mapToLong(n -> n.gossip().relayed()).sum();
    assertThat(relayedByOthers).isZero();
    assertThat(net.sim.nodes().stream().mapToLong(n -> n.gossip().invalid()).sum())
        .isEqualTo(author.gossip().relayed());
  }

  @Test
  void aMessageIsNeverSentBackToThePeerItCameFrom() {
    Simulator sim = new Simulator(SimConfig.defaults(2).withGossip(GossipConfig.defaults()));
    SimNode a = sim.newNode();
    SimNode b = sim.newNode();
    a.dht().seen(b.node());
    b.dht().seen(a.node());
    MessageStream atB = b.registerProtocol("news");
    a.broadcast("news", new byte[] {1});
    sim.runFor(Duration.ofSeconds(5));
    assertThat(atB.size()).isEqualTo(1);
    assertThat(b.gossip().relayed()).isZero(); // its only neighbour is the sender and author
    assertThat(a.gossip().duplicates()).isZero();
  }
}
