package dev.kadmesh.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.dht.DhtConfig;
import dev.kadmesh.p2p.dht.LookupResult;
import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.MessageStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SimulatorTest {

  @Test
  void theSameSeedGivesTheSameRun() {
    long[] first = run(42);
    long[] second = run(42);
    assertThat(second).containsExactly(first);
    assertThat(run(43)).isNotEqualTo(first);
  }

  private static long[] run(long seed) {
    SimNetwork net = new SimNetwork(SimConfig.defaults(seed).withDropRate(0.05), 60, 3, 20, 20, 10);
    assertThat(net.awaitBootstrap(Duration.ofMinutes(5))).isTrue();
    Simulator.Stats s = net.sim.stats();
    long tables = net.sim.nodes().stream().mapToLong(n -> n.dht().table().size()).sum();
    return new long[] {s.sent(), s.delivered(), s.dropped(), tables, net.sim.clock().nowMillis()};
  }

  @Test
  void aNodeThatBreaksTheProtocolIsCutOffAndLosesWhatItHadInFlight() {
    Simulator sim = new Simulator(SimConfig.defaults(11)
        .withDelay(Duration.ofMillis(100), Duration.ofMillis(100)));
    SimNode mallory = sim.newNode();
    SimNode bob = sim.newNode();
    MessageStream inbox = bob.registerProtocol("chat");
    sim.send(mallory, bob.id(), new byte[] {(byte) 0xff, 1, 2}).join(); // not an envelope
    mallory.swarm().sendTo(bob.node(), "chat", utf8("in flight")).join(); // behind it
    sim.runFor(Duration.ofSeconds(1));
    assertThat(bob.swarm().stats().rejected(
        dev.kadmesh.p2p.swarm.RejectReason.MALFORMED)).isEqualTo(1);
    assertThat(bob.swarm().stats().violations()).isEqualTo(1);
    assertThat(inbox.size()).as("lost with the closed link").isZero();
    assertThat(sim.isConnected(bob, mallory.id())).isFalse();
    // a new connection afterwards is served: the simulator refuses no address
    mallory.swarm().sendTo(bob.node(), "chat", utf8("later")).join();
    sim.runFor(Duration.ofSeconds(1));
    assertThat(inbox.poll().data()).isEqualTo(utf8("later"));
    assertThat(inbox.size()).isZero();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aMessageReachesANodeTheSenderDoesNotKnow() {
    SimNetwork net = new SimNetwork(SimConfig.defaults(7), 200, 5, 20, 20, 20);
    assertThat(net.awaitBootstrap(Duration.ofMinutes(5))).isTrue();
    Random pick = new Random(7);
    SimNode sender;
    SimNode target;
    do {
      sender = net.others.get(pick.nextInt(net.others.size()));
      target = net.others.get(pick.nextInt(net.others.size()));
    } while (sender == target || sender.dht().table().find(target.id()).isPresent()
        || sender.transport.isConnected(target.id()));
    MessageStream inbox = target.registerProtocol("direct");
    long answeredBefore = sender.dht().stats().findNodeAnswered();
    long millisBefore = sender.dht().stats().findNodeMillis();
    CompletableFuture<Void> sent =
        sender.sendMessageAsync(target.id(), "direct", "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(net.sim.runUntil(() -> inbox.size() > 0, Duration.ofSeconds(30))).isTrue();
    assertThat(sent).isCompleted();
    Message m = inbox.poll();
    assertThat(m.sender()).isEqualTo(sender.id());
    assertThat(sender.dht().stats().lookupsFound()).isEqualTo(1);
    // every FindNode answer took a round trip over two 10-50 ms links
    long answered = sender.dht().stats().findNodeAnswered() - answeredBefore;
    long millis = sender.dht().stats().findNodeMillis() - millisBefore;
    assertThat(answered).isPositive();
    assertThat(millis).isBetween(20 * answered, 100 * answered);
  }

  @Test
  void idleBucketsAreRefreshedOnVirtualTime() {
    SimNetwork net = new SimNetwork(SimConfig.defaults(11), 30, 3, 20, 20, 5);
    assertThat(net.awaitBootstrap(Duration.ofMinutes(5))).isTrue();
    SimNode n = net.others.get(0);
    long before = n.dht().stats().refreshes();
    net.sim.runFor(Duration.ofMinutes(30));
    assertThat(n.dht().stats().refreshes()).isEqualTo(before);
    net.sim.runFor(Duration.ofMinutes(50));
    assertThat(n.dht().stats().refreshes()).isGreaterThan(before);
  }

  @Test
  void lookupsGoThroughADelayedAndLossyNetwork() {
    SimConfig lossy = SimConfig.defaults(5).withDelay(Duration.ofMillis(100), Duration.ofMillis(300))
        .withDropRate(0.10);
    SimNetwork net = new SimNetwork(lossy, 100, 5, 20, 20, 10);
    assertThat(net.awaitBootstrap(Duration.ofMinutes(10))).isTrue();
    SimNode a = net.others.get(3);
    SimNode b = net.others.get(71);
    a.dht().table().evict(b.id());
    CompletableFuture<LookupResult> r = a.dht().lookup(b.id());
    assertThat(net.sim.runUntil(r::isDone, Duration.ofMinutes(1))).isTrue();
    assertThat(r.join().found()).isPresent();
  }

  @Test
  void aPartitionCutsTrafficUntilHealed() {
    SimNetwork net = new SimNetwork(SimConfig.defaults(3), 20, 3, 20, 20, 5);
    assertThat(net.awaitBootstrap(Duration.ofMinutes(5))).isTrue();
    SimNode a = net.others.get(0);
    SimNode b = net.others.get(1);
    MessageStream inbox = b.registerProtocol("p");
    net.sim.partition(List.of(a));
    a.sendMessageAsync(b.id(), "p", new byte[] {1});
    net.sim.runFor(Duration.ofSeconds(10));
    assertThat(inbox.size()).isZero();
    net.sim.heal();
    a.sendMessageAsync(b.id(), "p", new byte[] {2});
    assertThat(net.sim.runUntil(() -> inbox.size() == 1, Duration.ofSeconds(10))).isTrue();
    assertThat(inbox.poll().data()).containsExactly(2);
  }

  @Test
  void aDisconnectedNodeIsUnreachableAndComesBack() {
    SimNetwork net = new SimNetwork(SimConfig.defaults(9), 20, 3, 20, 20, 5);
    assertThat(net.awaitBootstrap(Duration.ofMinutes(5))).isTrue();
    SimNode a = net.others.get(0);
    SimNode b = net.others.get(1);
    MessageStream inbox = b.registerProtocol("p");
    net.sim.disconnect(b);
    CompletableFuture<Void> failed = a.sendMessageAsync(b.id(), "p", new byte[] {1});
    net.sim.runUntil(failed::isDone, Duration.ofSeconds(30));
    assertThat(failed).isCompletedExceptionally();
    net.sim.reconnect(b);
    CompletableFuture<Void> ok = a.sendMessageAsync(b.id(), "p", new byte[] {2});
    assertThat(net.sim.runUntil(() -> inbox.size() == 1, Duration.ofSeconds(30))).isTrue();
    assertThat(ok).isCompleted();
  }

  @Test
  void manyNodesGoDownAtOnceAndComeBackOneByOne() {
    SimNetwork net = new SimNetwork(SimConfig.defaults(13), 30, 3, 20, 20, 5);
    assertThat(net.awaitBootstrap(Duration.ofMinutes(5))).isTrue();
    SimNode a = net.others.get(0);
    List<SimNode> down = net.others.subList(1, 6);
    for (SimNode d : down) { // a connection to each of them
      CompletableFuture<Void> sent = a.sendMessageAsync(d.id(), "warm", new byte[] {0});
      net.sim.runUntil(sent::isDone, Duration.ofSeconds(30));
      assertThat(a.transport.isConnected(d.id())).isTrue();
    }
    net.sim.disconnectAll(down);
    for (SimNode d : down) {
      assertThat(d.isUp()).isFalse();
      assertThat(a.transport.isConnected(d.id())).isFalse();
      CompletableFuture<Void> failed = a.sendMessageAsync(d.id(), "p", new byte[] {1});
      net.sim.runUntil(failed::isDone, Duration.ofSeconds(30));
      assertThat(failed).isCompletedExceptionally();
    }
    SimNode back = down.get(2);
    net.sim.reconnect(back);
    assertThat(a.transport.isConnected(back.id())).as("its old connection is gone").isFalse();
    MessageStream inbox = back.registerProtocol("p");
    a.sendMessageAsync(back.id(), "p", new byte[] {2});
    assertThat(net.sim.runUntil(() -> inbox.size() == 1, Duration.ofSeconds(30))).isTrue();
    assertThat(down.get(1).isUp()).isFalse();
  }

  @Test
  void nodesFromAnExistingIdentityKeepIt() {
    Simulator sim = new Simulator(SimConfig.defaults(1));
    SimNode a = sim.newNode();
    dev.kadmesh.p2p.identity.LocalNode id =
        dev.kadmesh.p2p.identity.LocalNode.generate("127.0.0.77", 7513,
            new java.security.SecureRandom());
    SimNode b = sim.newNodeFrom(id, DhtConfig.defaults(List.of(a.node())));
    assertThat(b.id()).isEqualTo(id.id());
    assertThat(b.node()).isEqualTo(id.node());
  }
}
