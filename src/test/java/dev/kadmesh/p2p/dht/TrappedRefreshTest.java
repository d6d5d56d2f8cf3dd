package dev.kadmesh.p2p.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.sim.SimConfig;
import dev.kadmesh.p2p.sim.SimNode;
import dev.kadmesh.p2p.sim.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A bucket refresh whose lookup is trapped in our own neighbourhood. Built by hand on the
 * simulator: with X our node, "region" is X's bucket 3 (ids sharing exactly 3 leading bits with
 * X's) and "neighbours" are ids sharing at least 4. X and its neighbours know each other and
 * nothing of the region; the region's nodes know only each other; one outside node knows both.
 * This is what a simultaneous join of thousands of nodes can leave behind.
 */
class TrappedRefreshTest {
  private static final int K = 4;
  private static final int REGION_BUCKET = 3;

  @Test
  void aTrappedRefreshLooksTheBucketUpAgainFromOutside() {
    Net net = new Net(5, 2 * K, 2 * K, 1);
    SimNode x = net.x;
    List<SimNode> neighbours = net.neighbours;
    List<SimNode> region = net.region;
    SimNode bridge = net.outside.get(0);
    long now = net.now();
    for (SimNode a : neighbours) {
      know(x, a, now);
      know(a, x, now);
      neighbours.forEach(b -> know(a, b, now));
    }
    for (SimNode r : region) {
      region.forEach(b -> know(r, b, now));
      know(bridge, r, now);
    }
    know(x, bridge, now);
    assertThat(x.dht().table().bucketLoad(REGION_BUCKET)).isZero();

    LookupResult refreshed = net.refresh(REGION_BUCKET);

    // The first lookup could only ask neighbours, which answer with neighbours: the second,
    // started from the bridge, reached the region.
    assertThat(x.dht().table().bucketLoad(REGION_BUCKET)).isPositive();
    assertThat(x.dht().stats().escapes()).isEqualTo(1);
    assertThat(refreshed.closest())
        .allMatch(n -> x.node().dhtId().commonPrefixLength(n.dhtId()) == REGION_BUCKET);
    // The region's nodes that answered learnt X in turn: the blindness heals from both sides.
    assertThat(region).anyMatch(r -> r.dht().table().find(x.id()).isPresent());
  }

  @Test
  void aRefreshThatFillsItsBucketDoesNotLookAgain() {
    Net net = new Net(6, 0, 0, 0);
    SimNode x = net.x;
    List<SimNode> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(net.newNode());
    }
    long now = net.now();
    for (SimNode a : all) {
      know(x, a, now);
      know(a, x, now);
      all.forEach(b -> know(a, b, now));
    }
    int bucket = 0; // half of all ids: never empty with 40 nodes
    assertThat(x.dht().table().bucketLoad(bucket)).isPositive();

    net.refresh(bucket);

    assertThat(x.dht().stats().escapes()).isZero();
  }

  @Test
  void anEmptyRegionNextToASparseNeighbourhoodIsNotLookedUpTwice() {
    Net net = new Net(7, K - 1, 0, K);
    SimNode x = net.x;
    long now = net.now();
    net.neighbours.forEach(a -> know(x, a, now));
    net.outside.forEach(o -> know(x, o, now));

    net.refresh(REGION_BUCKET);

    // Fewer than k neighbours: a region of the same size may well be empty, as it is here.
    assertThat(x.dht().table().bucketLoad(REGION_BUCKET)).isZero();
    assertThat(x.dht().stats().escapes()).isZero();
  }

  /**
   * Node X and, generated until each list has its count, nodes grouped by their common prefix
   * with X: neighbours (more than {@link #REGION_BUCKET} bits), the region (exactly that many)
   * and outside nodes (fewer). Nobody knows anybody yet.
   */
  private static final class Net {
    final Simulator sim;
    final SimNode x;
    final List<SimNode> neighbours = new ArrayList<>();
    final List<SimNode> region = new ArrayList<>();
    final List<SimNode> outside = new ArrayList<>();

    final DhtConfig config = DhtConfig.defaults(List.of()).withTable(K, 20, 0);

    Net(long seed, int neighbourCount, int regionCount, int outsideCount) {
      sim = new Simulator(SimConfig.defaults(seed));
      x = newNode();
      while (neighbours.size() < neighbourCount || region.size() < regionCount
          || outside.size() < outsideCount) {
        SimNode n = newNode();
        int cpl = x.node().dhtId().commonPrefixLength(n.node().dhtId());
        List<SimNode> group = cpl > REGION_BUCKET ? neighbours
            : cpl == REGION_BUCKET ? region : outside;
        int wanted = cpl > REGION_BUCKET ? neighbourCount
            : cpl == REGION_BUCKET ? regionCount : outsideCount;
        if (group.size() < wanted) {
          group.add(n);
        }
      }
    }

    SimNode newNode() {
      return sim.newNode(config);
    }

    long now() {
      return sim.clock().nowMillis();
    }

    /** X refreshes {@code bucket}; runs the simulation until the refresh is done. */
    LookupResult refresh(int bucket) {
      CompletableFuture<LookupResult> refresh = x.dht().refreshBucket(bucket, List.of());
      assertThat(sim.runUntil(refresh::isDone, Duration.ofMinutes(1))).isTrue();
      return refresh.join();
    }
  }

  private static void know(SimNode who, SimNode whom, long now) {
    if (who != whom) {
      who.dht().table().update(whom.node(), now);
    }
  }
}
