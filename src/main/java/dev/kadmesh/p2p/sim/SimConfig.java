package dev.kadmesh.p2p.sim;

import dev.kadmesh.p2p.gossip.GossipConfig;
import dev.kadmesh.p2p.swarm.SwarmConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a simulated network. Faults set here apply to every node; {@link SimNode} can
 * override them per node.
 *
 * @param seed makes the run reproducible: same seed and same calls, same run
 * @param minDelay shortest one-way link delay
 * @param maxDelay longest one-way link delay (each message draws uniformly in between)
 * @param dropRate probability that a message is lost
 * @param dialFailure how long a send to an unreachable node takes to fail
 * @param swarm message settings of every node
 * @param gossip broadcast settings of every node
 */
public record SimConfig(
    long seed,
    Duration minDelay,
    Duration maxDelay,
    double dropRate,
    Duration dialFailure,
    SwarmConfig swarm,
    GossipConfig gossip) {

  public SimConfig {
    Objects.requireNonNull(minDelay, "minDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(dialFailure, "dialFailure");
    Objects.requireNonNull(swarm, "swarm");
    Objects.requireNonNull(gossip, "gossip");
    if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
      throw new IllegalArgumentException("need 0 <= minDelay <= maxDelay");
    }
    if (dropRate < 0 || dropRate >= 1) {
      throw new IllegalArgumentException("dropRate must be in [0, 1)");
    }
  }

  /** 10 to 50 ms links, no loss, dials to dead nodes fail after 100 ms. */
  public static SimConfig defaults(long seed) {
    return new SimConfig(seed, Duration.ofMillis(10), Duration.ofMillis(50), 0.0,
        Duration.ofMillis(100), SwarmConfig.defaults("kadmesh/0.1.0", 1024 * 1024),
        GossipConfig.defaults());
  }

  public SimConfig withDelay(Duration min, Duration max) {
    return new SimConfig(seed, min, max, dropRate, dialFailure, swarm, gossip);
  }

  public SimConfig withDropRate(double rate) {
    return new SimConfig(seed, minDelay, maxDelay, rate, dialFailure, swarm, gossip);
  }

  public SimConfig withGossip(GossipConfig config) {
    return new SimConfig(seed, minDelay, maxDelay, dropRate, dialFailure, swarm, config);
  }
}
