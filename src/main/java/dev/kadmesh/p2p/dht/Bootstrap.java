package dev.kadmesh.p2p.dht;

import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.time.Scheduler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the network: looks up our own id starting from the bootnodes (which also makes every node
 * on the way learn about us), then a random id in every bucket the self-lookup did not fill,
 * until the table holds the configured minimum. Below it, tries again with exponential backoff for as long as the node runs.
 * Never blocks; progress is visible through {@link #status()}.
 */
public final class Bootstrap {
  private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

  /** Where bootstrap stands. */
  public enum State {
    NOT_STARTED,
    RUNNING,
    /** The table reached the minimum at least once. */
    DONE,
    STOPPED
  }

  /** A snapshot of bootstrap progress. */
  public record Status(State state, int attempts, int tableSize, int minimum) {}

  private final Dht dht;
  private final DhtConfig config;
  private final Scheduler scheduler;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile State state = State.NOT_STARTED;
  private volatile int attempts;
  private volatile Scheduler.Cancellable retry = () -> {};

  Bootstrap(Dht dht, DhtConfig config, Scheduler scheduler) {
    this.dht = dht;
    this.config = config;
    this.scheduler = scheduler;
  }

  Status status() {
    return new Status(state, attempts, dht.table().size(), config.minRoutingTableSize());
  }

  CompletableFuture<Void> done() {
    return done.copy();
  }

  void start() {
    if (state != State.NOT_STARTED) {
      return;
    }
    state = State.RUNNING;
    if (reachedMinimum() && config.bootnodes().isEmpty()) {
      succeed();
      return;
    }
    attempt(); // with bootnodes, at least once: a node must announce itself to join
  }

  void stop() {
    state = State.STOPPED;
    retry.cancel();
  }

  private boolean reachedMinimum() {
    return dht.table().size() >= config.minRoutingTableSize();
  }

  private void attempt() {
    if (state != State.RUNNING) {
      return;
    }
    attempts++;
    // Bootnodes are only where the lookup starts: they enter the table once they answer.
    dht.lookupClosest(dht.self().dhtId(), config.bootnodes())
        .thenCompose(r -> fillBuckets(0, lastBucketToFill()))
        .whenComplete((r, e) -> afterAttempt());
  }

  /**
   * The last bucket that needs a lookup of its own: the bucket of our k-th closest known node.
   * Every node closer than that one is known (the self-lookup found the k closest, and all of
   * them answered), so the buckets beyond it already hold all the nodes their regions have. With
   * fewer than k nodes known (a small or lossy network), the bucket of our closest neighbour:
   * buckets beyond it are empty by nature.
   */
  private int lastBucketToFill() {
    RoutingTable table = dht.table();
    List<Node> nearest = table.nearest(dht.self().dhtId(), config.bucketSize());
    if (nearest.isEmpty()) {
      return 0;
    }
    Node last = nearest.size() >= config.bucketSize() ? nearest.get(nearest.size() - 1)
        : nearest.get(0);
    return table.bucketIndex(last.dhtId());
  }

  /**
   * Kademlia's join: looks up a random id in every bucket from {@code bucket} to {@code last},
   * so that the table knows every part of the keyspace, not only our own neighbourhood. When
   * many nodes join at once, a self-lookup made early may miss closer nodes that joined after
   * it, which the bucket lookups then reveal: so once {@code last} is done, the range is
   * extended if our k-th closest node now sits in a deeper bucket.
   */
  private CompletableFuture<Void> fillBuckets(int bucket, int last) {
    if (state != State.RUNNING) {
      return CompletableFuture.completedFuture(null);
    }
    if (bucket > last) {
      int further = lastBucketToFill(); // a bucket index, so never past the last bucket
      return further < bucket ? CompletableFuture.completedFuture(null)
          : fillBuckets(bucket, further);
    }
    return dht.refreshBucket(bucket, config.bootnodes())
        .handle((r, e) -> null)
        .thenCompose(x -> fillBuckets(bucket + 1, last));
  }

  private void afterAttempt() {
    if (state != State.RUNNING) {
      return;
    }
    if (reachedMinimum()) {
      succeed();
      return;
    }
    long backoff =
        Math.min(
            config.bootstrapRetryMax().toMillis(),
            config.bootstrapRetryMin().toMillis() << Math.min(16, attempts - 1));
    log.debug("bootstrap attempt {}: table has {} of {} nodes, retrying in {} ms", attempts,
        dht.table().size(), config.minRoutingTableSize(), backoff);
    retry = scheduler.schedule(this::attempt, backoff);
  }

  private void succeed() {
    state = State.DONE;
    log.info("bootstrap done: {} nodes in the routing table after {} attempt(s)",
        dht.table().size(), attempts);
    done.complete(null);
  }
}
