package dev.kadmesh.p2p.dht;

import dev.kadmesh.p2p.identity.Node;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the DHT.
 *
 * @param bucketSize k: nodes per bucket, and nodes per FindNode answer
 * @param bucketCount buckets in the routing table
 * @param alpha FindNode queries a lookup keeps in flight
 * @param rpcTimeout deadline of one FindNode or ping
 * @param bootnodes nodes to start from
 * @param minRoutingTableSize bootstrap is done once the table holds this many nodes
 * @param bootstrapRetryMin first wait before bootstrap tries again
 * @param bootstrapRetryMax longest wait between bootstrap attempts
 * @param refreshInterval buckets untouched for this long are refreshed by a lookup
 * @param maxFailures consecutive failed requests after which a node leaves the table
 */
public record DhtConfig(
    int bucketSize,
    int bucketCount,
    int alpha,
    Duration rpcTimeout,
    List<Node> bootnodes,
    int minRoutingTableSize,
    Duration bootstrapRetryMin,
    Duration bootstrapRetryMax,
    Duration refreshInterval,
    int maxFailures) {

  public DhtConfig {
    bootnodes = List.copyOf(Objects.requireNonNull(bootnodes, "bootnodes"));
    require(bucketSize >= 1, "bucketSize must be at least 1");
    require(bucketCount >= 1 && bucketCount <= 257, "bucketCount must be in 1..257");
    require(alpha >= 1, "alpha must be at least 1");
    require(minRoutingTableSize >= 0, "minRoutingTableSize must not be negative");
    require(maxFailures >= 1, "maxFailures must be at least 1");
    for (Duration d : List.of(rpcTimeout, bootstrapRetryMin, bootstrapRetryMax, refreshInterval)) {
      require(d != null && !d.isNegative() && !d.isZero(), "durations must be positive");
    }
    require(bootstrapRetryMax.compareTo(bootstrapRetryMin) >= 0,
        "bootstrapRetryMax must be at least bootstrapRetryMin");
  }

  /** k = 20, 20 buckets, alpha = 3, 5 s RPCs, minimum table of 5, 1 h refresh. */
  public static DhtConfig defaults(List<Node> bootnodes) {
    return new DhtConfig(20, 20, 3, Duration.ofSeconds(5), bootnodes, 5, Duration.ofSeconds(1),
        Duration.ofSeconds(60), Duration.ofHours(1), 3);
  }

  public DhtConfig withTable(int k, int buckets, int minSize) {
    return new DhtConfig(k, buckets, alpha, rpcTimeout, bootnodes, minSize, bootstrapRetryMin,
        bootstrapRetryMax, refreshInterval, maxFailures);
  }

  public DhtConfig withAlpha(int parallelQueries) {
    return new DhtConfig(bucketSize, bucketCount, parallelQueries, rpcTimeout, bootnodes,
        minRoutingTableSize, bootstrapRetryMin, bootstrapRetryMax, refreshInterval, maxFailures);
  }

  public DhtConfig withRpcTimeout(Duration timeout) {
    return new DhtConfig(bucketSize, bucketCount, alpha, timeout, bootnodes, minRoutingTableSize,
        bootstrapRetryMin, bootstrapRetryMax, refreshInterval, maxFailures);
  }

  public DhtConfig withBootnodes(List<Node> nodes) {
    return new DhtConfig(bucketSize, bucketCount, alpha, rpcTimeout, nodes, minRoutingTableSize,
        bootstrapRetryMin, bootstrapRetryMax, refreshInterval, maxFailures);
  }

  public DhtConfig withRefreshInterval(Duration interval) {
    return new DhtConfig(bucketSize, bucketCount, alpha, rpcTimeout, bootnodes, minRoutingTableSize,
        bootstrapRetryMin, bootstrapRetryMax, interval, maxFailures);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
