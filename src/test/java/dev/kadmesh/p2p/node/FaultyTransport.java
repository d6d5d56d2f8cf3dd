package dev.kadmesh.p2p.node;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.swarm.Transport;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Loses or delays a node's outgoing messages over real TCP: a lost message is reported as written
 * (as TCP would) but never sent; a delayed one is sent after a random pause. Seeded.
 */
final class FaultyTransport implements Transport {
  private final Transport inner;
  private volatile double dropRate;
  private volatile long minDelayMillis;
  private volatile long maxDelayMillis;
  private final Random random;
  private final ScheduledExecutorService scheduler;

  FaultyTransport(Transport inner, double dropRate, long minDelayMillis, long maxDelayMillis,
      long seed, ScheduledExecutorService scheduler) {
    this.inner = inner;
    this.dropRate = dropRate;
    this.minDelayMillis = minDelayMillis;
    this.maxDelayMillis = maxDelayMillis;
    this.random = new Random(seed);
    this.scheduler = scheduler;
  }

  /** Changes the faults for the messages sent from now on. */
  void setFaults(double dropRate, long minDelayMillis, long maxDelayMillis) {
    this.dropRate = dropRate;
    this.minDelayMillis = minDelayMillis;
    this.maxDelayMillis = maxDelayMillis;
  }

  @Override
  public CompletableFuture<Void> send(NodeId to, Node address, byte[] envelope) {
    double roll;
    long delay;
    double drop = dropRate;
    long min = minDelayMillis;
    long max = maxDelayMillis;
    synchronized (random) {
      roll = random.nextDouble();
      delay = max > min ? min + random.nextInt((int) (max - min + 1)) : min;
    }
    if (roll < drop) {
      return CompletableFuture.completedFuture(null);
    }
    if (delay <= 0) {
      return inner.send(to, address, envelope);
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    scheduler.schedule(() -> inner.send(to, address, envelope).whenComplete((ok, e) -> {
      if (e == null) {
        result.complete(null);
      } else {
        result.completeExceptionally(e);
      }
    }), delay, TimeUnit.MILLISECONDS);
    return result;
  }

  @Override
  public boolean isConnected(NodeId peer) {
    return inner.isConnected(peer);
  }

  @Override
  public void misbehaved(NodeId peer, dev.kadmesh.p2p.swarm.RejectReason reason) {
    inner.misbehaved(peer, reason);
  }

  @Override
  public void setReceiver(Receiver receiver) {
    inner.setReceiver(receiver);
  }
}
