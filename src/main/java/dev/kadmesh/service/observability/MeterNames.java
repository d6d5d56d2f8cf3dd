package dev.kadmesh.service.observability;

/**
 * Every meter Kadmesh publishes, in one place. Prometheus shows them with dots as underscores and
 * unit suffixes (e.g. {@code kadmesh_lookups_seconds_count}). Tags are low-cardinality: never a
 * peer id or address.
 */
public final class MeterNames {
  private MeterNames() {}

  /** Gauge: established connections, tag {@code direction} (inbound, outbound). */
  public static final String CONNECTIONS_ACTIVE = "kadmesh.connections.active";
  /** Counter: connections established, tag {@code direction}. */
  public static final String CONNECTIONS_OPENED = "kadmesh.connections.opened";
  /** Counter: established connections closed, tags {@code direction}, {@code reason}. */
  public static final String CONNECTIONS_CLOSED = "kadmesh.connections.closed";
  /** Counter: handshakes, tag {@code result} (ok, or why it failed). */
  public static final String HANDSHAKES = "kadmesh.handshakes";
  /** Timer: duration of successful handshakes, TCP connect to session ready. */
  public static final String HANDSHAKE_DURATION = "kadmesh.handshake.duration";
  /** Timer: lookups by node id, tag {@code result} (found, not_found). */
  public static final String LOOKUPS = "kadmesh.lookups";
  /** Distribution summary: FindNode hops per lookup, tag {@code result}. */
  public static final String LOOKUP_HOPS = "kadmesh.lookup.hops";
  /** Gauge: nodes in the routing table. */
  public static final String ROUTING_TABLE_SIZE = "kadmesh.routing.table.size";
  /** Counter: messages written to peers, tag {@code protocol}. */
  public static final String MESSAGES_SENT = "kadmesh.messages.sent";
  /** Counter: validated messages delivered, tag {@code protocol}. */
  public static final String MESSAGES_RECEIVED = "kadmesh.messages.received";
  /** Counter: received messages rejected, tag {@code reason}. */
  public static final String MESSAGES_REJECTED = "kadmesh.messages.rejected";
  /** Counter: bytes received on all connections, framing included. */
  public static final String BYTES_IN = "kadmesh.bytes.in";
  /** Counter: bytes written to all connections, framing included. */
  public static final String BYTES_OUT = "kadmesh.bytes.out";
  /** Counter: broadcast messages received again and dropped. */
  public static final String GOSSIP_DUPLICATES = "kadmesh.gossip.duplicates";
  /** Counter: broadcast messages relayed on. */
  public static final String GOSSIP_RELAYED = "kadmesh.gossip.relayed";
  /** Counter: peers punished for breaking the protocol (their address refused for a while). */
  public static final String PEER_PENALTIES = "kadmesh.peers.penalties";
  /** Counter: times a connection was paused for exceeding the per-peer rate limits. */
  public static final String PEER_THROTTLES = "kadmesh.peers.throttles";
  /** Gauge: bytes reserved by large incoming messages now arriving (the inbound buffer budget). */
  public static final String INBOUND_BUFFER_RESERVED = "kadmesh.inbound.buffer.reserved";
  /** Counter: times a connection stopped reading to wait for the inbound buffer budget. */
  public static final String INBOUND_BUFFER_WAITS = "kadmesh.inbound.buffer.waits";
  /** Gauge: API subscriptions open. */
  public static final String SUBSCRIBERS_ACTIVE = "kadmesh.subscribers.active";
  /** Counter: messages dropped because a subscriber's buffer or a protocol backlog was full. */
  public static final String SUBSCRIBER_OVERFLOWS = "kadmesh.subscribers.overflows";

  /** Distinct protocol tag values kept; further protocols are tagged {@value #OTHER}. */
  public static final int MAX_PROTOCOL_TAGS = 64;
  /** Tag value of protocols beyond {@link #MAX_PROTOCOL_TAGS}. */
  public static final String OTHER = "other";
}
