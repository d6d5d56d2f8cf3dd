package dev.kadmesh.bench;

import dev.kadmesh.p2p.dht.RoutingTable;
import dev.kadmesh.p2p.identity.DhtId;
import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.Node;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A routing table with k = 20 and 256 buckets, fed 2000 nodes: updates and nearest-k queries. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RoutingTableBench {
  private RoutingTable table;
  private final List<Node> nodes = new ArrayList<>();
  private final List<DhtId> targets = new ArrayList<>();
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    SecureRandom random = new SecureRandom();
    table = new RoutingTable(LocalNode.generate("127.0.0.1", 1, random).dhtId(), 20, 256, 10);
    for (int i = 0; i < 2000; i++) {
      Node n = LocalNode.generate("127.0.0.1", 10_000 + i, random).node();
      nodes.add(n);
      table.update(n, i);
      targets.add(LocalNode.generate("127.0.0.1", 1, random).dhtId());
    }
  }

  /** A node heard from again (the common case: it is in the table or its bucket is full). */
  @Benchmark
  public Object update() {
    Node n = nodes.get(next++ % nodes.size());
    return table.update(n, next);
  }

  /** The 20 nodes closest to a random id, as every FindNode answer needs. */
  @Benchmark
  public Object nearest() {
    return table.nearest(targets.get(next++ % targets.size()), 20);
  }
}
