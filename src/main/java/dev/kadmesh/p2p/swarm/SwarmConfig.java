package dev.kadmesh.p2p.swarm;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the swarm.
 *
 * @param clientVersion ours, {@code name/major.minor.patch}; messages need the same major
 * @param maxPayload largest payload of one message
 * @param messageWindow messages authored further than this in the past or future are rejected
 * @param signDirectMessages sign direct messages too (they are already authenticated by the
 *     session; signing costs EC work per message)
 * @param inboxCapacity messages a registered protocol's stream holds before dropping
 * @param requestTimeout default deadline of a request (ping, FindNode)
 * @param sendTimeout deadline of the blocking {@link Service#sendMessage}
 * @param maxPendingRequests requests awaiting an answer at once
 */
public record SwarmConfig(
    String clientVersion,
    int maxPayload,
    Duration messageWindow,
    boolean signDirectMessages,
    int inboxCapacity,
    Duration requestTimeout,
    Duration sendTimeout,
    int maxPendingRequests) {

  /** Bytes the envelope adds around a payload, at most (metadata, keys, signature, framing). */
  public static final int ENVELOPE_OVERHEAD = 512;

  public SwarmConfig {
    Objects.requireNonNull(clientVersion, "clientVersion");
    Objects.requireNonNull(messageWindow, "messageWindow");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(sendTimeout, "sendTimeout");
    if (dev.kadmesh.p2p.net.ClientVersion.major(clientVersion) < 0) {
      throw new IllegalArgumentException(
          "clientVersion must be name/major.minor.patch, not '" + clientVersion + "'");
    }
    if (maxPayload < 1) {
      throw new IllegalArgumentException("maxPayload must be positive");
    }
    if (messageWindow.isNegative() || messageWindow.isZero()) {
      throw new IllegalArgumentException("messageWindow must be positive");
    }
    if (inboxCapacity < 1) {
      throw new IllegalArgumentException("inboxCapacity must be at least 1");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (sendTimeout.isNegative() || sendTimeout.isZero()) {
      throw new IllegalArgumentException("sendTimeout must be positive");
    }
    if (maxPendingRequests < 1) {
      throw new IllegalArgumentException("maxPendingRequests must be at least 1");
    }
  }

  /** Defaults for messages of up to {@code maxMessageLength} bytes on the wire. */
  public static SwarmConfig defaults(String clientVersion, int maxMessageLength) {
    return new SwarmConfig(
        clientVersion,
        maxMessageLength - ENVELOPE_OVERHEAD,
        Duration.ofMinutes(2),
        false,
        1024,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        10_000);
  }

  public SwarmConfig withRequestTimeout(Duration timeout) {
    return new SwarmConfig(clientVersion, maxPayload, messageWindow, signDirectMessages,
        inboxCapacity, timeout, sendTimeout, maxPendingRequests);
  }

  public SwarmConfig withMessageWindow(Duration window) {
    return new SwarmConfig(clientVersion, maxPayload, window, signDirectMessages, inboxCapacity,
        requestTimeout, sendTimeout, maxPendingRequests);
  }

  public SwarmConfig withInboxCapacity(int capacity) {
    return new SwarmConfig(clientVersion, maxPayload, messageWindow, signDirectMessages, capacity,
        requestTimeout, sendTimeout, maxPendingRequests);
  }

  public SwarmConfig withSignDirectMessages(boolean sign) {
    return new SwarmConfig(clientVersion, maxPayload, messageWindow, sign, inboxCapacity,
        requestTimeout, sendTimeout, maxPendingRequests);
  }
}
