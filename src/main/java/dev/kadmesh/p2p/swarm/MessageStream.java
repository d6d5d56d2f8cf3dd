package dev.kadmesh.p2p.swarm;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The incoming messages of one registered protocol, in arrival order. Bounded: when the consumer
 * falls behind, new messages are dropped and counted ({@link #dropped()}), and the node keeps
 * running. Thread-safe.
 */
public final class MessageStream implements AutoCloseable {
  private final String protocol;
  private final BlockingQueue<Message> queue;
  private final AtomicLong dropped = new AtomicLong();
  private volatile Runnable onClose;
  private volatile boolean closed;

  MessageStream(String protocol, int capacity, Runnable onClose) {
    this.protocol = protocol;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.onClose = onClose;
  }

  void onClose(Runnable action) {
    this.onClose = action;
  }

  public String protocol() {
    return protocol;
  }

  /**
   * The next message, waiting up to {@code timeout}; null if none came, or at once when the stream
   * is closed and empty.
   */
  public Message poll(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      Message m = queue.poll();
      if (m != null || closed) {
        return m;
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      m = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
      if (m != null) {
        return m;
      }
    }
  }

  /** The next message if one is waiting, else null. */
  public Message poll() {
    return queue.poll();
  }

  /** Messages waiting. */
  public int size() {
    return queue.size();
  }

  /** Messages dropped because the stream was full. */
  public long dropped() {
    return dropped.get();
  }

  public boolean isClosed() {
    return closed;
  }

  /** Offers a message; false (and counted) when full or closed. */
  boolean offer(Message m) {
    if (closed) {
      return false;
    }
    if (!queue.offer(m)) {
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Unregisters the protocol; messages already queued can still be polled. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Runnable action = onClose;
      if (action != null) {
        action.run();
      }
    }
  }
}
