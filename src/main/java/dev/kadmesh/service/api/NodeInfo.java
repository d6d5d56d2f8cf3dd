package dev.kadmesh.service.api;

import java.time.Instant;

/**
 * This node, as the API shows it.
 *
 * @param node the node string peers use to reach it: {@code host:port/<base58 key>}
 * @param id the node id (base58 compressed public key)
 * @param dhtId the DHT id (hex SHA-256 of the public key)
 * @param advertisedAddress {@code host:port} announced to peers
 * @param listenAddress the P2P listener's bound address
 * @param networkId peers must share it
 * @param version client version announced in handshakes
 * @param startedAt when the node started
 * @param uptimeSeconds seconds since then
 * @param bootstrap how far joining the network got
 * @param connections established connections
 * @param routingTableSize nodes in the routing table
 */
public record NodeInfo(
    String node,
    String id,
    String dhtId,
    String advertisedAddress,
    String listenAddress,
    int networkId,
    String version,
    Instant startedAt,
    long uptimeSeconds,
    Bootstrap bootstrap,
    int connections,
    int routingTableSize) {

  /**
   * @param state NOT_STARTED, RUNNING, DONE (the table reached the minimum) or STOPPED
   * @param attempts bootstrap rounds run
   * @param tableSize nodes in the routing table
   * @param minimum table size that counts as bootstrapped
   */
  public record Bootstrap(String state, int attempts, int tableSize, int minimum) {}
}
