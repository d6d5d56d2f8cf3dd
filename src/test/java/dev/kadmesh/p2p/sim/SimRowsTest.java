package dev.kadmesh.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.dht.DhtConfig;
import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.MessageStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The first three rows of the seed's test table on the simulator. */
class SimRowsTest {
  private final Simulator sim = new Simulator(SimConfig.defaults(77));

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void simpleMessageExchange() {
    SimNode node1 = sim.newNode();
    SimNode node2 = sim.newNode();
    MessageStream at1 = node1.registerProtocol("ping");
    MessageStream at2 = node2.registerProtocol("ping");
    node1.swarm().sendTo(node2.node(), "ping", utf8("ping"));
    assertThat(sim.runUntil(() -> at2.size() == 1, Duration.ofSeconds(5))).isTrue();
    Message ping = at2.poll();
    assertThat(ping.sender()).isEqualTo(node1.id());
    assertThat(node2.dht().table().find(node1.id())).contains(node1.node());
    node2.sendMessageAsync(ping.sender(), "ping", utf8("pong"));
    assertThat(sim.runUntil(() -> at1.size() == 1, Duration.ofSeconds(5))).isTrue();
    assertThat(new String(at1.poll().data(), StandardCharsets.UTF_8)).isEqualTo("pong");
  }

  @Test
  void fiveHundredNodesSendToTheFirstAndAllGetItsAnswer() {
    SimNode first = sim.newNode();
    MessageStream inbox = first.registerProtocol("to-first");
    List<SimNode> rest = new ArrayList<>();
    List<MessageStream> replies = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      SimNode n = sim.newNode(DhtConfig.defaults(List.of()).withTable(20, 20, 0));
      n.dht().seen(first.node());
      rest.add(n);
      replies.add(n.registerProtocol("from-first"));
    }
    for (int i = 0; i < 500; i++) {
      rest.get(i).sendMessageAsync(first.id(), "to-first", utf8("message " + i));
    }
    assertThat(sim.runUntil(() -> inbox.size() == 500, Duration.ofSeconds(30))).isTrue();
    Set<Object> senders = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      Message m = inbox.poll();
      senders.add(m.sender());
      first.sendMessageAsync(m.sender(), "from-first", utf8("answer to " + new String(m.data(),
          StandardCharsets.UTF_8)));
    }
    assertThat(senders).hasSize(500);
    assertThat(sim.runUntil(() -> replies.stream().allMatch(r -> r.size() == 1),
        Duration.ofSeconds(30))).isTrue();
    for (int i = 0; i < 500; i++) {
      assertThat(new String(replies.get(i).poll().data(), StandardCharsets.UTF_8))
          .isEqualTo("answer to message " + i);
    }
  }

  @Test
  void sendMessageToAnUnknownNodeWithASimpleFindNode() {
    SimNode node1 = sim.newNode();
    SimNode node2 = sim.newNode(DhtConfig.defaults(List.of()).withTable(20, 20, 0));
    SimNode node3 = sim.newNode(DhtConfig.defaults(List.of()).withTable(20, 20, 0));
    // nodes 2 and 3 are updated with node 1 only; node 1 hears from both
    node2.dht().seen(node1.node());
    node3.dht().seen(node1.node());
    node2.swarm().request(node1.node(), "dht/ping", new byte[0]);
    node3.swarm().request(node1.node(), "dht/ping", new byte[0]);
    sim.runFor(Duration.ofSeconds(1));
    assertThat(node2.dht().table().all()).containsExactly(node1.node());
    MessageStream at3 = node3.registerProtocol("hello");
    node2.sendMessageAsync(node3.id(), "hello", utf8("found you"));
    assertThat(sim.runUntil(() -> at3.size() == 1, Duration.ofSeconds(10))).isTrue();
    assertThat(at3.poll().sender()).isEqualTo(node2.id());
    assertThat(node2.dht().stats().lookupsFound()).isEqualTo(1);
    assertThat(node2.dht().stats().lookupRounds()).isEqualTo(1);
  }
}
