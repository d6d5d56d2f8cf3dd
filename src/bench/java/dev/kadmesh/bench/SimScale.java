package dev.kadmesh.bench;

import dev.kadmesh.p2p.sim.SimNode;
import dev.kadmesh.p2p.sim.Simulator;
import dev.kadmesh.p2p.swarm.MessageStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Bootstraps a large simulated network and reports wall time, virtual time, heap per node and a
 * broadcast's coverage. Run it on demand (see README), e.g. {@code SimScale 10000 1 0.1} (nodes,
 * seed, message drop rate).
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
    SimBench.Network net = SimBench.bootstrap(total, drops, seed);
    Simulator sim = net.sim();
    List<SimNode> others = net.others();
    long wallMs = (System.nanoTime() - t0) / 1_000_000;
    System.gc();
    long heapAfter = rt.totalMemory() - rt.freeMemory();
    double avgTable = sim.nodes().stream().mapToInt(n -> n.dht().table().size()).average()
        .orElse(0);
    System.out.printf("drop rate %.2f, nodes %d, bootstrapped, wall %d ms, virtual %d ms, heap %.1f"
            + " MiB (%.1f KiB per node), avg table %.1f, messages %d%n", drops, total, wallMs,
        sim.clock().nowMillis() - net.startMillis(), (heapAfter - heapBefore) / 1048576.0,
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
