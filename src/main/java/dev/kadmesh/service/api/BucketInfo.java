package dev.kadmesh.service.api;

import java.time.Instant;
import java.util.List;

/**
 * One k-bucket of the routing table.
 *
 * @param index bucket index: the length of the prefix its nodes share with this node's DHT id
 * @param nodes its nodes, least recently seen first
 * @param replacements nodes waiting to replace a failed one
 */
public record BucketInfo(int index, List<Peer> nodes, int replacements) {

  /**
   * @param id node id
   * @param address {@code host:port}
   * @param node the node string
   * @param lastSeen when it was last heard from
   */
  public record Peer(String id, String address, String node, Instant lastSeen) {}
}
