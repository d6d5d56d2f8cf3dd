package dev.kadmesh.p2p.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.identity.DhtId;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A table of 4 buckets of 2: bucket i holds ids sharing exactly i leading bits with ours (bucket 3
 * everything closer). Nodes are generated until their id falls in the bucket a test needs.
 */
class RoutingTableTest {
  private final SecureRandom random = new SecureRandom(new byte[] {9});
  private final Node self = node();
  private final RoutingTable table = new RoutingTable(self.dhtId(), 2, 4, 2);
  private int port = 1000;

  private Node node() {
    return new Node(NodeId.of(PrivateKey.generate(random).publicKey()), "127.0.0.1", 1 + port++);
  }

  private Node nodeInBucket(int bucket) {
    while (true) {
      Node n = node();
      if (table.bucketIndex(n.dhtId()) == bucket) {
        return n;
      }
    }
  }

  private List<Node> bucket(int index) {
    return table.buckets().get(index).nodes().stream().map(RoutingTable.Entry::node).toList();
  }

  @Test
  void nodesGoToTheBucketOfTheirCommonPrefixLength() {
    for (int i = 0; i < 4; i++) {
      Node n = nodeInBucket(i);
      assertThat(table.update(n, 1).outcome()).isEqualTo(RoutingTable.Outcome.ADDED);
      assertThat(bucket(i)).containsExactly(n);
      int cpl = self.dhtId().commonPrefixLength(n.dhtId());
      assertThat(Math.min(cpl, 3)).isEqualTo(i);
    }
    assertThat(table.size()).isEqualTo(4);
  }

  @Test
  void aKnownNodeMovesToTheFrontWithItsNewAddress() {
    Node a = nodeInBucket(0);
    Node b = nodeInBucket(0);
    table.update(a, 1);
    table.update(b, 2);
    assertThat(bucket(0)).containsExactly(b, a);
    Node aMoved = new Node(a.id(), "127.0.0.9", 4444);
    assertThat(table.update(aMoved, 3).outcome()).isEqualTo(RoutingTable.Outcome.REFRESHED);
    assertThat(bucket(0)).containsExactly(aMoved, b);
    assertThat(table.find(a.id())).contains(aMoved);
  }

  @Test
  void fullBucketEvictsOldestOnlyWhenItFailsToAnswerPing() {
    Node oldest = nodeInBucket(1);
    Node newer = nodeInBucket(1);
    Node newcomer = nodeInBucket(1);
    table.update(oldest, 1);
    table.update(newer, 2);

    RoutingTable.Update full = table.update(newcomer, 3);
    assertThat(full.outcome()).isEqualTo(RoutingTable.Outcome.BUCKET_FULL);
    assertThat(full.oldest()).isEqualTo(oldest);

    // the oldest answers the ping: it stays (now most recent), the newcomer waits
    table.touch(oldest.id(), 4);
    assertThat(bucket(1)).containsExactly(oldest, newer);
    assertThat(table.find(newcomer.id())).isEmpty();
    assertThat(table.buckets().get(1).replacements()).isEqualTo(1);

    // next time the least recently seen fails to answer: the newcomer takes its place
    RoutingTable.Update again = table.update(newcomer, 5);
    assertThat(again.oldest()).isEqualTo(newer);
    assertThat(table.evict(newer.id())).contains(newcomer);
    assertThat(bucket(1)).containsExactlyInAnyOrder(oldest, newcomer);
    assertThat(table.buckets().get(1).replacements()).isZero();
  }

  @Test
  void replacementListIsBoundedAndKeepsTheNewest() {
    table.update(nodeInBucket(0), 1);
    table.update(nodeInBucket(0), 1);
    List<Node> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Node n = nodeInBucket(0);
      waiting.add(n);
      assertThat(table.update(n, 2 + i).outcome()).isEqualTo(RoutingTable.Outcome.BUCKET_FULL);
    }
    assertThat(table.buckets().get(0).replacements()).isEqualTo(2);
    Node victim = bucket(0).get(1);
    assertThat(table.evict(victim.id())).contains(waiting.get(4));
  }

  @Test
  void selfIsNeverStored() {
    assertThat(table.update(self, 1).outcome()).isEqualTo(RoutingTable.Outcome.IGNORED_SELF);
    assertThat(table.size()).isZero();
  }

  @Test
  void nearestIsSortedByDistanceAndBounded() {
    for (int i = 0; i < 4; i++) {
      table.update(nodeInBucket(i), 1);
      table.update(nodeInBucket(i), 1);
    }
    DhtId target = node().dhtId();
    List<Node> nearest = table.nearest(target, 5);
    assertThat(nearest).hasSize(5);
    for (int i = 1; i < nearest.size(); i++) {
      assertThat(target.compareDistance(nearest.get(i - 1).dhtId(), nearest.get(i).dhtId()))
          .isNegative();
    }
    List<Node> all = table.nearest(target, 100);
    assertThat(all).hasSize(8).doesNotHaveDuplicates();
    assertThat(all.subList(0, 5)).isEqualTo(nearest);
  }

  @Test
  void nearestMatchesAFullSortForManyTargets() {
    RoutingTable big = new RoutingTable(self.dhtId(), 5, 6, 0);
    List<Node> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Node n = node();
      if (big.update(n, 1).outcome() == RoutingTable.Outcome.ADDED) {
        all.add(n);
      }
    }
    java.util.Random bits = new java.util.Random(5);
    for (int t = 0; t < 100; t++) {
      // random targets fall mostly in buckets 0 and 1: every other one shares t % 8 leading bits
      // with us and is random after them, so that deep buckets are the target's too
      DhtId target = t == 0 ? self.dhtId() : t % 2 == 1 ? node().dhtId()
          : sharingBits(self.dhtId(), (t / 2) % 8, bits);
      for (int n : new int[] {1, 3, 7, 100}) {
        List<Node> expected = Node.sortByDistance(all, target);
        assertThat(big.nearest(target, n))
            .containsExactlyElementsOf(expected.subList(0, Math.min(n, expected.size())));
      }
    }
  }

  /** A random id that shares exactly {@code shared} leading bits with {@code id}. */
  private static DhtId sharingBits(DhtId id, int shared, java.util.Random random) {
    byte[] b = id.toBytes();
    byte[] noise = new byte[b.length];
    random.nextBytes(noise);
    for (int bit = shared; bit < b.length * 8; bit++) {
      int mask = 0x80 >>> (bit % 8);
      boolean value = bit == shared ? (b[bit / 8] & mask) == 0 : (noise[bit / 8] & mask) != 0;
      b[bit / 8] = (byte) (value ? b[bit / 8] | mask : b[bit / 8] & ~mask);
    }
    return DhtId.fromBytes(b);
  }

  @Test
  void nearestBelowTakesOnlyLowerBucketsClosestFirst() {
    for (int i = 0; i < 3; i++) {
      table.update(nodeInBucket(i), 1);
      table.update(nodeInBucket(i), 1);
    }
    table.update(nodeInBucket(3), 1);
    DhtId target = nodeInBucket(2).dhtId();

    List<Node> below = table.nearestBelow(target, 2, 10);

    assertThat(below).hasSize(4)
        .allMatch(n -> table.bucketIndex(n.dhtId()) < 2)
        .isSortedAccordingTo(Node.byDistanceTo(target));
    assertThat(table.nearestBelow(target, 2, 3)).containsExactlyElementsOf(below.subList(0, 3));
    assertThat(table.nearestBelow(target, 0, 10)).isEmpty();
    assertThat(table.bucketLoad(2)).isEqualTo(2);
  }

  @Test
  void idleBucketsAreThoseNotTouchedSinceTheCutoff() {
    table.update(nodeInBucket(0), 100);
    table.update(nodeInBucket(1), 200);
    assertThat(table.idleBuckets(150)).containsExactly(0, 2);
    table.markRefreshed(0, 300);
    assertThat(table.idleBuckets(250)).containsExactly(1, 2);
  }

  @Test
  void invalidShapesAreRejected() {
    assertThatThrownBy(() -> new RoutingTable(self.dhtId(), 0, 4, 1))
        .hasMessageContaining("bucketSize");
    assertThatThrownBy(() -> new RoutingTable(self.dhtId(), 2, 300, 1))
        .hasMessageContaining("bucketCount");
  }
}
