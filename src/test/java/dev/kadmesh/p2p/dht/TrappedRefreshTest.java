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
    Simulator sim = new Simulator(SimConfig.defaults(5));
    DhtConfig config = DhtConfig.defaults(List.of()).withTable(K, 20, 0);
    SimNode x = sim.newNode(config);
    List<SimNode> neighbours = new ArrayList<>();
    List<SimNode> region = new ArrayList<>();
    List<SimNode> outside = new ArrayList<>();
    while (neighbours.size() < 2 * K || region.size() < 2 * K || outside.isEmpty()) {
      SimNode n = sim.newNode(config);
      int cpl = x.node().dhtId().commonPrefixLength(n.node().dhtId());
      if (cpl > REGION_BUCKET) {
        neighbours.add(n);
      } else if (cpl == REGION_BUCKET) {
        region.add(n);
      } else {
        outside.add(n);
      }
    }
    SimNode bridge = outside.get(0);
    long now = sim.clock().nowMillis();
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

    CompletableFuture<LookupResult> refresh = x.dht().refreshBucket(REGION_BUCKET, List.of());
    assertThat(sim.runUntil(refresh::isDone, Duration.ofMinutes(1))).isTrue();

    // The first lookup could only ask neighbours, which answer with neighbours: the second,
    // started from the bridge, reached the region.
    assertThat(x.dht().table().bucketLoad(REGION_BUCKET)).isPositive();
    assertThat(x.dht().stats().escapes()).isEqualTo(1);
    assertThat(refresh.join().closest())
        .allMatch(n -> x.node().dhtId().commonPrefixLength(n.dhtId()) == REGION_BUCKET);
    // The region's nodes that answered learnt X in turn: the blindness heals from both sides.
    assertThat(region).anyMatch(r -> r.dht().table().find(x.id()).isPresent());
  }

  @Test
  void aRefreshThatFillsItsBucketDoesNotLookAgain() {
    Simulator sim = new Simulator(SimConfig.defaults(6));
    DhtConfig config = DhtConfig.defaults(List.of()).withTable(K, 20, 0);
    SimNode x = sim.newNode(config);
    List<SimNode> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(sim.newNode(config));
    }
    long now = sim.clock().nowMillis();
    for (SimNode a : all) {
      know(x, a, now);
      know(a, x, now);
      all.forEach(b -> know(a, b, now));
    }
    int bucket = 0; // half of all ids: never empty with 40 nodes
    assertThat(x.dht().table().bucketLoad(bucket)).isPositive();

    CompletableFuture<LookupResult> refresh = x.dht().refreshBucket(bucket, List.of());
    assertThat(sim.runUntil(refresh::isDone, Duration.ofMinutes(1))).isTrue();

    assertThat(x.dht().stats().escapes()).isZero();
  }

  @Test
  void anEmptyRegionNextToASparseNeighbourhoodIsNotLookedUpTwice() {
    Simulator sim = new Simulator(SimConfig.defaults(7));
    DhtConfig config = DhtConfig.defaults(List.of()).withTable(K, 20, 0);
    SimNode x = sim.newNode(config);
    List<SimNode> neighbours = new ArrayList<>();
    List<SimNode> outside = new ArrayList<>();
    while (neighbours.size() < K - 1 || outside.size() < K) {
      SimNode n = sim.newNode(config);
      int cpl = x.node().dhtId().commonPrefixLength(n.node().dhtId());
      if (cpl > REGION_BUCKET && neighbours.size() < K - 1) {
        neighbours.add(n);
      } else if (cpl < REGION_BUCKET && outside.size() < K) {
        outside.add(n);
      }
    }
    long now = sim.clock().nowMillis();
    neighbours.forEach(a -> know(x, a, now));
    outside.forEach(o -> know(x, o, now));

    CompletableFuture<LookupResult> refresh = x.dht().refreshBucket(REGION_BUCKET, List.of());
    assertThat(sim.runUntil(refresh::isDone, Duration.ofMinutes(1))).isTrue();

    // Fewer than k neighbours: a region of the same size may well be empty, as it is here.
    assertThat(x.dht().table().bucketLoad(REGION_BUCKET)).isZero();
    assertThat(x.dht().stats().escapes()).isZero();
  }

  private static void know(SimNode who, SimNode whom, long now) {
    if (who != whom) {
      who.dht().table().update(whom.node(), now);
    }
  }
}
