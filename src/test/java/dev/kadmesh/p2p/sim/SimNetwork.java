package dev.kadmesh.p2p.sim;

import dev.kadmesh.p2p.dht.Bootstrap;
import dev.kadmesh.p2p.dht.DhtConfig;
import dev.kadmesh.p2p.identity.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds simulated networks the way the seed's test table describes them. */
final class SimNetwork {
  final Simulator sim;
  final List<SimNode> bootnodes = new ArrayList<>();
  final List<SimNode> others = new ArrayList<>();

  /**
   * {@code bootCount} bootnodes (each bootstrapping from the ones before it), then the rest of
   * {@code total} nodes configured with all bootnodes; k, bucket count and minimum table as given.
   */
  SimNetwork(SimConfig config, int total, int bootCount, int k, int buckets, int minTable) {
    System.out.printf("simulated network: %d nodes, %d bootnodes, k=%d, %d buckets, min table %d,"
        + " seed %d%n", total, bootCount, k, buckets, minTable, config.seed());
    sim = new Simulator(config);
    DhtConfig base = DhtConfig.defaults(List.of()).withTable(k, buckets, minTable)
        .withRpcTimeout(Duration.ofSeconds(2));
    for (int i = 0; i < bootCount; i++) {
      List<Node> earlier = bootnodes.stream().map(SimNode::node).toList();
      bootnodes.add(sim.newNode(base.withBootnodes(earlier).withTable(k, buckets,
          Math.min(i, minTable))));
    }
    List<Node> boots = bootnodes.stream().map(SimNode::node).toList();
    for (int i = bootCount; i < total; i++) {
      others.add(sim.newNode(base.withBootnodes(boots)));
    }
  }

  boolean bootstrapped(SimNode n) {
    return n.dht().bootstrapStatus().state() == Bootstrap.State.DONE;
  }

  /** Runs until every up node among the non-bootnodes is bootstrapped, or the limit passes. */
  boolean awaitBootstrap(Duration limit) {
    return sim.runUntil(
        () -> others.stream().filter(SimNode::isUp).allMatch(this::bootstrapped), limit);
  }
}
