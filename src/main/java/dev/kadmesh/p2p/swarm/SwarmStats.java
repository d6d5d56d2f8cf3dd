package dev.kadmesh.p2p.swarm;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of a swarm, read by metrics. Thread-safe. */
public final class SwarmStats {
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong violations = new AtomicLong();
  private final Map<RejectReason, AtomicLong> rejected = new EnumMap<>(RejectReason.class);
  private volatile SwarmObserver observer = new SwarmObserver() {};

  SwarmStats() {
    for (RejectReason r : RejectReason.values()) {
      rejected.put(r, new AtomicLong());
    }
  }

  void observe(SwarmObserver observer) {
    this.observer = observer;
  }

  void countSent(String protocol, int bytes) {
    sent.incrementAndGet();
    observer.sent(protocol, bytes);
  }

  void countReceived() {
    received.incrementAndGet();
  }

  void countDelivered(String protocol, int bytes) {
    delivered.incrementAndGet();
    observer.delivered(protocol, bytes);
  }

  void countRejected(RejectReason reason) {
    rejected.get(reason).incrementAndGet();
    observer.rejected(reason);
  }

  void countViolation() {
    violations.incrementAndGet();
  }

  /**
   * Rejected messages that no honest peer sends (their senders were disconnected); the reasons
   * are among {@link #rejected(RejectReason)}.
   */
  public long violations() {
    return violations.get();
  }

  /** Envelopes written to peers. */
  public long sent() {
    return sent.get();
  }

  /** Envelopes received from peers, valid or not. */
  public long received() {
    return received.get();
  }

  /** Messages handed to a protocol stream, a request handler or a waiting request. */
  public long delivered() {
    return delivered.get();
  }

  /** Messages rejected for {@code reason}. */
  public long rejected(RejectReason reason) {
    return rejected.get(reason).get();
  }
}
