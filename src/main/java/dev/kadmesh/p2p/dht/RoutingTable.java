package dev.kadmesh.p2p.dht;

import dev.kadmesh.p2p.identity.DhtId;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Kademlia k-buckets. A node goes to bucket {@code min(cpl, bucketCount - 1)}, where {@code cpl}
 * is the common prefix length of its id and ours: bucket 0 holds the farthest half of the
 * keyspace, the last bucket everything at least as close as its index. Each bucket keeps at most
 * {@code bucketSize} nodes, most recently seen first, plus a bounded replacement list of
 * candidates that arrived while it was full.
 *
 * <p>A pure data structure: time is passed in, nothing is sent. The caller pings the node {@link
 * #update} names when a bucket is full, then calls {@link #touch} (it answered: the newcomer waits
 * in the replacement list) or {@link #evict} (it did not: the newest candidate takes its place).
 * Thread-safe.
 */
public final class RoutingTable {
  private final DhtId self;
  private final int bucketSize;
  private final int replacementCapacity;
  private final Bucket[] buckets;

  /** What {@link #update} did. {@code oldest} is set for {@link Outcome#BUCKET_FULL}. */
  public record Update(Outcome outcome, Node oldest) {}

  /** The outcomes of {@link #update}. */
  public enum Outcome {
    ADDED,
    REFRESHED,
    /** The bucket is full: the newcomer is a replacement candidate; ping {@code oldest}. */
    BUCKET_FULL,
    IGNORED_SELF
  }

  /** A bucket as seen from outside, most recently seen first. */
  public record BucketView(int index, List<Entry> nodes, int replacements, long lastTouched) {}

  /** A node in a bucket and when it was last seen (Unix ms). */
  public record Entry(Node node, long lastSeen) {}

  public RoutingTable(DhtId self, int bucketSize, int bucketCount, int replacementCapacity) {
    if (bucketSize < 1) {
      throw new IllegalArgumentException("bucketSize must be at least 1");
    }
    if (bucketCount < 1 || bucketCount > self.bitLength() + 1) {
      throw new IllegalArgumentException("bucketCount must be in 1.." + (self.bitLength() + 1));
    }
    if (replacementCapacity < 0) {
      throw new IllegalArgumentException("replacementCapacity must not be negative");
    }
    this.self = self;
    this.bucketSize = bucketSize;
    this.replacementCapacity = replacementCapacity;
    this.buckets = new Bucket[bucketCount];
    for (int i = 0; i < bucketCount; i++) {
      buckets[i] = new Bucket();
    }
  }

  public DhtId self() {
    return self;
  }

  public int bucketSize() {
    return bucketSize;
  }

  public int bucketCount() {
    return buckets.length;
  }

  /** The bucket index of {@code id}. */
  public int bucketIndex(DhtId id) {
    return Math.min(self.commonPrefixLength(id), buckets.length - 1);
  }

  /** Records that {@code node} is alive at its address. */
  public synchronized Update update(Node node, long now) {
    if (node.dhtId().equals(self)) {
      return new Update(Outcome.IGNORED_SELF, null);
    }
    int index = bucketIndex(node.dhtId());
    Bucket b = buckets[index];
    b.lastTouched = now;
    Entry existing = b.remove(node.id());
    if (existing != null) {
      b.nodes.add(new Entry(node, now));
      return new Update(Outcome.REFRESHED, null);
    }
    if (b.nodes.size() < bucketSize) {
      b.removeReplacement(node.id());
      b.nodes.add(new Entry(node, now));
      return new Update(Outcome.ADDED, null);
    }
    if (replacementCapacity > 0) {
      b.removeReplacement(node.id());
      b.replacements.addFirst(new Entry(node, now));
      while (b.replacements.size() > replacementCapacity) {
        b.replacements.removeLast();
      }
    }
    return new Update(Outcome.BUCKET_FULL, b.nodes.get(0).node());
  }

  /** {@code id} answered: it becomes the most recently seen of its bucket. */
  public synchronized void touch(NodeId id, long now) {
    Bucket b = buckets[bucketIndex(id.dhtId())];
    Entry e = b.remove(id);
    if (e != null) {
      b.nodes.add(new Entry(e.node(), now));
    }
  }

  /**
   * Removes {@code id} (it failed to answer); the newest replacement candidate of its bucket, if
   * any, takes its place.
   *
   * @return the promoted node, if one was
   */
  public synchronized Optional<Node> evict(NodeId id) {
    Bucket b = buckets[bucketIndex(id.dhtId())];
    b.removeReplacement(id);
    if (b.remove(id) == null) {
      return Optional.empty();
    }
    Entry promoted = b.replacements.pollFirst();
    if (promoted == null) {
      return Optional.empty();
    }
    b.nodes.add(0, promoted); // the oldest: the first to be checked when the bucket is full
    return Optional.of(promoted.node());
  }

  /** The node with this id, if present. */
  public synchronized Optional<Node> find(NodeId id) {
    for (Entry e : buckets[bucketIndex(id.dhtId())].nodes) {
      if (e.node().id().equals(id)) {
        return Optional.of(e.node());
      }
    }
    return Optional.empty();
  }

  /**
   * Up to {@code n} nodes closest to {@code target}, closest first. Sorts single buckets only, in
   * an order of buckets that follows from the ids. With {@code i} the target's bucket and {@code
   * x = self XOR target}: every node of bucket {@code i} shares more bits with the target than
   * any other node. The nodes of a deeper bucket {@code j > i} all share our bits up to {@code
   * j} and differ at bit {@code j}, so between two deeper buckets {@code j < j'} bit {@code j}
   * decides: bucket {@code j} is closer if {@code x} has a 1 there, farther if a 0. The last
   * bucket (everything deeper) sits between those two groups. Then come buckets {@code i - 1}
   * down to 0, each farther than the one before.
   */
  public synchronized List<Node> nearest(DhtId target, int n) {
    List<Node> out = new ArrayList<>(Math.min(n, 64));
    Comparator<Node> byDistance = Node.byDistanceTo(target);
    int last = buckets.length - 1;
    int i = bucketIndex(target);
    List<Node> group = new ArrayList<>();
    takeBucket(out, group, i, byDistance, n);
    if (i < last) {
      int[] farther = new int[last - i];
      int fartherCount = 0;
      for (int j = i + 1; j < last && out.size() < n; j++) {
        if (self.bit(j) != target.bit(j)) {
          takeBucket(out, group, j, byDistance, n); // x has a 1 at bit j
        } else {
          farther[fartherCount++] = j;
        }
      }
      takeBucket(out, group, last, byDistance, n);
      for (int k = fartherCount - 1; k >= 0; k--) {
        takeBucket(out, group, farther[k], byDistance, n);
      }
    }
    for (int j = i - 1; j >= 0 && out.size() < n; j--) {
      takeBucket(out, group, j, byDistance, n);
    }
    return out;
  }

  /** Appends bucket {@code index}'s nodes, closest first, until {@code out} holds {@code n}. */
  private void takeBucket(List<Node> out, List<Node> scratch, int index,
      Comparator<Node> byDistance, int n) {
    if (out.size() >= n || buckets[index].nodes.isEmpty()) {
      return;
    }
    scratch.clear();
    addBucket(scratch, index);
    scratch.sort(byDistance);
    take(out, scratch, n);
  }

  private void addBucket(List<Node> into, int index) {
    for (Entry e : buckets[index].nodes) {
      into.add(e.node());
    }
  }

  private static void take(List<Node> out, List<Node> sorted, int n) {
    for (int k = 0; k < sorted.size() && out.size() < n; k++) {
      out.add(sorted.get(k));
    }
  }

  /** How many nodes bucket {@code index} holds. */
  public synchronized int bucketLoad(int index) {
    return buckets[index].nodes.size();
  }

  /**
   * Up to {@code n} nodes of the buckets below {@code bucket}, closest to {@code target} first:
   * nodes outside the region our own id shares with {@code bucket}'s region, which see that region
   * from the outside.
   */
  public synchronized List<Node> nearestBelow(DhtId target, int bucket, int n) {
    List<Node> group = new ArrayList<>();
    for (int j = 0; j < Math.min(bucket, buckets.length); j++) {
      addBucket(group, j);
    }
    group.sort(Node.byDistanceTo(target));
    return new ArrayList<>(group.subList(0, Math.min(n, group.size())));
  }

  /** Every node in the table. */
  public synchronized List<Node> all() {
    List<Node> all = new ArrayList<>();
    for (Bucket b : buckets) {
      for (int i = b.nodes.size() - 1; i >= 0; i--) {
        all.add(b.nodes.get(i).node()); // most recently seen first, as in the views
      }
    }
    return all;
  }

  public synchronized int size() {
    int n = 0;
    for (Bucket b : buckets) {
      n += b.nodes.size();
    }
    return n;
  }

  /** A snapshot of every bucket. */
  public synchronized List<BucketView> buckets() {
    List<BucketView> views = new ArrayList<>(buckets.length);
    for (int i = 0; i < buckets.length; i++) {
      Bucket b = buckets[i];
      List<Entry> newestFirst = new ArrayList<>(b.nodes);
      Collections.reverse(newestFirst);
      views.add(new BucketView(i, List.copyOf(newestFirst), b.replacements.size(),
          b.lastTouched));
    }
    return views;
  }

  /**
   * Indices of buckets not touched since {@code cutoff}, up to one past the closest non-empty
   * bucket (farther ones cannot be filled by a refresh that finds nothing new).
   */
  public synchronized List<Integer> idleBuckets(long cutoff) {
    int last = 0;
    for (int i = 0; i < buckets.length; i++) {
      if (!buckets[i].nodes.isEmpty()) {
        last = i;
      }
    }
    List<Integer> idle = new ArrayList<>();
    for (int i = 0; i <= Math.min(last + 1, buckets.length - 1); i++) {
      if (buckets[i].lastTouched < cutoff) {
        idle.add(i);
      }
    }
    return idle;
  }

  /** Marks bucket {@code index} as refreshed at {@code now}. */
  public synchronized void markRefreshed(int index, long now) {
    buckets[index].lastTouched = now;
  }

  /**
   * A bucket's nodes, oldest first (an array: buckets are small, and scanning one is the common
   * operation), and its replacement candidates, newest first.
   */
  private static final class Bucket {
    final ArrayList<Entry> nodes = new ArrayList<>();
    final ArrayDeque<Entry> replacements = new ArrayDeque<>();
    long lastTouched;

    Entry remove(NodeId id) {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        if (nodes.get(i).node().id().equals(id)) {
          return nodes.remove(i);
        }
      }
      return null;
    }

    void removeReplacement(NodeId id) {
      replacements.removeIf(e -> e.node().id().equals(id));
    }
  }
}
