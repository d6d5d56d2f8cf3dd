package dev.kadmesh.p2p.net;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What both sides of a handshake check, and the sources of time and randomness it uses.
 *
 * @param networkId peers must have the same network id
 * @param clientVersion ours, {@code name/major.minor.patch}; peers must share the major version
 * @param maxClockSkew largest accepted difference between a peer's timestamp and our clock
 * @param clock current Unix time in milliseconds
 * @param random source of ephemeral keys, nonces and session ids
 */
public record HandshakeConfig(
    int networkId,
    String clientVersion,
    Duration maxClockSkew,
    LongSupplier clock,
    SecureRandom random) {

  public HandshakeConfig {
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    if (ClientVersion.major(clientVersion) < 0) {
      throw new IllegalArgumentException(
          "clientVersion must look like name/1.2.3, got '" + clientVersion + "'");
    }
    if (maxClockSkew.isNegative() || maxClockSkew.isZero()) {
      throw new IllegalArgumentException("maxClockSkew must be positive");
    }
  }
}
