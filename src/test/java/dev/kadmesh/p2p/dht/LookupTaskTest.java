package dev.kadmesh.p2p.dht;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kadmesh.p2p.crypto.PrivateKey;
import dev.kadmesh.p2p.identity.DhtId;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Lookup termination against a scripted network: who answers what is fixed by each test. */
class LookupTaskTest {
  private final SecureRandom random = new SecureRandom(new byte[] {4});
  private final Node self = node();
  private final Map<NodeId, List<Node>> answers = new HashMap<>();
  private final Set<NodeId> dead = new HashSet<>();
  private final List<Node> queried = new ArrayList<>();
  private final List<CompletableFuture<List<Node>>> held = new ArrayList<>();
  private boolean hold;
  private int maxInFlight;
  private int inFlight;

  private Node node() {
    return new Node(NodeId.of(PrivateKey.generate(random).publicKey()), "127.0.0.1", 1000);
  }

  private CompletableFuture<List<Node>> query(Node server, DhtId target) {
    queried.add(server);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    CompletableFuture<List<Node>> f = new CompletableFuture<>();
    if (hold) {
      held.add(f);
      return f;
    }
    answer(server, f);
    return f;
  }

  private void answer(Node server, CompletableFuture<List<Node>> f) {
    inFlight--;
    if (dead.contains(server.id())) {
      f.completeExceptionally(new RuntimeException("timeout"));
    } else {
      f.complete(answers.getOrDefault(server.id(), List.of()));
    }
  }

  private LookupTask task(NodeId wanted, DhtId target, List<Node> start, int k, int alpha) {
    return new LookupTask(target, wanted, self.id(), start, k, alpha, this::query, () -> 0L);
  }

  @Test
  void findsTheTargetThroughAChainOfReferralsAndCountsHops() {
    Node a = node();
    Node b = node();
    Node target = node();
    answers.put(a.id(), List.of(b));
    answers.put(b.id(), List.of(target));
    LookupResult r = task(target.id(), target.dhtId(), List.of(a), 20, 3).run().join();
    assertThat(r.found()).contains(target);
    assertThat(r.rounds()).isEqualTo(2);
    assertThat(r.rpcs()).isEqualTo(2);
    assertThat(queried).containsExactly(a, b);
  }

  @Test
  void stopsWhenTheKClosestHaveAllAnsweredAndNothingCloserAppears() {
    List<Node> network = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      network.add(node());
    }
    // a closed world without the target: each node answers with the 5 it knows closest to it
    Node absent = node();
    for (Node n : network) {
      answers.put(n.id(), Node.sortByDistance(
          network.stream().filter(m -> m != n).toList(), absent.dhtId()).subList(0, 5));
    }
    LookupResult r = task(absent.id(), absent.dhtId(), network.subList(0, 3), 5, 2).run().join();
    assertThat(r.found()).isEmpty();
    List<Node> fiveClosest = Node.sortByDistance(network, absent.dhtId()).subList(0, 5);
    assertThat(r.closest()).containsExactlyElementsOf(fiveClosest);
    assertThat(queried).containsAll(fiveClosest);
    assertThat(queried).doesNotHaveDuplicates();
    assertThat(queried.size()).isLessThan(network.size());
  }

  @Test
  void deadNodesAreSkippedAndCounted() {
    Node target = node();
    List<Node> pair = Node.sortByDistance(List.of(node(), node()), target.dhtId());
    Node closerButDead = pair.get(0);
    Node alive = pair.get(1);
    dead.add(closerButDead.id());
    answers.put(alive.id(), List.of(target));
    LookupResult r = task(target.id(), target.dhtId(), pair, 20, 1).run().join();
    assertThat(queried).containsExactly(closerButDead, alive);
    assertThat(r.found()).contains(target);
    assertThat(r.failures()).isEqualTo(1);
    assertThat(r.rpcs()).isEqualTo(2);
  }

  @Test
  void anEmptyStartEndsAtOnceWithNothing() {
    Node target = node();
    LookupResult r = task(target.id(), target.dhtId(), List.of(), 20, 3).run().join();
    assertThat(r.found()).isEmpty();
    assertThat(r.rpcs()).isZero();
  }

  @Test
  void neverMoreThanAlphaQueriesInFlight() {
    List<Node> start = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      start.add(node());
    }
    hold = true;
    Node absent = node();
    CompletableFuture<LookupResult> result =
        task(absent.id(), absent.dhtId(), start, 10, 3).run();
    while (!result.isDone()) {
      assertThat(held).isNotEmpty();
      CompletableFuture<List<Node>> next = held.remove(0);
      inFlight--;
      next.complete(List.of());
    }
    assertThat(maxInFlight).isEqualTo(3);
    assertThat(queried).hasSize(10);
  }

  @Test
  void ourOwnIdInAnAnswerIsIgnored() {
    Node a = node();
    Node target = node();
    answers.put(a.id(), List.of(self, target));
    LookupResult r = task(target.id(), target.dhtId(), List.of(a), 20, 3).run().join();
    assertThat(r.found()).contains(target);
    assertThat(queried).doesNotContain(self);
  }
}
