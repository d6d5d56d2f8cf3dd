package dev.kadmesh.p2p.net;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of the TCP transport. Immutable; every value is checked on construction. Start from
 * {@link #defaults()} and change what differs.
 *
 * @param listenHost address to listen on ({@code 0.0.0.0} for all interfaces)
 * @param listenPort TCP port to listen on, 0 for any free port
 * @param networkId peers must have the same network id
 * @param clientVersion ours, {@code name/major.minor.patch}
 * @param maxMessageLength largest session message (plaintext) in bytes; a frame's length field may
 *     be at most this plus the 16-byte tag
 * @param handshakeTimeout a connection that has not finished its handshake by then is closed
 * @param connectTimeout how long a dial waits for the TCP connection
 * @param maxClockSkew largest accepted difference between a peer's handshake timestamp and ours
 * @param maxPendingHandshakes inbound connections allowed to be mid-handshake at once
 * @param maxPendingWriteBytes bytes a connection may have queued for sending before sends fail
 * @param limits what one peer or one address may take: per-address connections, penalties for
 *     protocol breakers, message and byte rates
 * @param clock Unix milliseconds
 * @param random randomness for keys and nonces
 */
public record NetConfig(
    String listenHost,
    int listenPort,
    int networkId,
    String clientVersion,
    int maxMessageLength,
    Duration handshakeTimeout,
    Duration connectTimeout,
    Duration maxClockSkew,
    int maxPendingHandshakes,
    long maxPendingWriteBytes,
    NetLimits limits,
    LongSupplier clock,
    SecureRandom random) {

  /** Largest handshake message; handshake frames above this close the connection. */
  static final int MAX_HANDSHAKE_MESSAGE = 1024;

  public NetConfig {
    Objects.requireNonNull(listenHost, "listenHost");
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    require(listenPort >= 0 && listenPort <= 65535, "listenPort must be in 0..65535");
    require(maxMessageLength >= 1024, "maxMessageLength must be at least 1024 bytes");
    require(maxMessageLength <= 64 * 1024 * 1024, "maxMessageLength must be at most 64 MiB");
    require(positive(handshakeTimeout), "handshakeTimeout must be positive");
    require(positive(connectTimeout), "connectTimeout must be positive");
    require(positive(maxClockSkew), "maxClockSkew must be positive");
    require(maxPendingHandshakes >= 1, "maxPendingHandshakes must be at least 1");
    require(
        maxPendingWriteBytes >= maxMessageLength,
        "maxPendingWriteBytes must be at least maxMessageLength");
    new HandshakeConfig(networkId, clientVersion, maxClockSkew, clock, random);
  }

  /**
   * Loopback, any port, network 1, 1 MiB messages, 5 s handshakes, 5 s connects, 60 s skew, 256
   * pending inbound handshakes, 4 MiB queued per connection, {@link NetLimits#defaults()}.
   */
  public static NetConfig defaults() {
    return new NetConfig(
        "127.0.0.1",
        0,
        1,
        "kadmesh/0.1.0",
        1024 * 1024,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        256,
        4L * 1024 * 1024,
        NetLimits.defaults(),
        System::currentTimeMillis,
        new SecureRandom());
  }

  public NetConfig withListen(String host, int port) {
    return new NetConfig(host, port, networkId, clientVersion, maxMessageLength, handshakeTimeout,
        connectTimeout, maxClockSkew, maxPendingHandshakes, maxPendingWriteBytes, limits, clock, random);
  }

  public NetConfig withNetwork(int id, String version) {
    return new NetConfig(listenHost, listenPort, id, version, maxMessageLength, handshakeTimeout,
        connectTimeout, maxClockSkew, maxPendingHandshakes, maxPendingWriteBytes, limits, clock, random);
  }

  public NetConfig withMaxMessageLength(int length) {
    return new NetConfig(listenHost, listenPort, networkId, clientVersion, length, handshakeTimeout,
        connectTimeout, maxClockSkew, maxPendingHandshakes, maxPendingWriteBytes, limits, clock, random);
  }

  public NetConfig withTimeouts(Duration handshake, Duration connect) {
    return new NetConfig(listenHost, listenPort, networkId, clientVersion, maxMessageLength,
        handshake, connect, maxClockSkew, maxPendingHandshakes, maxPendingWriteBytes, limits, clock, random);
  }

  public NetConfig withMaxPendingHandshakes(int max) {
    return new NetConfig(listenHost, listenPort, networkId, clientVersion, maxMessageLength,
        handshakeTimeout, connectTimeout, maxClockSkew, max, maxPendingWriteBytes, limits, clock, random);
  }

  public NetConfig withClock(LongSupplier unixMillis) {
    return new NetConfig(listenHost, listenPort, networkId, clientVersion, maxMessageLength,
        handshakeTimeout, connectTimeout, maxClockSkew, maxPendingHandshakes, maxPendingWriteBytes,
        limits, unixMillis, random);
  }

  public NetConfig withLimits(NetLimits newLimits) {
    return new NetConfig(listenHost, listenPort, networkId, clientVersion, maxMessageLength,
        handshakeTimeout, connectTimeout, maxClockSkew, maxPendingHandshakes, maxPendingWriteBytes,
        newLimits, clock, random);
  }

  HandshakeConfig handshakeConfig() {
    return new HandshakeConfig(networkId, clientVersion, maxClockSkew, clock, random);
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
