package dev.kadmesh.service.api;

/**
 * An established, encrypted connection.
 *
 * @param id the peer's node id
 * @param direction INBOUND (the peer dialled) or OUTBOUND
 * @param remoteAddress the TCP peer address
 * @param advertisedAddress {@code host:port} the peer announced, if any
 * @param version the peer's client version
 * @param idleMillis time since the last message either way
 */
public record ConnectionInfo(
    String id,
    String direction,
    String remoteAddress,
    String advertisedAddress,
    String version,
    long idleMillis) {}
