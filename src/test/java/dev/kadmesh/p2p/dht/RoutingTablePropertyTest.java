package dev.kadmesh.p2p.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.identity.DhtId;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Routing table invariants under any sequence of updates, answers (touch) and evictions, for
 * small tables that fill and overflow: no id twice, no bucket above k, every node in the bucket of
 * its prefix length, ourselves never stored, replacement lists bounded, and {@code nearest} equal
 * to a full sort by distance. Each case draws the table's shape and up to 200 operations from a
 * seed; a failure names the case, which reproduces.
 */
class RoutingTablePropertyTest {
  /** Node 0 is ourselves; the others are strangers, some with our own prefix by chance. */
  private static final List<Node> POOL = pool(48);

  private static List<Node> pool(int size) {
    SecureRandom random = dev.kadmesh.fuzz.FuzzSeeds.deterministic(42);
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      nodes.add(new Node(NodeId.of(PrivateKey.generate(random).publicKey()), "127.0.0.1",
          1000 + i));
    }
    return List.copyOf(nodes);
  }

  enum Kind { UPDATE, TOUCH, EVICT }

  record Op(Kind kind, int node) {}

  @Test
  void invariantsHoldAfterEveryOperation() {
    Kind[] kinds = {Kind.UPDATE, Kind.UPDATE, Kind.UPDATE, Kind.TOUCH, Kind.EVICT};
    for (int c = 0; c < 400; c++) {
      Random random = new Random(c);
      int k = 1 + random.nextInt(4);
      int buckets = 1 + random.nextInt(6);
      int replacements = random.nextInt(4);
      List<Op> ops = new ArrayList<>();
      for (int i = 1 + random.nextInt(200); i > 0; i--) {
        ops.add(new Op(kinds[random.nextInt(kinds.length)], random.nextInt(POOL.size())));
      }
      try {
        run(ops, k, buckets, replacements);
      } catch (AssertionError e) {
        throw new AssertionError("case " + c + ": k = " + k + ", " + buckets + " buckets, "
            + replacements + " replacements, operations " + ops, e);
      }
    }
  }

  private static void run(List<Op> ops, int k, int buckets, int replacements) {
    DhtId self = POOL.get(0).dhtId();
    RoutingTable table = new RoutingTable(self, k, buckets, replacements);
    long now = 0;
    for (Op op : ops) {
      now++;
      Node node = POOL.get(op.node());
      switch (op.kind()) {
        case UPDATE -> {
          RoutingTable.Update u = table.update(node, now);
          if (op.node() == 0) {
            assertThat(u.outcome()).isEqualTo(RoutingTable.Outcome.IGNORED_SELF);
          } else if (u.outcome() == RoutingTable.Outcome.BUCKET_FULL) {
            assertThat(table.find(node.id())).isEmpty();
            assertThat(table.bucketIndex(u.oldest().dhtId()))
                .isEqualTo(table.bucketIndex(node.dhtId()));
          } else {
            assertThat(table.find(node.id())).contains(node);
          }
        }
        case TOUCH -> table.touch(node.id(), now);
        case EVICT -> {
          Optional<Node> promoted = table.evict(node.id());
          assertThat(table.find(node.id())).isEmpty();
          promoted.ifPresent(p -> assertThat(table.find(p.id())).contains(p));
        }
        default -> throw new IllegalStateException();
      }
      checkInvariants(table, k, replacements);
    }
  }

  private static void checkInvariants(RoutingTable table, int k, int replacements) {
    Set<NodeId> seen = new HashSet<>();
    int total = 0;
    for (RoutingTable.BucketView b : table.buckets()) {
      assertThat(b.nodes()).hasSizeLessThanOrEqualTo(k);
      assertThat(b.replacements()).isBetween(0, replacements);
      for (RoutingTable.Entry e : b.nodes()) {
        assertThat(seen.add(e.node().id())).as("%s appears once", e.node().id()).isTrue();
        assertThat(table.bucketIndex(e.node().dhtId())).isEqualTo(b.index());
        assertThat(e.node().dhtId()).isNotEqualTo(table.self());
        assertThat(table.find(e.node().id())).contains(e.node());
      }
      total += b.nodes().size();
    }
    assertThat(table.size()).isEqualTo(total);
    assertThat(table.all()).hasSize(total);
    for (Node target : List.of(POOL.get(0), POOL.get(7), POOL.get(31))) {
      for (int n : new int[] {1, 3, 100}) {
        List<Node> expected = table.all().stream()
            .sorted(Comparator.comparing(Node::dhtId,
                (a, b) -> target.dhtId().compareDistance(a, b)))
            .limit(n).toList();
        assertThat(table.nearest(target.dhtId(), n)).containsExactlyElementsOf(expected);
      }
    }
  }
}
