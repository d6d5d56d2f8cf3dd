package dev.kadmesh.bench;

import dev.kadmesh.p2p.dht.Bootstrap;
import dev.kadmesh.p2p.dht.DhtConfig;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.sim.SimConfig;
import dev.kadmesh.p2p.sim.SimNode;
import dev.kadmesh.p2p.sim.Simulator;
import dev.kadmesh.p2p.swarm.MessageStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Bootstraps a large simulated network and reports wall time, virtual time, heap per node and a
 * broadcast's coverage. Not a test: run it on demand, e.g. {@code java ... SimScale 10000 1 0.1}
 * (nodes, seed, message drop rate).
 */
public final class SimScale {
  private SimScale() {}

  public static void main(String[] args) {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    double drops = args.length > 2 ? Double.parseDouble(args[2]) : 0.0;
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    long t0 = System.nanoTime();
    Simulator sim = new Simulator(SimConfig.defaults(seed).withDropRate(drops));
    DhtConfig base = DhtConfig.defaults(List.of()).withTable(20, 20, 20)
        .withRpcTimeout(Duration.ofSeconds(2));
    List<SimNode> boots = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      boots.add(sim.newNode(base.withBootnodes(boots.stream().map(SimNode::node).toList())
          .withTable(20, 20, Math.min(i, 20))));
    }
    List<Node> bootList = boots.stream().map(SimNode::node).toList();
    List<SimNode> others = new ArrayList<>();
    for (int i = 10; i < total; i++) {
      others.add(sim.newNode(base.withBootnodes(bootList)));
    }
    boolean ok = sim.runUntil(() -> others.stream()
        .allMatch(n -> n.dht().bootstrapStatus().state() == Bootstrap.State.DONE),
        Duration.ofHours(1));
    long wallMs = (System.nanoTime() - t0) / 1_000_000;
    System.gc();
    long heapAfter = rt.totalMemory() - rt.freeMemory();
    double avgTable = sim.nodes().stream().mapToInt(n -> n.dht().table().size()).average()
        .orElse(0);
    System.out.printf("drop rate %.2f, nodes %d, bootstrapped %s, wall %d ms, virtual %d ms, heap %.1f MiB"
            + " (%.1f KiB per node), avg table %.1f, messages %d%n", drops, total, ok, wallMs,
        sim.clock().nowMillis() - 1_800_000_000_000L, (heapAfter - heapBefore) / 1048576.0,
        (heapAfter - heapBefore) / 1024.0 / total, avgTable, sim.stats().sent());

    List<MessageStream> inboxes = new ArrayList<>();
    for (SimNode n : sim.nodes()) {
      inboxes.add(n.registerProtocol("news"));
    }
    long g0 = System.nanoTime();
    long v0 = sim.clock().nowMillis();
    others.get(0).broadcast("news", new byte[32]);
    long[] reach99 = {-1};
    sim.runUntil(() -> {
      long got = inboxes.stream().filter(s -> s.size() > 0).count();
      if (reach99[0] < 0 && got >= 0.99 * (total - 1)) {
        reach99[0] = sim.clock().nowMillis() - v0;
      }
      return got >= total - 1;
    }, Duration.ofSeconds(30));
    long got = inboxes.stream().filter(s -> s.size() > 0).count();
    long dups = sim.nodes().stream().mapToLong(n -> n.gossip().duplicates()).sum();
    System.out.printf("gossip: coverage %.4f, duplicates per node %.2f, 99%% reached after %s"
            + " virtual, wall %d ms%n", got / (double) (total - 1), dups / (double) total,
        reach99[0] < 0 ? "(not reached)" : reach99[0] + " ms",
        (System.nanoTime() - g0) / 1_000_000);
  }
}
