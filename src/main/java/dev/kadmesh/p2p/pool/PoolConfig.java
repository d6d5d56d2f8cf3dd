package dev.kadmesh.p2p.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the {@link ConnectionPool}.
 *
 * @param maxConnections established plus dialling connections, both directions
 * @param maxInbound established connections that peers opened
 * @param duplicateGrace when two connections to one peer exist, how long the one that is dropped
 *     stays open so that messages already in flight on it are still read
 * @param idleTimeout connections with no message either way for this long are closed, so that
 *     the pool makes room for the peers in use
 */
public record PoolConfig(
    int maxConnections, int maxInbound, Duration duplicateGrace, Duration idleTimeout) {

  /** Limits with the default idle timeout of 5 minutes. */
  public PoolConfig(int maxConnections, int maxInbound, Duration duplicateGrace) {
    this(maxConnections, maxInbound, duplicateGrace, Duration.ofMinutes(5));
  }

  public PoolConfig {
    Objects.requireNonNull(duplicateGrace, "duplicateGrace");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    if (maxInbound < 0 || maxInbound > maxConnections) {
      throw new IllegalArgumentException("maxInbound must be in 0..maxConnections");
    }
    if (duplicateGrace.isNegative()) {
      throw new IllegalArgumentException("duplicateGrace must not be negative");
    }
  }

  /** 500 connections, 400 of them inbound, 2 s grace for duplicates, 5 min idle timeout. */
  public static PoolConfig defaults() {
    return new PoolConfig(500, 400, Duration.ofSeconds(2));
  }
}
