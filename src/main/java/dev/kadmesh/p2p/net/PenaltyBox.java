package dev.kadmesh.p2p.net;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Addresses whose peers broke the protocol, refused for a while: {@code base} after the first
 * offence, doubling with each further one up to {@code max}. An address that stays clean for ten
 * times the longest refusal starts again from {@code base}. Holds at most {@value #CAPACITY}
 * addresses (the least recently used go first), so a flood of addresses cannot grow it.
 * Thread-safe.
 */
final class PenaltyBox {
  static final int CAPACITY = 10_000;

  private final long baseMillis;
  private final long maxMillis;
  private final LongSupplier clock;
  private final Map<InetAddress, Offences> offences =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Offences> eldest) {
          return size() > CAPACITY;
        }
      };

  private static final class Offences {
    int count;
    long refusedUntil;
    long last;
  }

  /** {@code clock} in milliseconds, monotonic. A base of 0 turns the box off. */
  PenaltyBox(long baseMillis, long maxMillis, LongSupplier clock) {
    this.baseMillis = baseMillis;
    this.maxMillis = maxMillis;
    this.clock = clock;
  }

  boolean enabled() {
    return baseMillis > 0;
  }

  /**
   * Records an offence by a peer at {@code address}.
   *
   * @return how long the address is now refused, in milliseconds (0 when penalties are off)
   */
  synchronized long punish(InetAddress address) {
    if (!enabled()) {
      return 0;
    }
    long now = clock.getAsLong();
    Offences o = offences.computeIfAbsent(address, a -> new Offences());
    if (o.count > 0 && now - o.last > 10 * maxMillis) {
      o.count = 0;
    }
    o.count++;
    o.last = now;
    long millis = o.count > 20 ? maxMillis : Math.min(maxMillis, baseMillis << (o.count - 1));
    o.refusedUntil = now + millis;
    return millis;
  }

  /** True while {@code address} is refused. */
  synchronized boolean refuses(InetAddress address) {
    if (!enabled()) {
      return false;
    }
    Offences o = offences.get(address);
    return o != null && clock.getAsLong() < o.refusedUntil;
  }

  synchronized int size() {
    return offences.size();
  }
}
