package dev.kadmesh.service.api;

import dev.kadmesh.p2p.dht.Bootstrap;
import dev.kadmesh.p2p.dht.LookupResult;
import dev.kadmesh.p2p.dht.RoutingTable;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.identity.NodeId;
import dev.kadmesh.p2p.net.Connection;
import dev.kadmesh.p2p.net.DialException;
import dev.kadmesh.p2p.net.SendException;
import dev.kadmesh.p2p.node.P2PNode;
import dev.kadmesh.p2p.swarm.Message;
import dev.kadmesh.p2p.swarm.SendFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations the REST and gRPC facades offer, acting as this node: input checked with
 * messages fit for a client, failures turned into {@link ApiException}s, every wait bounded by
 * the request timeout. Thread-safe.
 */
public final class NodeApi {
  private static final Logger log = LoggerFactory.getLogger(NodeApi.class);
  private final P2PNode node;
  private final Subscriptions subscriptions;
  private final Duration requestTimeout;
  private final LongSupplier clock;

  /**
   * @param requestTimeout deadline of lookups and sends
   * @param clock Unix milliseconds
   */
  public NodeApi(P2PNode node, Subscriptions subscriptions, Duration requestTimeout,
      LongSupplier clock) {
    this.node = node;
    this.subscriptions = subscriptions;
    this.requestTimeout = requestTimeout;
    this.clock = clock;
  }

  public Subscriptions subscriptions() {
    return subscriptions;
  }

  /** The largest payload a message may carry, in bytes. */
  public int maxPayload() {
    return node.swarm().config().maxPayload();
  }

  public NodeInfo info() {
    Node self = node.node();
    Bootstrap.Status b = node.dht().bootstrapStatus();
    Instant now = Instant.ofEpochMilli(clock.getAsLong());
    return new NodeInfo(
        self.toString(),
        self.id().toBase58(),
        self.id().dhtId().toString(),
        self.hostPort(),
        node.net().config().listenHost() + ":" + node.net().listenAddress().getPort(),
        node.net().config().networkId(),
        node.net().config().clientVersion(),
        node.startedAt(),
        Math.max(0, Duration.between(node.startedAt(), now).toSeconds()),
        new NodeInfo.Bootstrap(b.state().name(), b.attempts(), b.tableSize(), b.minimum()),
        node.pool().size(),
        node.dht().table().size());
  }

  /** The non-empty buckets of the routing table, by index. */
  public List<BucketInfo> routingTable() {
    return node.dht().table().buckets().stream()
        .filter(b -> !b.nodes().isEmpty() || b.replacements() > 0)
        .map(b -> new BucketInfo(b.index(), b.nodes().stream().map(NodeApi::peer).toList(),
            b.replacements()))
        .toList();
  }

  private static BucketInfo.Peer peer(RoutingTable.Entry e) {
    Node n = e.node();
    return new BucketInfo.Peer(n.id().toBase58(), n.hostPort(), n.toString(),
        Instant.ofEpochMilli(e.lastSeen()));
  }

  /** Established connections, oldest idle first. */
  public List<ConnectionInfo> connections() {
    return node.pool().connections().stream()
        .filter(Connection::isOpen)
        .sorted(Comparator.comparingLong(Connection::idleNanos).reversed())
        .map(c -> new ConnectionInfo(
            c.remoteId().toBase58(),
            c.direction().name(),
            c.remoteAddress().getHostString() + ":" + c.remoteAddress().getPort(),
            c.remoteNode().map(Node::hostPort).orElse(null),
            c.remoteClientVersion(),
            TimeUnit.NANOSECONDS.toMillis(c.idleNanos())))
        .toList();
  }

  /**
   * Finds the node with id {@code id}: from the routing table, else by a network lookup.
   *
   * @throws ApiException INVALID_ARGUMENT for a malformed id, NOT_FOUND, TIMEOUT
   */
  public LookupInfo lookup(String id) {
    return lookup(id, null);
  }

  /**
   * {@link #lookup(String)}, waiting at most {@code within} (the caller's own deadline, e.g. a gRPC
   * client's) when that is shorter than the request timeout; null for the request timeout.
   */
  public LookupInfo lookup(String id, Duration within) {
    NodeId target = parseId("id", id);
    LookupResult r = await(node.dht().lookup(target), "lookup of " + id, target, within);
    Node found = r.found().orElseThrow(() -> new ApiException(ApiError.NOT_FOUND,
        "node " + id + " not found in the network (" + r.rounds() + " rounds, " + r.rpcs()
            + " FindNode requests)"));
    return new LookupInfo(found.id().toBase58(), found.hostPort(), found.toString(), r.rounds(),
        r.rpcs(), r.failures(), r.millis(), r.closest().stream().map(Node::toString).toList());
  }

  /**
   * Sends {@code payload} to node {@code to} under {@code protocol}; returns once it is written to
   * the peer's connection.
   *
   * @throws ApiException INVALID_ARGUMENT, NOT_FOUND, UNREACHABLE, PAYLOAD_TOO_LARGE, TIMEOUT, ...
   */
  public void send(String to, String protocol, byte[] payload) {
    send(to, protocol, payload, null);
  }

  /**
   * {@link #send(String, String, byte[])}, waiting at most {@code within} (see {@link
   * #lookup(String, Duration)}). A send still under way when the wait ends goes on.
   */
  public void send(String to, String protocol, byte[] payload, Duration within) {
    NodeId target = parseId("to", to);
    ProtocolNames.check(protocol);
    checkPayload(payload);
    if (target.equals(node.node().id())) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "to is this node's own id");
    }
    await(node.swarm().sendMessageAsync(target, protocol, payload), "sending to " + to, target,
        within);
  }

  /**
   * Broadcasts {@code payload} to the whole network under {@code protocol}. Local subscribers of
   * the protocol receive it too, as every other node's do.
   */
  public void broadcast(String protocol, byte[] payload) {
    broadcast(protocol, payload, null);
  }

  /** {@link #broadcast(String, byte[])}, waiting at most {@code within}. */
  public void broadcast(String protocol, byte[] payload, Duration within) {
    ProtocolNames.check(protocol);
    checkPayload(payload);
    CompletableFuture<Void> sent = node.swarm().broadcast(protocol, payload);
    if (!sent.isCompletedExceptionally()) { // refused at once (e.g. stopping): nobody gets it
      NodeId self = node.node().id();
      subscriptions.deliverLocally(new Message(protocol, payload.clone(), self, node.node(), self,
          new byte[0], clock.getAsLong(), true));
    }
    await(sent, "broadcast", self(), within);
  }

  /** Parses a base58 node id, naming {@code field} in the error. */
  public static NodeId parseId(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, field + " is required");
    }
    try {
      return NodeId.fromBase58(value);
    } catch (IllegalArgumentException e) {
      throw new ApiException(ApiError.INVALID_ARGUMENT,
          field + " is not a node id: " + e.getMessage());
    }
  }

  private void checkPayload(byte[] payload) {
    if (payload == null) {
      throw new ApiException(ApiError.INVALID_ARGUMENT, "payload is required");
    }
    if (payload.length > maxPayload()) {
      throw new ApiException(ApiError.PAYLOAD_TOO_LARGE, "payload of " + payload.length
          + " bytes exceeds the maximum of " + maxPayload() + " bytes");
    }
  }

  private NodeId self() {
    return node.node().id();
  }

  private <T> T await(CompletableFuture<T> future, String what, NodeId peer, Duration within) {
    boolean callers = within != null && within.compareTo(requestTimeout) < 0;
    long millis = callers ? Math.max(0, within.toMillis()) : requestTimeout.toMillis();
    try {
      return future.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ApiException(ApiError.TIMEOUT, what + " took longer than " + millis + " ms"
          + (callers ? " (the caller's deadline)" : ""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ApiError.SHUTTING_DOWN, what + " was interrupted");
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ApiException api) {
        throw api;
      }
      if (cause instanceof SendFailure || cause instanceof DialException
          || cause instanceof SendException) {
        throw ApiException.of(SendFailure.of(cause, peer));
      }
      log.error("{} failed unexpectedly", what, cause);
      throw new ApiException(ApiError.INTERNAL, what + " failed; see the node's log");
    }
  }
}
