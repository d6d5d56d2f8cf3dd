package dev.kadmesh.service.config;

import dev.kadmesh.p2p.identity.ClusterKeys;
import dev.kadmesh.p2p.identity.Node;
import dev.kadmesh.p2p.net.AddressRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The node's settings under {@code kadmesh.*}. Every value has a default that runs a node out of
 * the box; invalid values stop startup with a message naming the property. Documented in
 * docs/configuration.md.
 *
 * @param dataDir directory of the node key file
 * @param persistIdentity store a newly generated key in the data dir
 * @param networkId peers must have the same network id
 * @param bootnodes node strings ({@code host:port/<base58 key>}) of nodes to join through
 * @param p2p the peer-to-peer listener and its limits
 * @param dht routing table and lookups
 * @param messages message validation and delivery
 * @param timesync clock drift check against SNTP servers
 * @param gossip broadcast
 * @param cluster node keys derived from a shared secret, and bootnodes named by address alone
 * @param api the REST and gRPC APIs
 * @param shutdownTimeout how long a stopping node waits for sends in flight before failing them
 * @param endpointsFile if set, the node's string and ports are written there once it is ready
 */
@ConfigurationProperties("kadmesh")
public record KadmeshProperties(
    @DefaultValue("kadmesh-data") Path dataDir,
    @DefaultValue("true") boolean persistIdentity,
    @DefaultValue("1") int networkId,
    @DefaultValue List<String> bootnodes,
    @DefaultValue P2p p2p,
    @DefaultValue Dht dht,
    @DefaultValue Messages messages,
    @DefaultValue Timesync timesync,
    @DefaultValue Gossip gossip,
    @DefaultValue Cluster cluster,
    @DefaultValue Api api,
    @DefaultValue("10s") Duration shutdownTimeout,
    Path endpointsFile) {

  public KadmeshProperties {
    checkPositive(shutdownTimeout, "kadmesh.shutdown-timeout");
    bootnodes = bootnodes == null ? List.of() : List.copyOf(bootnodes);
    for (int i = 0; i < bootnodes.size(); i++) {
      try {
        Node.parse(bootnodes.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("kadmesh.bootnodes[" + i + "]: " + e.getMessage());
      }
    }
  }

  /**
   * The bootnodes: {@code kadmesh.bootnodes}, parsed, then the cluster's bootnodes with their
   * derived ids, except this node itself.
   */
  public List<Node> bootnodeList() {
    List<Node> all = new java.util.ArrayList<>(bootnodes.stream().map(Node::parse).toList());
    all.addAll(cluster.bootnodeList());
    return List.copyOf(all);
  }

  /**
   * Deployments such as a Kubernetes StatefulSet: every node's key is derived from {@code secret}
   * and its {@code ordinal} ({@link ClusterKeys}), so {@code bootnodes} need no keys: the i-th is
   * the node with ordinal i.
   *
   * @param secret shared by the deployment's nodes, at least 32 characters; unset: keys are
   *     random and stored in the data dir
   * @param ordinal this node's ordinal: a number or a name ending in {@code -<number>} (a pod name)
   * @param bootnodes {@code host:port} of the nodes with ordinals 0, 1, ...
   */
  public record Cluster(String secret, String ordinal, @DefaultValue List<String> bootnodes) {

    public Cluster {
      secret = secret == null || secret.isEmpty() ? null : secret;
      bootnodes = bootnodes == null ? List.of() : List.copyOf(bootnodes);
      if (secret == null) {
        check(bootnodes.isEmpty(), "kadmesh.cluster.bootnodes",
            "needs kadmesh.cluster.secret (their keys are derived from it)", bootnodes);
      } else {
        check(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                >= ClusterKeys.MIN_SECRET_LENGTH, "kadmesh.cluster.secret",
            "must be at least " + ClusterKeys.MIN_SECRET_LENGTH + " characters",
            "<" + secret.length() + " characters>");
        try {
          ClusterKeys.parseOrdinal(ordinal);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("kadmesh.cluster.ordinal " + e.getMessage());
        }
      }
      for (int i = 0; i < bootnodes.size(); i++) {
        String b = bootnodes.get(i);
        int colon = b.lastIndexOf(':');
        check(colon > 0 && validHostPort(b.substring(0, colon), b.substring(colon + 1)),
            "kadmesh.cluster.bootnodes[" + i + "]", "must be host:port", b);
      }
    }

    /** The keys, when a secret is set. */
    public java.util.Optional<ClusterKeys> keys() {
      return secret == null ? java.util.Optional.empty()
          : java.util.Optional.of(new ClusterKeys(secret));
    }

    /** This node's ordinal; only meaningful with a secret. */
    public int ordinalNumber() {
      return ClusterKeys.parseOrdinal(ordinal);
    }

    /** The bootnodes with their derived ids, except the one with this node's ordinal. */
    public List<Node> bootnodeList() {
      if (secret == null) {
        return List.of();
      }
      ClusterKeys keys = new ClusterKeys(secret);
      int self = ordinalNumber();
      List<Node> nodes = new java.util.ArrayList<>();
      for (int i = 0; i < bootnodes.size(); i++) {
        if (i != self) {
          String b = bootnodes.get(i);
          int colon = b.lastIndexOf(':');
          nodes.add(new Node(keys.id(i), b.substring(0, colon),
              Integer.parseInt(b.substring(colon + 1))));
        }
      }
      return nodes;
    }

    @Override
    public String toString() {
      return "Cluster[secret=" + (secret == null ? "unset" : "<set>") + ", ordinal=" + ordinal
          + ", bootnodes=" + bootnodes + "]";
    }
  }

  /**
   * @param bucketSize k: nodes per bucket and per FindNode answer
   * @param bucketCount buckets in the routing table
   * @param alpha parallel FindNode queries per lookup
   * @param rpcTimeout deadline of one FindNode or ping
   * @param minRoutingTable bootstrap is done once the table holds this many nodes
   * @param refreshInterval buckets untouched this long are refreshed
   */
  public record Dht(
      @DefaultValue("20") int bucketSize,
      @DefaultValue("20") int bucketCount,
      @DefaultValue("3") int alpha,
      @DefaultValue("5s") Duration rpcTimeout,
      @DefaultValue("5") int minRoutingTable,
      @DefaultValue("1h") Duration refreshInterval) {

    public Dht {
      check(bucketSize >= 1, "kadmesh.dht.bucket-size", "must be at least 1", bucketSize);
      check(bucketCount >= 1 && bucketCount <= 257, "kadmesh.dht.bucket-count",
          "must be in 1..257", bucketCount);
      check(alpha >= 1, "kadmesh.dht.alpha", "must be at least 1", alpha);
      checkPositive(rpcTimeout, "kadmesh.dht.rpc-timeout");
      check(minRoutingTable >= 0, "kadmesh.dht.min-routing-table", "must not be negative",
          minRoutingTable);
      checkPositive(refreshInterval, "kadmesh.dht.refresh-interval");
    }
  }

  /**
   * @param timestampWindow messages authored further in the past or future are rejected
   * @param signDirect sign and require signatures on direct messages too
   * @param inboxCapacity messages a registered protocol buffers before dropping
   * @param sendTimeout deadline of a blocking send
   */
  public record Messages(
      @DefaultValue("2m") Duration timestampWindow,
      @DefaultValue("false") boolean signDirect,
      @DefaultValue("1024") int inboxCapacity,
      @DefaultValue("30s") Duration sendTimeout) {

    public Messages {
      checkPositive(timestampWindow, "kadmesh.messages.timestamp-window");
      check(inboxCapacity >= 1, "kadmesh.messages.inbox-capacity", "must be at least 1",
          inboxCapacity);
      checkPositive(sendTimeout, "kadmesh.messages.send-timeout");
    }
  }

  /**
   * @param host listen address
   * @param port listen port (0 picks a free one)
   * @param advertisedHost host peers dial (default: the listen host, or 127.0.0.1 on 0.0.0.0)
   * @param advertisedPort port peers dial (default 0: the listen port)
   * @param maxMessageSize largest message on a session
   * @param handshakeTimeout connections that have not finished the handshake by then are closed
   * @param connectTimeout how long a dial waits for TCP
   * @param maxClockSkew largest accepted difference between a peer's clock and ours
   * @param maxPendingHandshakes inbound connections allowed to be mid-handshake at once
   * @param maxConnections established and dialling connections
   * @param maxInbound established connections opened by peers
   * @param eventLoopThreads transport threads (0: one per core)
   * @param idleTimeout connections with no traffic for this long are closed
   * @param maxInboundPerAddress inbound connections from one IP address at once
   * @param penaltyBase how long the address of a peer that broke the protocol is refused the
   *     first time (doubling with each offence); 0 turns penalties off
   * @param penaltyMax the longest such refusal
   * @param peerMessagesPerSecond messages one connection may send us per second before we stop
   *     reading from it for a while (0: no limit)
   * @param peerBytesPerSecond the same for bytes (0: no limit)
   * @param frameTimeout a message that has started to arrive must be complete within this (0: no
   *     deadline), plus its length at {@code frameMinRate}
   * @param frameMinRate per second: the extra time a large message gets on a slow link (0: none)
   * @param inboundBufferBudget memory all connections together may hold in large messages (above
   *     64 KiB) that have started to arrive; beyond it further ones wait, unread, until earlier
   *     ones complete (0: no budget; never less than the buffer of one maximal message)
   * @param limitExemptNetworks addresses or CIDR blocks (e.g. a load balancer's) exempt from the
   *     per-address connection cap and from refusals after a violation
   * @param ipv6GroupPrefix global unicast IPv6 peers count, for that cap and for refusals, with
   *     every address of this prefix (128: one by one)
   */
  public record P2p(
      @DefaultValue("0.0.0.0") String host,
      @DefaultValue("7513") int port,
      String advertisedHost,
      @DefaultValue("0") int advertisedPort,
      @DefaultValue("1MB") DataSize maxMessageSize,
      @DefaultValue("5s") Duration handshakeTimeout,
      @DefaultValue("5s") Duration connectTimeout,
      @DefaultValue("60s") Duration maxClockSkew,
      @DefaultValue("256") int maxPendingHandshakes,
      @DefaultValue("500") int maxConnections,
      @DefaultValue("400") int maxInbound,
      @DefaultValue("0") int eventLoopThreads,
      @DefaultValue("5m") Duration idleTimeout,
      @DefaultValue("32") int maxInboundPerAddress,
      @DefaultValue("1s") Duration penaltyBase,
      @DefaultValue("10m") Duration penaltyMax,
      @DefaultValue("5000") int peerMessagesPerSecond,
      @DefaultValue("32MB") DataSize peerBytesPerSecond,
      @DefaultValue("30s") Duration frameTimeout,
      @DefaultValue("16KB") DataSize frameMinRate,
      @DefaultValue("64MB") DataSize inboundBufferBudget,
      @DefaultValue List<String> limitExemptNetworks,
      @DefaultValue("64") int ipv6GroupPrefix) {

    public P2p {
      check(host != null && !host.isBlank(), "kadmesh.p2p.host", "must not be empty", host);
      check(port >= 0 && port <= 65535, "kadmesh.p2p.port", "must be in 0..65535", port);
      check(
          advertisedPort >= 0 && advertisedPort <= 65535,
          "kadmesh.p2p.advertised-port",
          "must be in 0..65535",
          advertisedPort);
      check(
          maxMessageSize.toBytes() >= 1024 && maxMessageSize.toBytes() <= 64L * 1024 * 1024,
          "kadmesh.p2p.max-message-size",
          "must be between 1KB and 64MB",
          maxMessageSize);
      checkPositive(handshakeTimeout, "kadmesh.p2p.handshake-timeout");
      checkPositive(connectTimeout, "kadmesh.p2p.connect-timeout");
      checkPositive(maxClockSkew, "kadmesh.p2p.max-clock-skew");
      check(
          maxPendingHandshakes >= 1,
          "kadmesh.p2p.max-pending-handshakes",
          "must be at least 1",
          maxPendingHandshakes);
      check(maxConnections >= 1, "kadmesh.p2p.max-connections", "must be at least 1",
          maxConnections);
      check(
          maxInbound >= 0 && maxInbound <= maxConnections,
          "kadmesh.p2p.max-inbound",
          "must be between 0 and kadmesh.p2p.max-connections (" + maxConnections + ")",
          maxInbound);
      check(eventLoopThreads >= 0, "kadmesh.p2p.event-loop-threads", "must not be negative",
          eventLoopThreads);
      checkPositive(idleTimeout, "kadmesh.p2p.idle-timeout");
      check(maxInboundPerAddress >= 1, "kadmesh.p2p.max-inbound-per-address",
          "must be at least 1", maxInboundPerAddress);
      check(penaltyBase != null && !penaltyBase.isNegative(), "kadmesh.p2p.penalty-base",
          "must not be negative", penaltyBase);
      check(penaltyMax != null && penaltyBase != null && penaltyMax.compareTo(penaltyBase) >= 0,
          "kadmesh.p2p.penalty-max", "must be at least kadmesh.p2p.penalty-base", penaltyMax);
      check(peerMessagesPerSecond >= 0, "kadmesh.p2p.peer-messages-per-second",
          "must not be negative", peerMessagesPerSecond);
      check(peerBytesPerSecond != null && peerBytesPerSecond.toBytes() >= 0,
          "kadmesh.p2p.peer-bytes-per-second", "must not be negative", peerBytesPerSecond);
      check(frameTimeout != null && !frameTimeout.isNegative(), "kadmesh.p2p.frame-timeout",
          "must not be negative", frameTimeout);
      check(frameMinRate != null && frameMinRate.toBytes() >= 0, "kadmesh.p2p.frame-min-rate",
          "must not be negative", frameMinRate);
      check(inboundBufferBudget != null && inboundBufferBudget.toBytes() >= 0,
          "kadmesh.p2p.inbound-buffer-budget", "must not be negative", inboundBufferBudget);
      for (int i = 0; i < limitExemptNetworks.size(); i++) {
        String range = limitExemptNetworks.get(i);
        boolean valid;
        try {
          AddressRange.parse(range);
          valid = true;
        } catch (IllegalArgumentException e) {
          valid = false;
        }
        check(valid, "kadmesh.p2p.limit-exempt-networks[" + i + "]",
            "must be an IP address or a CIDR block such as 10.0.0.0/8", range);
      }
      check(ipv6GroupPrefix >= 1 && ipv6GroupPrefix <= 128, "kadmesh.p2p.ipv6-group-prefix",
          "must be in 1..128", ipv6GroupPrefix);
    }

    /** {@link #limitExemptNetworks()} parsed (checked on construction). */
    public List<AddressRange> exemptRanges() {
      return limitExemptNetworks.stream().map(AddressRange::parse).toList();
    }
  }

  /**
   * @param servers SNTP servers as {@code host:port} (port 123 if omitted); empty turns the check
   *     off
   * @param maxDrift largest accepted difference between our clock and the servers'
   * @param timeout how long to wait for each server
   * @param onDrift what to do beyond {@code maxDrift}: log a warning, or stop startup
   */
  public record Timesync(
      @DefaultValue List<String> servers,
      @DefaultValue("10s") Duration maxDrift,
      @DefaultValue("2s") Duration timeout,
      @DefaultValue("WARN") OnDrift onDrift) {

    /** What to do when the clock drifts too far. */
    public enum OnDrift {
      WARN,
      STOP
    }

    public Timesync {
      servers = servers == null ? List.of() : List.copyOf(servers);
      checkPositive(maxDrift, "kadmesh.timesync.max-drift");
      checkPositive(timeout, "kadmesh.timesync.timeout");
      for (int i = 0; i < servers.size(); i++) {
        String s = servers.get(i);
        int colon = s.lastIndexOf(':');
        String port = colon < 0 ? "123" : s.substring(colon + 1);
        String host = colon < 0 ? s : s.substring(0, colon);
        check(validHostPort(host, port), "kadmesh.timesync.servers[" + i + "]",
            "must be host or host:port", s);
      }
    }

    /** The servers as socket addresses (resolved when queried). */
    public List<java.net.InetSocketAddress> addresses() {
      return servers.stream().map(s -> {
        int colon = s.lastIndexOf(':');
        return colon < 0
            ? java.net.InetSocketAddress.createUnresolved(s, 123)
            : java.net.InetSocketAddress.createUnresolved(s.substring(0, colon),
                Integer.parseInt(s.substring(colon + 1)));
      }).toList();
    }
  }

  /**
   * @param fanout members of each routing-table bucket a node relays a broadcast message to
   * @param seenCacheSize message ids remembered to drop duplicates
   * @param seenTtl how long an id is remembered (at least the timestamp window)
   */
  public record Gossip(
      @DefaultValue("2") int fanout,
      @DefaultValue("100000") int seenCacheSize,
      @DefaultValue("5m") Duration seenTtl) {

    public Gossip {
      check(fanout >= 1, "kadmesh.gossip.fanout", "must be at least 1", fanout);
      check(seenCacheSize >= 1, "kadmesh.gossip.seen-cache-size", "must be at least 1",
          seenCacheSize);
      checkPositive(seenTtl, "kadmesh.gossip.seen-ttl");
    }
  }

  /**
   * @param token bearer token the REST and gRPC APIs require; when unset they listen on loopback
   *     only
   * @param requestTimeout deadline of a lookup or send made through the API
   * @param subscriberBuffer messages buffered per subscriber before dropping
   * @param subscriberBufferBytes payload bytes buffered per subscriber before dropping
   * @param keepAlive how often Server-Sent Events subscriptions check their client is there
   * @param maxSubscribers subscriptions (gRPC and Server-Sent Events) open at once
   * @param maxProtocols protocols registered through the API at once
   */
  public record Api(
      String token,
      @DefaultValue("30s") Duration requestTimeout,
      @DefaultValue("1024") int subscriberBuffer,
      @DefaultValue("8MB") DataSize subscriberBufferBytes,
      @DefaultValue("15s") Duration keepAlive,
      @DefaultValue("256") int maxSubscribers,
      @DefaultValue("64") int maxProtocols) {

    public Api {
      token = token == null || token.isEmpty() ? null : token;
      check(token == null || token.length() >= 16, "kadmesh.api.token",
          "must be at least 16 characters", "<" + (token == null ? 0 : token.length())
              + " characters>");
      checkPositive(requestTimeout, "kadmesh.api.request-timeout");
      check(subscriberBuffer >= 1, "kadmesh.api.subscriber-buffer", "must be at least 1",
          subscriberBuffer);
      check(subscriberBufferBytes.toBytes() >= 1024, "kadmesh.api.subscriber-buffer-bytes",
          "must be at least 1KB", subscriberBufferBytes);
      checkPositive(keepAlive, "kadmesh.api.keep-alive");
      check(maxSubscribers >= 1, "kadmesh.api.max-subscribers", "must be at least 1",
          maxSubscribers);
      check(maxProtocols >= 1, "kadmesh.api.max-protocols", "must be at least 1", maxProtocols);
    }

    /** True when the APIs require a bearer token. */
    public boolean hasToken() {
      return token != null;
    }

    @Override
    public String toString() {
      return "Api[token=" + (token == null ? "unset" : "<set>") + ", requestTimeout="
          + requestTimeout + ", subscriberBuffer=" + subscriberBuffer + ", subscriberBufferBytes="
          + subscriberBufferBytes + ", keepAlive=" + keepAlive + ", maxSubscribers="
          + maxSubscribers + ", maxProtocols=" + maxProtocols + "]";
    }
  }

  /** A host Kadmesh accepts in node strings, and a port in 1..65535. */
  static boolean validHostPort(String host, String port) {
    return Node.validHost(host) && port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1
        && Integer.parseInt(port) <= 65535;
  }

  static void checkPositive(Duration value, String property) {
    check(
        value != null && !value.isNegative() && !value.isZero(),
        property,
        "must be a positive duration",
        value);
  }

  static void check(boolean ok, String property, String rule, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(property + " " + rule + ", got '" + value + "'");
    }
  }
}
