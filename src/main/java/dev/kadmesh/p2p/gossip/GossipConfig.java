package dev.kadmesh.p2p.gossip;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the broadcast layer.
 *
 * @param fanout members of each routing-table bucket a node relays a new message to (chosen at
 *     random, never the peer it came from nor its author); more means more redundancy against loss
 *     and more duplicates
 * @param seenCapacity message ids remembered to drop duplicates (bounded memory)
 * @param seenTtl how long an id is remembered; keep it at least the message timestamp window so
 *     that a replay is either a remembered duplicate or too old
 */
public record GossipConfig(int fanout, int seenCapacity, Duration seenTtl) {

  public GossipConfig {
    Objects.requireNonNull(seenTtl, "seenTtl");
    if (fanout < 1) {
      throw new IllegalArgumentException("fanout must be at least 1");
    }
    if (seenCapacity < 1) {
      throw new IllegalArgumentException("seenCapacity must be at least 1");
    }
    if (seenTtl.isNegative() || seenTtl.isZero()) {
      throw new IllegalArgumentException("seenTtl must be positive");
    }
  }

  /** Fan-out 2 per bucket, 100,000 ids remembered for 5 minutes. */
  public static GossipConfig defaults() {
    return new GossipConfig(2, 100_000, Duration.ofMinutes(5));
  }

  public GossipConfig withFanout(int n) {
    return new GossipConfig(n, seenCapacity, seenTtl);
  }

  public GossipConfig withSeenCapacity(int n) {
    return new GossipConfig(fanout, n, seenTtl);
  }
}
