package dev.kadmesh.bench;

import dev.kadmesh.bench.SeedRows.Fault;
import dev.kadmesh.bench.SeedRows.Phase;
import dev.kadmesh.bench.SeedRows.Row;
import dev.kadmesh.p2p.dht.LookupResult;
import dev.kadmesh.p2p.sim.SimNode;
import dev.kadmesh.p2p.sim.Simulator;
import dev.kadmesh.p2p.swarm.MessageStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The seed's "SendMessage to unknown after bootstrap" rows on a bootstrapped simulated network.
 * The faults start once the network has bootstrapped, one phase after another on the same
 * network: none, then delays, then drops, then disconnects (which stay). Seeded throughout.
 */
final class SeedSim {
  /** A message that has not arrived this long after its send completed is sent again. */
  static final long RESEND_AFTER_MILLIS = 2000;
  static final int MAX_ATTEMPTS = 5;
  static final Fault[] ORDER = {Fault.NONE, Fault.DELAYS, Fault.DROPS, Fault.DISCONNECTS};

  private final Simulator sim;
  private final List<SimNode> others;
  private final Random random;
  private final List<LookupResult> lookups = new ArrayList<>();
  private final Map<SimNode, MessageStream> inboxes = new HashMap<>();

  private SeedSim(SimBench.Network net, long seed) {
    this.sim = net.sim();
    this.others = net.others();
    this.random = new Random(seed);
    // lookups by node id (a send's lookups among them) land here; the simulator is one thread
    sim.nodes().forEach(n -> n.dht().stats().onLookup(lookups::add));
  }

  /** Runs the four phases of {@code sends} sends each and returns their rows. */
  static List<Row> run(SimBench.Network net, int nodes, String shape, int sends, long seed) {
    SeedSim s = new SeedSim(net, seed);
    List<Row> rows = new ArrayList<>();
    for (Fault f : ORDER) {
      String detail = s.inject(f);
      Phase phase = new Phase(sends);
      for (int i = 0; i < sends; i++) {
        s.sendOne(phase);
      }
      Row row = phase.row("simulator", nodes, shape, f, detail);
      System.out.println(row);
      rows.add(row);
      s.clear(f);
    }
    return rows;
  }

  private String inject(Fault f) {
    switch (f) {
      case DELAYS -> {
        for (SimNode n : sim.nodes()) {
          n.setExtraDelay(25 + random.nextInt(126));
        }
        return "each node adds 25-150 ms to what it sends and receives: 50-300 ms more per"
            + " message";
      }
      case DROPS -> {
        double rate = SeedRows.dropRate(random);
        sim.nodes().forEach(n -> n.setDropRate(rate));
        return String.format(Locale.ROOT, "%.1f %% of messages lost", 100 * rate);
      }
      case DISCONNECTS -> {
        List<SimNode> down = SeedRows.toTakeDown(others, random);
        sim.disconnectAll(down);
        return SeedRows.downDetail(down.size(), others.size(), "went down");
      }
      default -> {
        return "";
      }
    }
  }

  private void clear(Fault f) {
    if (f == Fault.DELAYS) {
      sim.nodes().forEach(n -> n.setExtraDelay(0));
    } else if (f == Fault.DROPS) {
      sim.nodes().forEach(n -> n.setDropRate(0));
    }
  }

  private void sendOne(Phase phase) {
    SeedRows.Pair<SimNode> pair = SeedRows.pick(others.stream().filter(SimNode::isUp).toList(),
        random, (s, t) -> s.dht().table().find(t.id()).isEmpty(),
        (s, t) -> s.dht().table().evict(t.id()));
    SimNode sender = pair.sender();
    SimNode target = pair.target();
    sim.closeConnection(sender, target); // as an idle timeout would
    MessageStream inbox = inboxes.computeIfAbsent(target, t -> t.registerProtocol("seed"));
    lookups.clear();
    long answered = sender.dht().stats().findNodeAnswered();
    long answerMillis = sender.dht().stats().findNodeMillis();
    long start = sim.clock().nowMillis();
    int attempts = 0;
    SimNode from = sender;
    SimNode to = target;
    while (inbox.size() == 0 && attempts < MAX_ATTEMPTS) {
      attempts++;
      CompletableFuture<Void> sent = from.sendMessageAsync(to.id(), "seed", new byte[64]);
      run(() -> inbox.size() > 0 || sent.isDone(), 120_000);
      run(() -> inbox.size() > 0, RESEND_AFTER_MILLIS);
    }
    boolean arrived = inbox.size() > 0;
    long total = sim.clock().nowMillis() - start;
    inbox.poll();
    long rounds = lookups.stream().mapToLong(LookupResult::rounds).sum();
    long rpcs = lookups.stream().mapToLong(LookupResult::rpcs).sum();
    long failures = lookups.stream().mapToLong(LookupResult::failures).sum();
    phase.add(arrived, attempts, total, rounds, rpcs, failures,
        sender.dht().stats().findNodeAnswered() - answered,
        sender.dht().stats().findNodeMillis() - answerMillis);
    sim.runFor(Duration.ofSeconds(1)); // answers still in flight settle before the next send
  }

  /** Runs virtual time in 1 ms steps until {@code done} or {@code limitMillis} pass. */
  private void run(BooleanSupplier done, long limitMillis) {
    long end = sim.clock().nowMillis() + limitMillis;
    while (!done.getAsBoolean() && sim.clock().nowMillis() < end) {
      sim.clock().advance(1);
    }
  }
}
