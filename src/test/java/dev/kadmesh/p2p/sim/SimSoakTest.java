package dev.kadmesh.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.soak.SoakRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A simulated network under continuous churn (every virtual second a node goes down and another
 * comes back), 5 % message loss, direct messages and broadcasts; heap after GC, threads and
 * delivery are sampled ten times and must level off. 20 virtual minutes in the test command;
 * {@code ./mvnw test -Dtest=SimSoakTest -Dkadmesh.soak.duration=PT24H} for a long run (virtual
 * time).
 */
class SimSoakTest {

  @Test
  void aChurningLossyNetworkWithTrafficLevelsOff() {
    Duration length = SoakRecorder.duration(Duration.ofMinutes(20));
    long seed = 23;
    SimNetwork net = new SimNetwork(SimConfig.defaults(seed).withDropRate(0.05), 200, 5, 20, 20,
        10);
    assertThat(net.awaitBootstrap(Duration.ofMinutes(10))).isTrue();
    Random random = new Random(seed);
    List<SimNode> nodes = net.others;
    List<SimNode> down = new ArrayList<>();
    List<MessageStreamCount> inboxes = new ArrayList<>();
    List<MessageStreamCount> news = new ArrayList<>();
    for (SimNode n : net.sim.nodes()) {
      inboxes.add(new MessageStreamCount(n.registerProtocol("soak")));
      news.add(new MessageStreamCount(n.registerProtocol("news")));
    }
    SoakRecorder recorder = new SoakRecorder("simulator, 200 nodes");
    long start = net.sim.clock().nowMillis();
    long sampleEvery = length.toMillis() / 10;
    long sent = 0;
    for (long t = 1; t * 1000 <= length.toMillis(); t++) {
      SimNode leaving = nodes.get(random.nextInt(nodes.size()));
      if (leaving.isUp() && down.size() < 20) {
        net.sim.disconnect(leaving);
        down.add(leaving);
      }
      if (down.size() > 10) {
        net.sim.reconnect(down.remove(random.nextInt(down.size())));
      }
      for (int i = 0; i < 10; i++) {
        SimNode from = nodes.get(random.nextInt(nodes.size()));
        SimNode to = nodes.get(random.nextInt(nodes.size()));
        if (from != to && from.isUp() && to.isUp()) {
          from.sendMessageAsync(to.id(), "soak", new byte[64]);
          sent++;
        }
      }
      if (t % 10 == 0) {
        SimNode author = nodes.get(random.nextInt(nodes.size()));
        if (author.isUp()) {
          author.broadcast("news", new byte[32]);
        }
      }
      net.sim.runFor(Duration.ofSeconds(1));
      if ((t * 1000) % sampleEvery == 0) {
        news.forEach(MessageStreamCount::drain); // an undrained stream would hold 1024 each
        long delivered = inboxes.stream().mapToLong(MessageStreamCount::drain).sum();
        recorder.sample(Duration.ofMillis(net.sim.clock().nowMillis() - start), sent, delivered);
      }
    }
    System.out.print(recorder.report());
    recorder.assertLevelsOff();
    SoakRecorder.Sample last = recorder.samples().get(recorder.samples().size() - 1);
    // losses: the message or its lookup lost (nobody retries here), or the target went down
    assertThat(last.delivered() / (double) last.sent()).as(recorder.report()).isGreaterThan(0.80);
  }

  /** Drains a stream and keeps the running count of what it delivered. */
  private static final class MessageStreamCount {
    private final dev.kadmesh.p2p.swarm.MessageStream stream;
    private long count;

    MessageStreamCount(dev.kadmesh.p2p.swarm.MessageStream stream) {
      this.stream = stream;
    }

    long drain() {
      while (stream.poll() != null) {
        count++;
      }
      return count;
    }
  }
}
