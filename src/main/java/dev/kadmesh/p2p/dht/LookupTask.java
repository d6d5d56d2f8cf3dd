package dev.kadmesh.p2p.dht;

import dev.kadmesh.p2p.identity.DhtId;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * One iterative Kademlia lookup. Keeps the candidates sorted by distance to the target, queries up
 * to alpha of the k closest not yet queried at a time, merges every answer, and ends when the
 * wanted node appears or when the k closest candidates that did not fail have all answered.
 * Thread-safe: answers may arrive on any thread; queries are sent outside the lock.
 */
final class LookupTask {
  private enum State {
    NEW,
    IN_FLIGHT,
    ANSWERED,
    FAILED
  }

  private static final class Candidate {
    final Node node;
    final int hop;
    State state = State.NEW;

    Candidate(Node node, int hop) {
      this.node = node;
      this.hop = hop;
    }
  }

  private final DhtId target;
  private final NodeId wanted;
  private final NodeId self;
  private final int k;
  private final int alpha;
  private final BiFunction<Node, DhtId, CompletableFuture<List<Node>>> query;
  private final LongSupplier clock;
  private final TreeMap<DhtId, Candidate> candidates;
  private final Map<NodeId, Candidate> byId = new HashMap<>();
  private final CompletableFuture<LookupResult> result = new CompletableFuture<>();
  private final long start;
  private int inFlight;
  private int rpcs;
  private int failures;
  private int deepest;
  private Node found;
  private int foundHop;

  /**
   * @param wanted the node sought, or null to collect the k closest to {@code target}
   * @param query sends FindNode(target) to a node; completes with its validated answer
   */
  LookupTask(
      DhtId target,
      NodeId wanted,
      NodeId self,
      List<Node> start,
      int k,
      int alpha,
      BiFunction<Node, DhtId, CompletableFuture<List<Node>>> query,
      LongSupplier clock) {
    this.target = target;
    this.wanted = wanted;
    this.self = self;
    this.k = k;
    this.alpha = alpha;
    this.query = query;
    this.clock = clock;
    this.start = clock.getAsLong();
    this.candidates = new TreeMap<>((a, b) -> target.compareDistance(a, b));
    for (Node n : start) {
      add(n, 1);
    }
  }

  CompletableFuture<LookupResult> run() {
    step();
    return result;
  }

  private void add(Node n, int hop) {
    if (n.id().equals(self) || byId.containsKey(n.id())) {
      return;
    }
    Candidate c = new Candidate(n, hop);
    byId.put(n.id(), c);
    candidates.put(n.dhtId(), c);
    if (wanted != null && n.id().equals(wanted) && found == null) {
      found = n;
      foundHop = hop - 1;
    }
  }

  private void step() {
    List<Candidate> toQuery = new ArrayList<>();
    LookupResult done = null;
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      if (found != null) {
        done = finish();
      } else {
        int seen = 0;
        boolean pendingInWindow = false;
        for (Candidate c : candidates.values()) {
          if (c.state == State.FAILED) {
            continue;
          }
          if (seen++ >= k) {
            break;
          }
          if (c.state == State.NEW && inFlight + toQuery.size() < alpha) {
            c.state = State.IN_FLIGHT;
            toQuery.add(c);
          }
          if (c.state != State.ANSWERED) {
            pendingInWindow = true;
          }
        }
        inFlight += toQuery.size();
        rpcs += toQuery.size();
        if (!pendingInWindow && inFlight == 0) {
          done = finish();
        }
      }
    }
    if (done != null) {
      result.complete(done);
      return;
    }
    for (Candidate c : toQuery) {
      query
          .apply(c.node, target)
          .whenComplete(
              (nodes, error) -> {
                synchronized (this) {
                  inFlight--;
                  if (error != null) {
                    c.state = State.FAILED;
                    failures++;
                  } else {
                    c.state = State.ANSWERED;
                    deepest = Math.max(deepest, c.hop);
                    for (Node n : nodes) {
                      add(n, c.hop + 1);
                    }
                  }
                }
                step();
              });
    }
  }

  private LookupResult finish() {
    List<Node> closest = new ArrayList<>();
    for (Candidate c : candidates.values()) {
      if (c.state == State.ANSWERED || (c.state != State.FAILED && found != null)) {
        closest.add(c.node);
      }
      if (closest.size() >= k) {
        break;
      }
    }
    int rounds = found != null ? foundHop : deepest;
    return new LookupResult(
        Optional.ofNullable(found), closest, rounds, rpcs, failures, clock.getAsLong() - start);
  }
}
