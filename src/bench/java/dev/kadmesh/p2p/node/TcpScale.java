package dev.kadmesh.p2p.node;

import dev.kadmesh.p2p.dht.LookupResult;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.net.Connection;
import dev.kadmesh.p2p.net.NetListener;
import dev.kadmesh.p2p.pool.PoolConfig;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real nodes on loopback, all in this JVM and on two shared event loops, joining at once: 10
 * bootnodes, then the rest from all of them (k = 20, 20 buckets, minimum table 20, as in the
 * simulator figures). Both ends of every connection live in this process, so connections idle
 * for {@value #IDLE_MILLIS} ms are closed to stay within the file-descriptor limit; the peak of
 * open descriptors is reported.
 */
public final class TcpScale {
  static final long IDLE_MILLIS = 2000;

  /** What one run measured. */
  public record Figures(int nodes, double bootstrapSeconds, long handshakes,
      double handshakesPerSecond, int peakFds, int lookups, double meanRounds,
      double successRate) {}

  private TcpScale() {}

  public static Figures run(int nodes, int lookups, long seed) throws Exception {
    long needed = 13L * nodes + 1000; // the 1000-node run peaked at about 12,500
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean os
        && os.getMaxFileDescriptorCount() < needed) {
      throw new IllegalStateException(nodes + " real nodes need about " + needed
          + " file descriptors; this process may open " + os.getMaxFileDescriptorCount()
          + " (raise it with ulimit -n)");
    }
    try (TcpCluster cluster = new TcpCluster()) {
      AtomicLong established = new AtomicLong();
      AtomicInteger peakFds = new AtomicInteger();
      PoolConfig pool = new PoolConfig(1000, 900, Duration.ofMillis(500),
          Duration.ofMillis(IDLE_MILLIS));
      java.util.function.UnaryOperator<P2PConfig> tune =
          c -> c.withPool(pool).withDht(c.dht().withTable(20, 20, 20)
              .withRpcTimeout(Duration.ofSeconds(5)));
      List<P2PNode> boots = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        List<Node> earlier = boots.stream().map(P2PNode::node).toList();
        int min = Math.min(i, 20);
        boots.add(cluster.start(earlier,
            c -> tune.apply(c).withDht(tune.apply(c).dht().withTable(20, 20, min))));
      }
      boots.forEach(b -> count(b, established));
      List<Node> bootList = boots.stream().map(P2PNode::node).toList();
      long t0 = System.nanoTime();
      List<P2PNode> others = new ArrayList<>();
      List<CompletableFuture<Void>> joined = new ArrayList<>();
      for (int i = boots.size(); i < nodes; i++) {
        P2PNode n = cluster.start(bootList, tune);
        count(n, established);
        others.add(n);
        joined.add(n.dht().bootstrapped());
      }
      CompletableFuture<Void> all = CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
      while (!all.isDone()) {
        peakFds.accumulateAndGet(openFds(), Math::max);
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the nodes did not all bootstrap within 20 minutes");
        }
        Thread.sleep(200); // sampling the descriptor count, not waiting for a result
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long handshakes = established.get() / 2; // both ends report each one

      Random pick = new Random(seed);
      List<P2PNode> everyone = new ArrayList<>(cluster.nodes);
      int found = 0;
      long rounds = 0;
      for (int i = 0; i < lookups; i++) {
        P2PNode from;
        P2PNode target;
        do {
          from = everyone.get(pick.nextInt(everyone.size()));
          target = everyone.get(pick.nextInt(everyone.size()));
        } while (from == target || from.dht().table().find(target.local().id()).isPresent());
        LookupResult r = from.dht().lookup(target.local().id()).get(60, TimeUnit.SECONDS);
        found += r.found().isPresent() ? 1 : 0;
        rounds += r.rounds();
      }
      return new Figures(nodes, seconds, handshakes, handshakes / seconds, peakFds.get(),
          lookups, rounds / (double) Math.max(1, lookups), found / (double) Math.max(1, lookups));
    }
  }

  private static void count(P2PNode node, AtomicLong established) {
    node.net().subscribe(new NetListener() {
      @Override
      public void onEstablished(Connection connection, long handshakeNanos) {
        established.incrementAndGet();
      }
    });
  }

  /** Open file descriptors of this process (Linux), or -1. */
  static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    System.out.println(run(n, 100, 1));
  }
}
