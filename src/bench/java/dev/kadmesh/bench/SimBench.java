package dev.kadmesh.bench;

import dev.kadmesh.p2p.dht.DhtConfig;
import dev.kadmesh.p2p.dht.LookupResult;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.sim.SimConfig;
import dev.kadmesh.p2p.sim.SimNode;
import dev.kadmesh.p2p.sim.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bootstrap and lookups on the simulator: the same DHT and swarm code as real nodes, on virtual
 * time, with seeded message loss. Bootstrap time is wall time on this machine; lookup rounds are
 * FindNode hops (see {@link LookupResult#rounds()}).
 */
final class SimBench {
  /** What one simulated network measured. */
  record Figures(int nodes, double dropRate, double bootstrapWallSeconds, double virtualSeconds,
      double heapPerNodeKiB, double meanTable, int lookups, double meanRounds, int maxRounds,
      double meanRpcs, double meanVirtualMillis, double successRate) {}

  private SimBench() {}

  /** A bootstrapped simulated network: its simulator, the bootnodes and the other nodes. */
  record Network(Simulator sim, List<SimNode> bootnodes, List<SimNode> others, long startMillis) {}

  /** Bootnodes, bucket size k, bucket count and minimum routing table of a network. */
  record Shape(int bootnodes, int k, int buckets, int minTable) {
    static final Shape DEFAULT = new Shape(10, 20, 20, 20);

    @Override
    public String toString() {
      return bootnodes + " bootnodes, k = " + k + ", " + buckets + " buckets, min table " + minTable;
    }
  }

  /** {@link #bootstrap(int, Shape, double, long)} with the default shape. */
  static Network bootstrap(int nodes, double dropRate, long seed) {
    return bootstrap(nodes, Shape.DEFAULT, dropRate, seed);
  }

  /**
   * Creates {@code nodes} nodes (the shape's bootnodes, each bootstrapping from the ones before
   * it, then the rest from all bootnodes) and runs until every non-bootnode has bootstrapped.
   *
   * @throws IllegalStateException if that takes more than an hour of virtual time
   */
  static Network bootstrap(int nodes, Shape shape, double dropRate, long seed) {
    Simulator sim = new Simulator(SimConfig.defaults(seed).withDropRate(dropRate));
    DhtConfig base = DhtConfig.defaults(List.of())
        .withTable(shape.k(), shape.buckets(), shape.minTable())
        .withRpcTimeout(Duration.ofSeconds(2));
    List<SimNode> boots = new ArrayList<>();
    for (int i = 0; i < shape.bootnodes(); i++) {
      boots.add(sim.newNode(base.withBootnodes(boots.stream().map(SimNode::node).toList())
          .withTable(shape.k(), shape.buckets(), Math.min(i, shape.minTable()))));
    }
    List<Node> bootList = boots.stream().map(SimNode::node).toList();
    List<SimNode> others = new ArrayList<>();
    for (int i = boots.size(); i < nodes; i++) {
      others.add(sim.newNode(base.withBootnodes(bootList)));
    }
    long start = sim.clock().nowMillis();
    AtomicInteger joined = new AtomicInteger();
    others.forEach(n -> n.dht().bootstrapped().thenRun(joined::incrementAndGet));
    boolean done = sim.runUntil(() -> joined.get() == others.size(), Duration.ofHours(1));
    if (!done) {
      throw new IllegalStateException(nodes + " simulated nodes did not all bootstrap");
    }
    return new Network(sim, boots, others, start);
  }

  /**
   * {@code nodes} nodes (10 bootnodes, k = 20, 256-bit ids in 20 buckets, minimum table 20)
   * bootstrap; then {@code lookups} lookups, each from a random node for a random node not in its
   * table, one at a time; then {@code then} gets the network. Seeded: the same arguments give
   * the same run.
   */
  static Figures run(int nodes, double dropRate, int lookups, long seed,
      java.util.function.Consumer<Network> then) throws Exception {
    long heapBefore = NetBench.usedHeapAfterGc();
    long t0 = System.nanoTime();
    Network net = bootstrap(nodes, dropRate, seed);
    Simulator sim = net.sim();
    long v0 = net.startMillis();
    double wall = (System.nanoTime() - t0) / 1e9;
    double virtual = (sim.clock().nowMillis() - v0) / 1e3;
    double heapPerNode = (NetBench.usedHeapAfterGc() - heapBefore) / 1024.0 / nodes;
    double meanTable = sim.nodes().stream().mapToInt(n -> n.dht().table().size()).average()
        .orElse(0);

    Random pick = new Random(seed);
    List<SimNode> all = sim.nodes();
    int found = 0;
    long rounds = 0;
    long rpcs = 0;
    long millis = 0;
    int maxRounds = 0;
    for (int i = 0; i < lookups; i++) {
      SimNode from;
      SimNode target;
      do {
        from = all.get(pick.nextInt(all.size()));
        target = all.get(pick.nextInt(all.size()));
      } while (from == target || from.dht().table().find(target.id()).isPresent());
      CompletableFuture<LookupResult> f = from.dht().lookup(target.id());
      sim.runUntil(f::isDone, Duration.ofMinutes(5));
      LookupResult r = f.getNow(null);
      if (r == null) {
        throw new IllegalStateException("a lookup did not end within 5 virtual minutes");
      }
      if (r.found().isPresent()) {
        found++;
      }
      rounds += r.rounds();
      maxRounds = Math.max(maxRounds, r.rounds());
      rpcs += r.rpcs();
      millis += r.millis();
    }
    then.accept(net);
    return new Figures(nodes, dropRate, wall, virtual, heapPerNode, meanTable, lookups,
        rounds / (double) lookups, maxRounds, rpcs / (double) lookups,
        millis / (double) lookups, found / (double) lookups);
  }
}
