package dev.kadmesh.p2p.net;

import java.time.Duration;

/**
 * What one peer, or one address, may take from this node. Checked on construction; start from
 * {@link #defaults()}.
 *
 * @param maxInboundPerAddress inbound connections (mid-handshake or established) from one IP
 *     address at once (an IPv6 address counts with its whole /64 prefix, as refusals do); more
 *     are refused right after accept
 * @param penaltyBase how long an address whose peer broke the protocol is refused the first time;
 *     each further offence doubles it. {@link Duration#ZERO} turns penalties off
 * @param penaltyMax the longest refusal
 * @param messagesPerSecond session messages a connection may send us per second (with a burst of
 *     one second's worth); beyond it we stop reading from that connection until the rate is back
 *     under the limit: TCP flow control slows the peer, nothing is dropped. 0 for no limit
 * @param bytesPerSecond the same for session bytes (the burst is at least one maximal message). 0
 *     for no limit
 * @param frameTimeout after the handshake, a frame that has started to arrive must be complete
 *     within this, plus its length at {@code frameMinRate} (a peer trickling a frame byte by byte
 *     holds a buffer); {@link Duration#ZERO} for no deadline
 * @param frameMinRate bytes per second a large frame is allowed on top of {@code frameTimeout}, so
 *     that an honest peer on a slow link can still send a maximal message; 0 for a fixed deadline
 * @param inboundBufferBytes memory all connections together may hold in large frames (above
 *     {@value FrameDecoder#UNBUDGETED_FRAME} bytes) that have started to arrive: a connection
 *     announcing one reserves the buffer it needs first, and waits without reading while the
 *     budget is spent. Never less than the buffer of one maximal frame (raised to it if set
 *     lower); 0 for no budget. The frame deadline is what takes the budget back from peers that
 *     announce frames and stop; without one, only the pool's idle timeout does
 * @param exempt addresses not subject to the per-address cap nor refused after a violation (they
 *     are still disconnected): e.g. the address a load balancer or NAT in front of many honest
 *     peers connects from
 * @param ipv6GroupPrefix global unicast IPv6 addresses count together with every address of this
 *     prefix for the per-address cap and refusals (1..128; 128 counts them one by one)
 */
public record NetLimits(
    int maxInboundPerAddress,
    Duration penaltyBase,
    Duration penaltyMax,
    int messagesPerSecond,
    long bytesPerSecond,
    Duration frameTimeout,
    long frameMinRate,
    long inboundBufferBytes,
    java.util.List<AddressRange> exempt,
    int ipv6GroupPrefix) {

  public NetLimits {
    require(maxInboundPerAddress >= 1, "maxInboundPerAddress must be at least 1");
    require(penaltyBase != null && !penaltyBase.isNegative(), "penaltyBase must not be negative");
    require(penaltyMax != null && penaltyMax.compareTo(penaltyBase) >= 0,
        "penaltyMax must be at least penaltyBase");
    require(messagesPerSecond >= 0, "messagesPerSecond must not be negative");
    require(bytesPerSecond >= 0, "bytesPerSecond must not be negative");
    require(frameTimeout != null && !frameTimeout.isNegative(),
        "frameTimeout must not be negative");
    require(frameMinRate >= 0, "frameMinRate must not be negative");
    require(inboundBufferBytes >= 0, "inboundBufferBytes must not be negative");
    require(exempt != null, "exempt must not be null (empty for none)");
    exempt = java.util.List.copyOf(exempt);
    require(ipv6GroupPrefix >= 1 && ipv6GroupPrefix <= 128, "ipv6GroupPrefix must be in 1..128");
  }

  /** Whether {@code address} is exempt from the per-address cap and from refusals. */
  public boolean isExempt(java.net.InetAddress address) {
    for (AddressRange r : exempt) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * 32 inbound connections per address; a protocol breaker's address refused for 1 s, doubling up
   * to 10 minutes; 5,000 messages and 32 MiB per second per connection; 30 s to complete a frame,
   * plus its length at 16 KiB/s; 64 MiB for incomplete large frames.
   */
  public static NetLimits defaults() {
    return new NetLimits(32, Duration.ofSeconds(1), Duration.ofMinutes(10), 5_000,
        32L * 1024 * 1024, Duration.ofSeconds(30), 16 * 1024, 64L * 1024 * 1024,
        java.util.List.of(), 64);
  }

  /**
   * No per-address cap, penalties, rate limits, frame deadline or buffer budget (benchmarks).
   */
  public static NetLimits none() {
    return new NetLimits(Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, 0, 0, Duration.ZERO, 0,
        0, java.util.List.of(), 128);
  }

  public NetLimits withMaxInboundPerAddress(int max) {
    return new NetLimits(max, penaltyBase, penaltyMax, messagesPerSecond, bytesPerSecond,
        frameTimeout, frameMinRate, inboundBufferBytes, exempt, ipv6GroupPrefix);
  }

  public NetLimits withPenalties(Duration base, Duration max) {
    return new NetLimits(maxInboundPerAddress, base, max, messagesPerSecond, bytesPerSecond,
        frameTimeout, frameMinRate, inboundBufferBytes, exempt, ipv6GroupPrefix);
  }

  public NetLimits withRates(int messages, long bytes) {
    return new NetLimits(maxInboundPerAddress, penaltyBase, penaltyMax, messages, bytes,
        frameTimeout, frameMinRate, inboundBufferBytes, exempt, ipv6GroupPrefix);
  }

  public NetLimits withFrameTimeout(Duration timeout) {
    return new NetLimits(maxInboundPerAddress, penaltyBase, penaltyMax, messagesPerSecond,
        bytesPerSecond, timeout, frameMinRate, inboundBufferBytes, exempt, ipv6GroupPrefix);
  }

  public NetLimits withFrameMinRate(long rate) {
    return new NetLimits(maxInboundPerAddress, penaltyBase, penaltyMax, messagesPerSecond,
        bytesPerSecond, frameTimeout, rate, inboundBufferBytes, exempt, ipv6GroupPrefix);
  }

  /**
   * How long a frame of {@code length} bytes may take once it has started to arrive (0: no
   * deadline).
   */
  public long frameDeadlineNanos(long length) {
    long base = frameTimeout.toNanos();
    if (base == 0 || frameMinRate == 0) {
      return base;
    }
    return base + (long) (length * 1e9 / frameMinRate);
  }

  public NetLimits withInboundBufferBytes(long bytes) {
    return new NetLimits(maxInboundPerAddress, penaltyBase, penaltyMax, messagesPerSecond,
        bytesPerSecond, frameTimeout, frameMinRate, bytes, exempt, ipv6GroupPrefix);
  }

  public NetLimits withExempt(java.util.List<AddressRange> ranges) {
    return new NetLimits(maxInboundPerAddress, penaltyBase, penaltyMax, messagesPerSecond,
        bytesPerSecond, frameTimeout, frameMinRate, inboundBufferBytes, ranges, ipv6GroupPrefix);
  }

  public NetLimits withIpv6GroupPrefix(int prefix) {
    return new NetLimits(maxInboundPerAddress, penaltyBase, penaltyMax, messagesPerSecond,
        bytesPerSecond, frameTimeout, frameMinRate, inboundBufferBytes, exempt, prefix);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
