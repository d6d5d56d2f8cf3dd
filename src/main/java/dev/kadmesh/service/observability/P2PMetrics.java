package dev.kadmesh.service.observability;

import static dev.kadmesh.service.observability.MeterNames.*;

import dev.kadmesh.p2p.dht.LookupResult;
import dev.kadmesh.p2p.net.CloseReason;
import dev.kadmesh.p2p.net.Connection;
import dev.kadmesh.p2p.net.NetListener;
import dev.kadmesh.p2p.node.P2PNode;
import dev.kadmesh.p2p.swarm.RejectReason;
import dev.kadmesh.p2p.swarm.SwarmObserver;
import dev.kadmesh.service.api.Subscriptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Publishes the node's figures to Micrometer: listens to the transport, the swarm and the DHT, and
 * reads their counters. Callbacks run on transport threads and only bump meters.
 */
@Component
class P2PMetrics implements NetListener, SwarmObserver {
  private final MeterRegistry registry;
  private final Set<String> protocolTags = ConcurrentHashMap.newKeySet();
  private final Map<String, Counter> sentCounters = new ConcurrentHashMap<>();
  private final Map<String, Counter> receivedCounters = new ConcurrentHashMap<>();
  private final Timer handshakeDuration;

  P2PMetrics(MeterRegistry registry, P2PNode node, Subscriptions subscriptions) {
    this.registry = registry;
    this.handshakeDuration = Timer.builder(HANDSHAKE_DURATION)
        .description("Successful handshakes, TCP connect to session ready")
        .register(registry);
    for (Connection.Direction d : Connection.Direction.values()) {
      Gauge.builder(CONNECTIONS_ACTIVE, node.pool(),
              p -> p.connections().stream().filter(c -> c.direction() == d).count())
          .description("Established connections").tag("direction", tag(d.name()))
          .register(registry);
    }
    Gauge.builder(ROUTING_TABLE_SIZE, node.dht().table(), t -> t.size())
        .description("Nodes in the routing table").register(registry);
    FunctionCounter.builder(BYTES_IN, node.net(), n -> n.bytesIn()).baseUnit("bytes")
        .description("Bytes received from peers").register(registry);
    FunctionCounter.builder(BYTES_OUT, node.net(), n -> n.bytesOut()).baseUnit("bytes")
        .description("Bytes written to peers").register(registry);
    FunctionCounter.builder(PEER_PENALTIES, node.net(), n -> n.punished())
        .description("Peers punished for breaking the protocol").register(registry);
    FunctionCounter.builder(PEER_THROTTLES, node.net(), n -> n.throttled())
        .description("Connections paused for exceeding the per-peer rate limits")
        .register(registry);
    Gauge.builder(INBOUND_BUFFER_RESERVED, node.net(), n -> n.inboundBufferBytes())
        .baseUnit("bytes")
        .description("Bytes reserved by large incoming messages now arriving")
        .register(registry);
    FunctionCounter.builder(INBOUND_BUFFER_WAITS, node.net(), n -> n.bufferWaits())
        .description("Times a connection stopped reading to wait for the inbound buffer budget")
        .register(registry);
    FunctionCounter.builder(GOSSIP_DUPLICATES, node.gossip(), g -> g.duplicates())
        .description("Broadcast messages received again and dropped").register(registry);
    FunctionCounter.builder(GOSSIP_RELAYED, node.gossip(), g -> g.relayed())
        .description("Broadcast messages relayed on").register(registry);
    Gauge.builder(SUBSCRIBERS_ACTIVE, subscriptions, s -> s.subscriberCount())
        .description("API subscriptions open").register(registry);
    FunctionCounter.builder(SUBSCRIBER_OVERFLOWS, subscriptions, s -> s.overflows())
        .description("Messages dropped because a subscriber or backlog was full")
        .register(registry);
    for (RejectReason r : RejectReason.values()) {
      rejectedCounter(r); // present at zero, so that rates and alerts work from the start
    }
    node.net().subscribe(this);
    node.swarm().observe(this);
    node.dht().stats().onLookup(this::lookup);
  }

  @Override
  public void onEstablished(Connection connection, long handshakeNanos) {
    handshakeDuration.record(handshakeNanos, TimeUnit.NANOSECONDS);
    counter(HANDSHAKES, "Handshakes by result", "result", "ok").increment();
    counter(CONNECTIONS_OPENED, "Connections established", "direction",
        tag(connection.direction().name())).increment();
  }

  @Override
  public void onHandshakeFailed(InetSocketAddress remote, CloseReason reason) {
    counter(HANDSHAKES, "Handshakes by result", "result", tag(reason.name())).increment();
  }

  @Override
  public void onConnectionClosed(Connection connection, CloseReason reason) {
    Counter.builder(CONNECTIONS_CLOSED).description("Established connections closed")
        .tag("direction", tag(connection.direction().name())).tag("reason", tag(reason.name()))
        .register(registry).increment();
  }

  @Override
  public void sent(String protocol, int bytes) {
    sentCounters.computeIfAbsent(protocolTag(protocol), p ->
        counter(MESSAGES_SENT, "Messages written to peers", "protocol", p)).increment();
  }

  @Override
  public void delivered(String protocol, int bytes) {
    receivedCounters.computeIfAbsent(protocolTag(protocol), p ->
        counter(MESSAGES_RECEIVED, "Validated messages delivered", "protocol", p)).increment();
  }

  @Override
  public void rejected(RejectReason reason) {
    rejectedCounter(reason).increment();
  }

  private Counter rejectedCounter(RejectReason reason) {
    return counter(MESSAGES_REJECTED, "Received messages rejected", "reason", tag(reason.name()));
  }

  private void lookup(LookupResult r) {
    String result = r.found().isPresent() ? "found" : "not_found";
    Timer.builder(LOOKUPS).description("Lookups by node id").tag("result", result)
        .register(registry).record(r.millis(), TimeUnit.MILLISECONDS);
    DistributionSummary.builder(LOOKUP_HOPS).description("FindNode hops per lookup")
        .tag("result", result).register(registry).record(r.rounds());
  }

  private Counter counter(String name, String description, String tag, String value) {
    return Counter.builder(name).description(description).tag(tag, value).register(registry);
  }

  /** The protocol's name as a tag, while fewer than the limit are in use; else "other". */
  private String protocolTag(String protocol) {
    if (protocolTags.contains(protocol)) {
      return protocol;
    }
    if (protocolTags.size() < MAX_PROTOCOL_TAGS) {
      protocolTags.add(protocol);
      return protocol;
    }
    return OTHER;
  }

  private static String tag(String enumName) {
    return enumName.toLowerCase(Locale.ROOT);
  }
}
