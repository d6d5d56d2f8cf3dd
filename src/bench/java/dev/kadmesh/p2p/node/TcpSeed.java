package dev.kadmesh.p2p.node;

import dev.kadmesh.bench.SeedRows;
import dev.kadmesh.bench.SeedRows.Fault;
import dev.kadmesh.bench.SeedRows.Phase;
import dev.kadmesh.bench.SeedRows.Row;
import dev.kadmesh.p2p.dht.Bootstrap;
import dev.kadmesh.p2p.dht.LookupResult;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.MessageStream;
import dev.kadmesh.p2p.swarm.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The seed's "SendMessage to unknown after bootstrap" rows over real TCP on loopback: real nodes
 * in this JVM, faults injected above TCP ({@link FaultyTransport}) once the network has
 * bootstrapped, one phase after another on the same network (none, delays, drops, disconnects).
 * Times are wall time.
 */
public final class TcpSeed {
  static final long RESEND_AFTER_MILLIS = 2000;
  static final int MAX_ATTEMPTS = 5;
  static final Fault[] ORDER = {Fault.NONE, Fault.DELAYS, Fault.DROPS, Fault.DISCONNECTS};

  private final TcpCluster cluster = new TcpCluster();
  private final List<FaultyTransport> transports = new ArrayList<>();
  private final List<P2PNode> others = new ArrayList<>();
  private final Random random;
  private final ConcurrentLinkedQueue<LookupResult> lookups = new ConcurrentLinkedQueue<>();
  private final Map<P2PNode, MessageStream> inboxes = new HashMap<>();
  private volatile P2PNode recording;

  private TcpSeed(long seed) {
    this.random = new Random(seed);
  }

  /** The shape used at {@code nodes}: bootnodes, k, bucket count, minimum table. */
  public static String shape(int nodes) {
    return (nodes <= 10 ? 3 : 5) + " bootnodes, k = 20, 20 buckets, min table "
        + (nodes <= 10 ? 5 : 20);
  }

  /** Bootstraps {@code nodes} real nodes, then runs the four phases of {@code sends} each. */
  public static List<Row> run(int nodes, int sends, long seed) throws Exception {
    TcpSeed s = new TcpSeed(seed);
    try (TcpCluster cluster = s.cluster) {
      s.start(nodes);
      List<Row> rows = new ArrayList<>();
      for (Fault f : ORDER) {
        String detail = s.inject(f);
        Phase phase = new Phase(sends);
        for (int i = 0; i < sends; i++) {
          s.sendOne(phase);
        }
        Row row = phase.row("real TCP", nodes, shape(nodes), f, detail);
        System.out.println(row);
        rows.add(row);
        s.transports.forEach(t -> t.setFaults(0, 0, 0));
      }
      return rows;
    }
  }

  private void start(int nodes) {
    int bootCount = nodes <= 10 ? 3 : 5;
    int minTable = nodes <= 10 ? 5 : 20;
    // loopback answers in well under a millisecond: a short RPC timeout keeps lost requests cheap
    UnaryOperator<P2PConfig> shape = c -> c.withDht(c.dht().withTable(20, 20, minTable)
        .withRpcTimeout(Duration.ofMillis(800)));
    UnaryOperator<Transport> inject = t -> {
      FaultyTransport f = new FaultyTransport(t, 0, 0, 0, random.nextLong(),
          cluster.resources.scheduler());
      transports.add(f);
      return f;
    };
    List<P2PNode> boots = new ArrayList<>();
    for (int i = 0; i < bootCount; i++) {
      List<Node> earlier = boots.stream().map(P2PNode::node).toList();
      boots.add(cluster.start(earlier, c -> c.withDht(c.dht().withTable(20, 20, 0)), inject));
    }
    List<Node> bootList = boots.stream().map(P2PNode::node).toList();
    List<CompletableFuture<Void>> joined = new ArrayList<>();
    for (int i = bootCount; i < nodes; i++) {
      P2PNode n = cluster.start(bootList, shape, inject);
      others.add(n);
      joined.add(n.dht().bootstrapped());
    }
    for (P2PNode n : cluster.nodes) {
      n.dht().stats().onLookup(r -> {
        if (recording == n) {
          lookups.add(r);
        }
      });
    }
    CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)).orTimeout(5, TimeUnit.MINUTES)
        .join();
  }

  private String inject(Fault f) throws InterruptedException {
    switch (f) {
      case DELAYS -> {
        long max = 50 + random.nextInt(251);
        transports.forEach(t -> t.setFaults(0, 50, max));
        return "every message waits 50-" + max + " ms before it is written";
      }
      case DROPS -> {
        double rate = SeedRows.dropRate(random);
        transports.forEach(t -> t.setFaults(rate, 0, 0));
        return String.format(Locale.ROOT, "%.1f %% of messages lost", 100 * rate);
      }
      case DISCONNECTS -> {
        List<P2PNode> down = SeedRows.toTakeDown(others, random);
        down.forEach(P2PNode::close);
        return SeedRows.downDetail(down.size(), others.size(), "shut down");
      }
      default -> {
        return "";
      }
    }
  }

  private void sendOne(Phase phase) throws Exception {
    SeedRows.Pair<P2PNode> pair = SeedRows.pick(
        others.stream().filter(P2PNode::isRunning).toList(), random,
        (s, t) -> s.dht().table().find(t.node().id()).isEmpty()
            && s.pool().get(t.node().id()).isEmpty(), TcpSeed::forget);
    P2PNode sender = pair.sender();
    P2PNode target = pair.target();
    MessageStream inbox = inboxes.computeIfAbsent(target, t -> t.swarm().registerProtocol("seed"));
    lookups.clear();
    recording = sender;
    long answered = sender.dht().stats().findNodeAnswered();
    long answerMillis = sender.dht().stats().findNodeMillis();
    long start = System.nanoTime();
    long arrival = 0;
    int attempts = 0;
    Message m = null;
    while (m == null && attempts < MAX_ATTEMPTS) {
      attempts++;
      CompletableFuture<Void> sent =
          sender.swarm().sendMessageAsync(target.node().id(), "seed", new byte[64]);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (m == null && !sent.isDone() && System.nanoTime() < deadline) {
        m = inbox.poll(Duration.ofMillis(10));
      }
      if (m == null) {
        m = inbox.poll(Duration.ofMillis(RESEND_AFTER_MILLIS));
      }
      arrival = System.nanoTime();
    }
    recording = null;
    long rounds = lookups.stream().mapToLong(LookupResult::rounds).sum();
    long rpcs = lookups.stream().mapToLong(LookupResult::rpcs).sum();
    long failures = lookups.stream().mapToLong(LookupResult::failures).sum();
    phase.add(m != null, attempts, (arrival - start) / 1_000_000, rounds, rpcs, failures,
        sender.dht().stats().findNodeAnswered() - answered,
        sender.dht().stats().findNodeMillis() - answerMillis);
  }

  /** Makes {@code sender} forget {@code target} and closes the connection between them. */
  private static void forget(P2PNode sender, P2PNode target) {
    sender.pool().get(target.node().id()).ifPresent(c -> c.close());
    target.pool().get(sender.node().id()).ifPresent(c -> c.close());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sender.pool().get(target.node().id()).isPresent()
        || target.pool().get(sender.node().id()).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a closed connection stayed in the pool for 10 s");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // polling for the close
    }
    sender.dht().table().evict(target.node().id());
  }

  /** For a quick look: {@code TcpSeed [nodes] [sends]}. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int sends = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    run(n, sends, 1).forEach(System.out::println);
  }
}
