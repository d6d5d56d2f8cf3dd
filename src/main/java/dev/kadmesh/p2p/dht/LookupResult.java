package dev.kadmesh.p2p.dht;

import dev.kadmesh.p2p.identity.Node;
import java.util.List;
import java.util.Optional;

/**
 * What a lookup found.
 *
 * @param found the node with the wanted id, if found
 * @param closest the closest nodes known at the end, closest first (at most k)
 * @param rounds FindNode hops: 0 when answered from the local table, otherwise the hop count of
 *     the query that revealed the target (the nodes from our own table are hop 1, nodes they
 *     returned hop 2, ...), or the deepest hop queried when it was not found
 * @param rpcs FindNode requests sent
 * @param failures requests that failed or timed out
 * @param millis time from start to end
 */
public record LookupResult(
    Optional<Node> found, List<Node> closest, int rounds, int rpcs, int failures, long millis) {}
