package dev.kadmesh.p2p.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The memory one transport may hold in frames that have started to arrive but are not complete
 * yet ({@link NetLimits#inboundBufferBytes()}). A connection announcing a large frame reserves its
 * length before reading the body; when the budget is spent it stops reading and queues, first come
 * first served, until earlier frames complete or their connections close. Thread-safe; waiters are
 * called back on the releasing thread and must hand over to their own.
 */
final class InboundBudget {
  /** A connection waiting for bytes; called once with the bytes reserved for it. */
  interface Waiter {
    void granted(long bytes);
  }

  private record Wait(long bytes, Waiter waiter) { }

  private final long capacity;
  private final ArrayDeque<Wait> queue = new ArrayDeque<>();
  private final LongAdder waits = new LongAdder();
  private long reserved; // guarded by this

  /** {@code capacity} 0 means no budget: every reservation succeeds at once. */
  InboundBudget(long capacity) {
    this.capacity = capacity;
  }

  boolean enabled() {
    return capacity > 0;
  }

  /** {@code bytes}, or the whole budget if that is less: every frame must be able to pass. */
  long fit(long bytes) {
    return capacity == 0 ? bytes : Math.min(bytes, capacity);
  }

  /**
   * Reserves {@code bytes} now and returns true, or queues {@code waiter} (called once they are
   * reserved) and returns false. Nobody overtakes a queued waiter.
   */
  boolean reserve(long bytes, Waiter waiter) {
    if (capacity == 0) {
      return true;
    }
    synchronized (this) {
      if (queue.isEmpty() && reserved + bytes <= capacity) {
        reserved += bytes;
        return true;
      }
      queue.add(new Wait(bytes, waiter));
    }
    waits.increment();
    return false;
  }

  /** Gives back bytes reserved earlier, and grants queued waiters that now fit. */
  void release(long bytes) {
    if (capacity == 0 || bytes == 0) {
      return;
    }
    synchronized (this) {
      reserved -= bytes;
    }
    grantHead();
  }

  /**
   * Takes a waiter out of the queue (its connection closed). Returns false when it was already
   * granted: it then owns its bytes, and must release them.
   */
  boolean cancel(Waiter waiter) {
    boolean removed;
    synchronized (this) {
      removed = queue.removeIf(w -> w.waiter() == waiter);
      if (!removed) {
        return false;
      }
    }
    grantHead(); // the one behind may fit where this one did not
    return true;
  }

  private void grantHead() {
    List<Wait> granted = new ArrayList<>(0);
    synchronized (this) {
      while (!queue.isEmpty() && reserved + queue.peek().bytes() <= capacity) {
        Wait w = queue.poll();
        reserved += w.bytes();
        granted.add(w);
      }
    }
    for (Wait w : granted) {
      w.waiter().granted(w.bytes());
    }
  }

  /** Bytes reserved by incomplete frames now. */
  synchronized long reserved() {
    return reserved;
  }

  /** Connections queued for bytes now. */
  synchronized int waiting() {
    return queue.size();
  }

  /** Times a connection had to wait for the budget so far. */
  long waits() {
    return waits.sum();
  }
}
