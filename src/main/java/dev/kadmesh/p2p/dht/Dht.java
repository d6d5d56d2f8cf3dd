package dev.kadmesh.p2p.dht;

import dev.kadmesh.p2p.identity.DhtId;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.PeerFinder;
import dev.kadmesh.p2p.swarm.SendFailure;
import dev.kadmesh.p2p.swarm.Swarm;
import dev.kadmesh.p2p.time.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kademlia DHT of a node: routing table upkeep (ping the oldest before evicting), the FindNode
 * and ping protocols, iterative lookups, bootstrap and bucket refresh. Runs on the swarm's
 * transport threads and scheduler; never blocks. Thread-safe.
 */
public final class Dht implements PeerFinder {
  static final String PING = "dht/ping";
  private static final Logger log = LoggerFactory.getLogger(Dht.class);

  private final DhtConfig config;
  private final Swarm swarm;
  private final Scheduler scheduler;
  private final Random random;
  private final RoutingTable table;
  private final NodeId self;
  private final Set<NodeId> pinging = ConcurrentHashMap.newKeySet();
  private final Map<NodeId, Integer> failures = new ConcurrentHashMap<>();
  private final DhtStats stats = new DhtStats();
  private final Bootstrap bootstrap;
  private volatile boolean running = true;
  private volatile Scheduler.Cancellable refreshTimer = () -> {};

  /**
   * Creates the DHT and registers its protocols on {@code swarm}; call {@link #start()} to begin
   * bootstrap and refresh.
   */
  public Dht(DhtConfig config, Swarm swarm, Random random) {
    this.config = config;
    this.swarm = swarm;
    this.scheduler = swarm.scheduler();
    this.random = random;
    this.self = swarm.local().id();
    this.table =
        new RoutingTable(swarm.local().dhtId(), config.bucketSize(), config.bucketCount(),
            config.bucketSize());
    this.bootstrap = new Bootstrap(this, config, scheduler);
    swarm.handleRequests(FindNodeCodec.PROTOCOL, this::serveFindNode);
    swarm.handleRequests(PING, request -> new byte[0]);
    swarm.setPeerFinder(this);
  }

  /** Starts bootstrap in the background and schedules bucket refresh. */
  public void start() {
    long now = scheduler.nowMillis();
    for (int i = 0; i < table.bucketCount(); i++) {
      table.markRefreshed(i, now); // the refresh interval counts from the start
    }
    bootstrap.start();
    scheduleRefresh();
  }

  /** Stops bootstrap retries and refreshes. */
  public void stop() {
    running = false;
    bootstrap.stop();
    refreshTimer.cancel();
  }

  public RoutingTable table() {
    return table;
  }

  public DhtConfig config() {
    return config;
  }

  public DhtStats stats() {
    return stats;
  }

  /** Progress of the bootstrap. */
  public Bootstrap.Status bootstrapStatus() {
    return bootstrap.status();
  }

  /** Completes once the routing table first holds the configured minimum. */
  public CompletableFuture<Void> bootstrapped() {
    return bootstrap.done();
  }

  // ---- routing table upkeep ----

  @Override
  public void seen(Node node) {
    if (!running || node.id().equals(self)) {
      return;
    }
    failures.remove(node.id());
    RoutingTable.Update u = table.update(node, scheduler.nowMillis());
    if (u.outcome() == RoutingTable.Outcome.BUCKET_FULL) {
      pingOldest(u.oldest());
    }
  }

  /** A full bucket: ask its least recently seen node whether it is alive; evict it if not. */
  private void pingOldest(Node oldest) {
    if (!pinging.add(oldest.id())) {
      return;
    }
    swarm
        .request(oldest, PING, new byte[0], config.rpcTimeout().toMillis())
        .whenComplete(
            (answer, error) -> {
              pinging.remove(oldest.id());
              if (error == null) {
                table.touch(oldest.id(), scheduler.nowMillis());
              } else if (peerFailed(error)) {
                table.evict(oldest.id());
              }
            });
  }

  /**
   * A node in the table failed to answer: after {@code maxFailures} in a row it leaves the table.
   * Failures of nodes not in the table are not remembered (they may be junk from an answer).
   */
  private void requestFailed(Node node, Throwable error) {
    if (!peerFailed(error) || table.find(node.id()).isEmpty()) {
      return;
    }
    int n = failures.merge(node.id(), 1, Integer::sum);
    if (n >= config.maxFailures()) {
      failures.remove(node.id());
      table.evict(node.id());
    }
  }

  /**
   * True when the peer did not answer or could not be reached; false for our own limits and
   * shutdown, which say nothing about the peer.
   */
  private boolean peerFailed(Throwable error) {
    SendFailure.Kind kind = SendFailure.of(error, self).kind();
    return running && (kind == SendFailure.Kind.TIMEOUT || kind == SendFailure.Kind.UNREACHABLE);
  }

  // ---- FindNode ----

  private byte[] serveFindNode(Message request) {
    DhtId target = FindNodeCodec.parseRequest(request.data());
    if (target == null) {
      stats.malformedRequests.incrementAndGet();
      return null;
    }
    stats.findNodeServed.incrementAndGet();
    List<Node> nearest = table.nearest(target, config.bucketSize() + 1);
    nearest.removeIf(n -> n.id().equals(request.sender()));
    if (nearest.size() > config.bucketSize()) {
      nearest = nearest.subList(0, config.bucketSize());
    }
    return FindNodeCodec.response(nearest);
  }

  /**
   * Asks {@code server} for the nodes closest to {@code target}. The answer is validated: entries
   * with bad keys or addresses, repeats, our own id and anything beyond k are dropped.
   */
  public CompletableFuture<List<Node>> findNode(Node server, DhtId target) {
    long start = scheduler.nowMillis();
    return swarm
        .request(server, FindNodeCodec.PROTOCOL, FindNodeCodec.request(target),
            config.rpcTimeout().toMillis())
        .handle(
            (answer, error) -> {
              if (error != null) {
                requestFailed(server, error);
                throw new SendFailure(SendFailure.Kind.UNREACHABLE,
                    "FindNode to " + server.id() + " failed", error);
              }
              FindNodeCodec.Parsed parsed =
                  FindNodeCodec.parseResponse(answer.data(), self, config.bucketSize());
              if (parsed == null) {
                stats.junkNodes.incrementAndGet();
                throw new SendFailure(SendFailure.Kind.UNREACHABLE,
                    "FindNode answer from " + server.id() + " is malformed");
              }
              stats.junkNodes.addAndGet(parsed.dropped());
              stats.findNodeAnswered.incrementAndGet();
              stats.findNodeMillis.addAndGet(scheduler.nowMillis() - start);
              return parsed.nodes();
            });
  }

  // ---- lookups ----

  @Override
  public Optional<Node> findLocal(NodeId id) {
    return table.find(id);
  }

  @Override
  public CompletableFuture<Optional<Node>> find(NodeId id) {
    return lookup(id).thenApply(LookupResult::found);
  }

  /** Finds {@code id}: from the local table, else by an iterative network lookup. */
  public CompletableFuture<LookupResult> lookup(NodeId id) {
    Optional<Node> local = table.find(id);
    if (local.isPresent()) {
      stats.recordLookup(new LookupResult(local, List.of(local.get()), 0, 0, 0, 0));
      return CompletableFuture.completedFuture(
          new LookupResult(local, List.of(local.get()), 0, 0, 0, 0));
    }
    return runLookup(id.dhtId(), id);
  }

  /** The k nodes closest to {@code target} that answered, by an iterative network lookup. */
  public CompletableFuture<LookupResult> lookupClosest(DhtId target) {
    return runLookup(target, null, List.of());
  }

  /** Like {@link #lookupClosest(DhtId)}, also starting from {@code extra} (e.g. bootnodes). */
  CompletableFuture<LookupResult> lookupClosest(DhtId target, List<Node> extra) {
    return runLookup(target, null, extra);
  }

  private CompletableFuture<LookupResult> runLookup(DhtId target, NodeId wanted) {
    return runLookup(target, wanted, List.of());
  }

  private CompletableFuture<LookupResult> runLookup(
      DhtId target, NodeId wanted, List<Node> extra) {
    return runLookupFrom(target, wanted,
        Node.union(table.nearest(target, config.bucketSize()), extra));
  }

  private CompletableFuture<LookupResult> runLookupFrom(
      DhtId target, NodeId wanted, List<Node> start) {
    LookupTask task =
        new LookupTask(target, wanted, self, start, config.bucketSize(), config.alpha(),
            this::findNode, scheduler::nowMillis);
    // Every node that answers is added to the table by the swarm's receive path (seen()).
    return task.run().whenComplete((r, e) -> {
      if (r != null && wanted != null) {
        stats.recordLookup(r);
      }
    });
  }

  /**
   * Fills bucket {@code bucket}: looks up a random id in its region, starting from the nodes we
   * know closest to it and {@code extra}. If the bucket is still empty afterwards, the lookup may
   * have been trapped: the closest nodes we know to that region are our own neighbours, and if
   * none of them knows a node in it either (as happens when many nodes join at once), their
   * answers never lead out of our neighbourhood, and the nodes of the region are just as blind to
   * ours. So the bucket is looked up once more, starting only from nodes that see the region from
   * outside (lower buckets and {@code extra}): they know the region from their own, wider bucket.
   * Only when our neighbourhood holds at least k nodes: next to a sparse one, the region is
   * likely empty indeed.
   */
  CompletableFuture<LookupResult> refreshBucket(int bucket, List<Node> extra) {
    int index = Math.min(bucket, table.bucketCount() - 1);
    DhtId target = randomIdInBucket(index);
    return lookupClosest(target, extra)
        .thenCompose(r -> {
          if (index == table.bucketCount() - 1 || table.bucketLoad(index) > 0 || !running
              || !crowdedAbove(index)) {
            return CompletableFuture.completedFuture(r);
          }
          List<Node> outside = Node.union(
              table.nearestBelow(target, index, config.bucketSize()), extra);
          if (outside.isEmpty()) {
            return CompletableFuture.completedFuture(r);
          }
          stats.escapes.incrementAndGet();
          return runLookupFrom(target, null, outside);
        });
  }

  /**
   * Whether the buckets above {@code index} (our neighbourhood, a region of the keyspace as large
   * as bucket {@code index}'s) hold at least k nodes. Only then is an empty bucket {@code index}
   * suspicious: next to a sparse neighbourhood, an empty region of the same size is likely.
   */
  private boolean crowdedAbove(int index) {
    int n = 0;
    for (int j = index + 1; j < table.bucketCount() && n < config.bucketSize(); j++) {
      n += table.bucketLoad(j);
    }
    return n >= config.bucketSize();
  }

  /** A random id whose common prefix with ours is exactly {@code bucket} bits. */
  DhtId randomIdInBucket(int bucket) {
    byte[] id = self.dhtId().toBytes();
    byte[] noise = new byte[id.length];
    random.nextBytes(noise);
    int bits = id.length * 8;
    for (int bit = Math.min(bucket, bits - 1); bit < bits; bit++) {
      int byteIndex = bit / 8;
      int mask = 0x80 >>> (bit % 8);
      boolean value;
      if (bit == bucket) {
        value = (id[byteIndex] & mask) == 0; // flip: the first differing bit
      } else {
        value = (noise[byteIndex] & mask) != 0;
      }
      id[byteIndex] = (byte) (value ? id[byteIndex] | mask : id[byteIndex] & ~mask);
    }
    return DhtId.fromBytes(id);
  }

  // ---- refresh ----

  private void scheduleRefresh() {
    if (!running) {
      return;
    }
    long period = Math.max(1000, config.refreshInterval().toMillis() / 4);
    refreshTimer = scheduler.schedule(() -> {
      if (running) {
        refresh();
        scheduleRefresh();
      }
    }, period);
  }

  /** Looks up a random id in every bucket untouched for the refresh interval. */
  void refresh() {
    long now = scheduler.nowMillis();
    for (int bucket : table.idleBuckets(now - config.refreshInterval().toMillis())) {
      table.markRefreshed(bucket, now);
      stats.refreshes.incrementAndGet();
      refreshBucket(bucket, List.of())
          .exceptionally(e -> {
            log.debug("refresh of bucket {} failed: {}", bucket, e.getMessage());
            return null;
          });
    }
  }

  NodeId self() {
    return self;
  }

  /** Counters of the DHT, read by metrics. */
  public static final class DhtStats {
    final AtomicLong lookups = new AtomicLong();
    final AtomicLong lookupsFound = new AtomicLong();
    final AtomicLong lookupRounds = new AtomicLong();
    final AtomicLong lookupRpcs = new AtomicLong();
    final AtomicLong findNodeServed = new AtomicLong();
    final AtomicLong findNodeAnswered = new AtomicLong();
    final AtomicLong findNodeMillis = new AtomicLong();
    final AtomicLong malformedRequests = new AtomicLong();
    final AtomicLong junkNodes = new AtomicLong();
    final AtomicLong refreshes = new AtomicLong();
    final AtomicLong escapes = new AtomicLong();
    private final List<java.util.function.Consumer<LookupResult>> listeners =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    void recordLookup(LookupResult r) {
      lookups.incrementAndGet();
      if (r.found().isPresent()) {
        lookupsFound.incrementAndGet();
      }
      lookupRounds.addAndGet(r.rounds());
      lookupRpcs.addAndGet(r.rpcs());
      listeners.forEach(l -> l.accept(r));
    }

    /** Called with the result of every lookup by node id (e.g. to record metrics). */
    public void onLookup(java.util.function.Consumer<LookupResult> listener) {
      listeners.add(listener);
    }

    public long lookups() {
      return lookups.get();
    }

    public long lookupsFound() {
      return lookupsFound.get();
    }

    public long lookupRounds() {
      return lookupRounds.get();
    }

    public long lookupRpcs() {
      return lookupRpcs.get();
    }

    public long findNodeServed() {
      return findNodeServed.get();
    }

    /** FindNode requests of ours that got a valid answer (lookups, refreshes, bootstrap). */
    public long findNodeAnswered() {
      return findNodeAnswered.get();
    }

    /**
     * Total time, request to answer, of the FindNode requests counted by {@link
     * #findNodeAnswered()}, on the node's clock (virtual in the simulator).
     */
    public long findNodeMillis() {
      return findNodeMillis.get();
    }

    /** FindNode answer entries dropped as invalid, repeated, ourselves or beyond k. */
    public long junkNodes() {
      return junkNodes.get();
    }

    public long refreshes() {
      return refreshes.get();
    }

    /**
     * Bucket refreshes that found their bucket still empty and looked it up again from outside
     * our neighbourhood (see {@code refreshBucket}).
     */
    public long escapes() {
      return escapes.get();
    }
  }
}
