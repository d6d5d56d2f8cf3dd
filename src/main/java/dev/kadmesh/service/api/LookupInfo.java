package dev.kadmesh.service.api;

import java.util.List;

/**
 * A node found by id, from the routing table or by a network lookup.
 *
 * @param id the node id
 * @param address its {@code host:port}
 * @param node its node string
 * @param rounds FindNode hops it took (0: it was in the routing table)
 * @param rpcs FindNode requests sent
 * @param failures requests that failed or timed out
 * @param millis duration of the lookup
 * @param closest node strings of the closest nodes seen, closest first
 */
public record LookupInfo(
    String id,
    String address,
    String node,
    int rounds,
    int rpcs,
    int failures,
    long millis,
    List<String> closest) {}
