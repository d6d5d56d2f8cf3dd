package dev.kadmesh.service.config;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param p2p the peer-to-peer listener and its limits
 */
@ConfigurationProperties("kadmesh")
public record KadmeshProperties(
    @DefaultValue("kadmesh-data") Path dataDir,
    @DefaultValue("true") boolean persistIdentity,
    @DefaultValue("1") int networkId,
    @DefaultValue P2p p2p) {

  /**
   * @param host listen address
   * @param port listen port (0 picks a free one)
   * @param advertisedHost host peers dial (default: the listen host, or 127.0.0.1 on 0.0.0.0)
   * @param advertisedPort port peers dial (default 0: the listen port)
   * @param maxMessageSize largest message on a session
   * @param handshakeTimeout connections that have not finished the handshake by then are closed
   * @param connectTimeout how long a dial waits for TCP
   * @param maxClockSkew largest accepted difference between a peer's clock and ours
   * @param maxPendingHandshakes connections allowed to be mid-handshake at once
   * @param maxConnections established and dialling connections
   * @param maxInbound established connections opened by peers
   * @param eventLoopThreads transport threads (0: one per core)
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
      @DefaultValue("0") int eventLoopThreads) {

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
    }
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
