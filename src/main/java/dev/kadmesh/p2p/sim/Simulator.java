package dev.kadmesh.p2p.sim;

import dev.kadmesh.p2p.dht.DhtConfig;
import dev.kadmesh.p2p.identity.LocalNode;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.swarm.SendFailure;
import dev.kadmesh.p2p.time.VirtualScheduler;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process network of nodes that run the real swarm and DHT code with no sockets, on one
 * virtual clock, with seeded faults: message loss, link delays, nodes that disconnect (and come
 * back), partitions. The same seed and the same calls give the same run. Single-threaded: drive it
 * from one thread with {@link #runUntil} or {@link #runFor}.
 *
 * <p>Messages between two nodes arrive in the order they were sent (like a TCP connection), each
 * after a delay drawn between the configured bounds. A send to a node that is down or unknown
 * fails after {@link SimConfig#dialFailure()}; a message lost to a drop or a partition simply
 * never arrives (its sender's request then times out).
 */
public final class Simulator {
  private static final Logger log = LoggerFactory.getLogger(Simulator.class);
  private static final long START = 1_800_000_000_000L;

  private final SimConfig config;
  private final VirtualScheduler clock = new VirtualScheduler(START);
  private final Random random;
  private final SecureRandom keys;
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<NodeId, SimNode> byId = new HashMap<>();
  /** Pairs of nodes with a connection (value unused). */
  private final LongLongMap connected = new LongLongMap();
  /** Per direction of a link, when its last message arrives (to keep messages in order). */
  private final LongLongMap lastArrival = new LongLongMap();
  /**
   * Per direction of a link whose receiver cut it off for a protocol violation: the time of the
   * cut. Messages sent on it until then and still in flight are lost, as with a closed socket.
   */
  private final LongLongMap cutAt = new LongLongMap();
  private Set<SimNode> partitionSide;
  private long sent;
  private long delivered;
  private long dropped;

  public Simulator(SimConfig config) {
    this.config = config;
    this.random = new Random(config.seed());
    try {
      this.keys = SecureRandom.getInstance("SHA1PRNG");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG is part of every JDK", e);
    }
    keys.setSeed(config.seed());
    log.info("simulation seed {}", config.seed());
  }

  public SimConfig config() {
    return config;
  }

  public long seed() {
    return config.seed();
  }

  /** The virtual clock every node uses. */
  public VirtualScheduler clock() {
    return clock;
  }

  public List<SimNode> nodes() {
    return List.copyOf(nodes);
  }

  /** A node with a fresh identity and the given DHT settings; its DHT starts at once. */
  public SimNode newNode(DhtConfig dht) {
    int index = nodes.size();
    if (index >= PAIR_BASE - 1) {
      throw new IllegalStateException("a simulation holds at most " + (PAIR_BASE - 1) + " nodes");
    }
    return newNodeFrom(LocalNode.generate(hostOf(index), 7513, keys), dht);
  }

  /** A node with a fresh identity, default DHT settings and no bootnodes. */
  public SimNode newNode() {
    return newNode(DhtConfig.defaults(List.of()));
  }

  /** A node with an existing identity (its host and port are kept as its address). */
  public SimNode newNodeFrom(LocalNode identity, DhtConfig dht) {
    if (byId.containsKey(identity.id())) {
      throw new IllegalArgumentException("a node with id " + identity.id() + " exists already");
    }
    SimNode node = new SimNode(this, nodes.size(), identity, dht, new Random(random.nextLong()));
    nodes.add(node);
    byId.put(node.id(), node);
    node.dht().start();
    return node;
  }

  /** Simulated hosts live in 127.0.0.0/8 although no socket is ever opened. */
  private static String hostOf(int index) {
    int n = index + 1;
    return "127." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
  }

  /** The node goes down: its connections break and nothing reaches it until {@link #reconnect}. */
  public void disconnect(SimNode node) {
    node.up = false;
    connected.removeKeys(
        pair -> pair / PAIR_BASE == node.index || pair % PAIR_BASE == node.index);
  }

  /**
   * Takes many nodes down at once, like {@link #disconnect} on each, with one pass over the
   * connection table instead of one per node.
   */
  public void disconnectAll(Collection<SimNode> down) {
    java.util.BitSet gone = new java.util.BitSet();
    for (SimNode n : down) {
      n.up = false;
      gone.set(n.index);
    }
    connected.removeKeys(
        pair -> gone.get((int) (pair / PAIR_BASE)) || gone.get((int) (pair % PAIR_BASE)));
  }

  /** The node comes back with its state (routing table, registrations) intact. */
  public void reconnect(SimNode node) {
    node.up = true;
  }

  /**
   * Closes the connection between two nodes (as an idle timeout would): their next message needs
   * a new dial, and a send by node id needs the address again.
   */
  public void closeConnection(SimNode a, SimNode b) {
    connected.remove(pair(a.index, b.index));
  }

  /**
   * {@code receiver} drops its connection to {@code offender}, which broke the protocol: the link
   * closes and what the offender sent on it that has not arrived yet is lost. The offender may
   * connect again (the simulator has no addresses to refuse).
   */
  void cutOff(SimNode receiver, NodeId offender) {
    SimNode from = byId.get(offender);
    if (from != null) {
      closeConnection(receiver, from);
      cutAt.put(from.index * PAIR_BASE + receiver.index, clock.nowMillis());
    }
  }

  /** Messages between {@code side} and the other nodes are lost until {@link #heal()}. */
  public void partition(Collection<SimNode> side) {
    partitionSide = new HashSet<>(side);
  }

  public void heal() {
    partitionSide = null;
  }

  /**
   * Advances virtual time until {@code condition} holds or {@code limit} of virtual time has
   * passed.
   *
   * @return whether the condition holds
   */
  public boolean runUntil(BooleanSupplier condition, Duration limit) {
    long end = clock.nowMillis() + limit.toMillis();
    while (!condition.getAsBoolean()) {
      if (clock.nowMillis() >= end) {
        return false;
      }
      clock.runUntil(Math.min(end, clock.nowMillis() + 10));
    }
    return true;
  }

  /** Advances virtual time by {@code duration}, running everything that falls due. */
  public void runFor(Duration duration) {
    clock.advance(duration.toMillis());
  }

  /** Messages handed to the network, delivered, and lost (drops and partitions). */
  public record Stats(long sent, long delivered, long dropped) {}

  public Stats stats() {
    return new Stats(sent, delivered, dropped);
  }

  CompletableFuture<Void> send(SimNode from, NodeId to, byte[] envelope) {
    SimNode target = byId.get(to);
    if (!from.up) {
      return CompletableFuture.failedFuture(
          new SendFailure(SendFailure.Kind.SHUTTING_DOWN, from + " is disconnected"));
    }
    if (target == null || !target.up) {
      CompletableFuture<Void> failed = new CompletableFuture<>();
      clock.schedule(() -> failed.completeExceptionally(
          new SendFailure(SendFailure.Kind.UNREACHABLE, "cannot connect to " + to)),
          config.dialFailure().toMillis());
      return failed;
    }
    sent++;
    connected.put(pair(from.index, target.index), 1);
    if (lost(from, target)) {
      dropped++;
      return CompletableFuture.completedFuture(null);
    }
    long arrival = clock.nowMillis() + delay(from, target);
    long link = from.index * PAIR_BASE + target.index;
    long previous = lastArrival.get(link, Long.MIN_VALUE);
    if (previous > arrival) {
      arrival = previous; // same link: keep the order of sending
    }
    lastArrival.put(link, arrival);
    long sentAt = clock.nowMillis();
    if (sent % 1_000_000 == 0) {
      long now = clock.nowMillis(); // a link whose last message has arrived orders nothing
      lastArrival.removeEntries((key, last) -> last <= now);
    }
    clock.schedule(() -> {
      if (cutAt.size() > 0 && sentAt <= cutAt.get(link, Long.MIN_VALUE)) {
        dropped++; // in flight when the receiver cut the link off
      } else if (target.up && from.up && !separated(from, target)) {
        delivered++;
        target.transport.receive(from, envelope);
      } else {
        dropped++;
      }
    }, arrival - clock.nowMillis());
    return CompletableFuture.completedFuture(null);
  }

  boolean isConnected(SimNode from, NodeId to) {
    SimNode target = byId.get(to);
    return target != null && target.up && from.up
        && connected.containsKey(pair(from.index, target.index));
  }

  private boolean lost(SimNode from, SimNode to) {
    if (separated(from, to)) {
      return true;
    }
    double rate = Math.max(rate(from), rate(to));
    return rate > 0 && random.nextDouble() < rate;
  }

  private double rate(SimNode n) {
    return n.dropRate >= 0 ? n.dropRate : config.dropRate();
  }

  private boolean separated(SimNode a, SimNode b) {
    return partitionSide != null && partitionSide.contains(a) != partitionSide.contains(b);
  }

  private long delay(SimNode from, SimNode to) {
    long min = config.minDelay().toMillis();
    long max = config.maxDelay().toMillis();
    long base = max > min ? min + (long) (random.nextDouble() * (max - min + 1)) : min;
    return base + from.extraDelayMillis + to.extraDelayMillis;
  }

  /** Node pairs as one long, spread well by {@code Long.hashCode} (unlike {@code a << 32 | b}). */
  private static final long PAIR_BASE = 1_000_003L;

  private static long pair(int a, int b) {
    return a < b ? a * PAIR_BASE + b : b * PAIR_BASE + a;
  }
}
